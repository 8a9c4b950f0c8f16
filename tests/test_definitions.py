"""Stale wiring fails CI: the Definitions object loads and holds every asset and the job."""

import dagster as dg

from pipeline.definitions import defs

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
