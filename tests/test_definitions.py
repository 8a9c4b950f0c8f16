"""Stale wiring fails CI: the Definitions object loads and holds every asset and the job."""

import dagster as dg

from pipeline.definitions import defs as load_definitions

defs = load_definitions()

EXPECTED_ASSETS = {"sources", "pages", "articles", "article_urls", "stories", "mentions",
                   "entities", "quotes", "article_topics", "reports", "events", "event_roles",
                   "article_search", "chart_report"}


def test_definitions_load_with_every_asset():
    keys = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert EXPECTED_ASSETS <= keys


def test_main_job_selects_the_whole_graph():
    job = defs.resolve_job_def("axnews_job")
    assert isinstance(job, dg.JobDefinition)
    assert {k.to_user_string() for k in job.asset_layer.selected_asset_keys} >= EXPECTED_ASSETS


def test_warehouse_writers_share_one_pool():
    graph = defs.resolve_asset_graph()
    pools = {graph.get(k).pools and next(iter(graph.get(k).pools)) for k in graph.get_all_asset_keys()}
    assert pools == {"duckdb_warehouse"}


def test_the_environment_is_read_when_dagster_loads_the_definitions_not_at_import(monkeypatch):
    """AXNEWS_* set after the import still count: nothing is read while importing."""
    monkeypatch.setenv("AXNEWS_SCHEDULE_CRON", "15 5 * * 1-5")
    monkeypatch.setenv("AXNEWS_WORKERS", "3")
    loaded = load_definitions()
    (schedule,) = loaded.schedules
    assert schedule.cron_schedule == "15 5 * * 1-5"
    resource = loaded.resources["axnews"]
    assert isinstance(resource.workers, dg.EnvVar) and resource.workers.env_var_name == "AXNEWS_WORKERS"
    assert resource.process_config_and_initialize().settings().workers == 3  # as in a run
