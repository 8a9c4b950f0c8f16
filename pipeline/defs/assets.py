"""Thin Dagster wrappers: each asset runs one step and declares every table that step writes."""


from datetime import date
from pathlib import Path

import dagster as dg

from pipeline import steps
from pipeline.defs.metadata import (
    TRANSIENT_RETRY,
    Timed,
    step_metadata,
    table_key,
    tables_materialized,
    transient_only,
)
from pipeline.defs.partitions import daily_partitions
from pipeline.defs.resources import AxnewsResource
from pipeline.inbox import batch_sources
from pipeline.steps.enrichment import search_index_step
from pipeline.warehouse.views import apply_views

# Downstream assets follow their inputs: when pages change (a sensor run, a backfill),
# articles, entities and reports are brought up to date by the automation sensor.
EAGER = dg.AutomationCondition.eager()
WAREHOUSE_POOL = "duckdb_warehouse"
WRITER = {"pool": WAREHOUSE_POOL, "retry_policy": TRANSIENT_RETRY}


def _specs(group: str, tables: dict[str, tuple[tuple[str, ...], str]], eager: str = "") -> list:
    """One AssetSpec per table a step writes (table → the tables it is made from, description)."""
    return [dg.AssetSpec(table_key(t), deps=[table_key(d) for d in deps], group_name=group,
                         kinds={"duckdb"}, description=text,
                         automation_condition=EAGER if t == eager else None)
            for t, (deps, text) in tables.items()]


def _run_step(asset: str, axnews: AxnewsResource, tables: dict, step, *args,
              **kwargs) -> list[dg.MaterializeResult]:
    """Run a step on the warehouse; one result per table it writes; its line in `axnews run`."""
    timed = Timed(asset)
    with transient_only(), axnews.connect() as con:
        result = step(con, axnews.settings(), *args, **kwargs)
        out = tables_materialized(con, result, list(tables))
    timed.done(result.counts)
    return out


class SourcesConfig(dg.Config):
    """One-off inputs for this run, e.g. an inbox batch folder claimed by the inbox sensor."""

    inbox_batch: str = ""


@dg.asset(group_name="ingest", kinds={"duckdb"}, **WRITER)
def sources(config: SourcesConfig, axnews: AxnewsResource) -> dg.MaterializeResult:
    """The sources file loaded into the `sources` table (plus an inbox batch, if any)."""
    with transient_only():
        extra = batch_sources(Path(config.inbox_batch), axnews.settings().allow_private) \
            if config.inbox_batch else []
    (out,) = _run_step("sources", axnews, {"sources": ()}, steps.load_sources_step, extra=extra)
    return out


# The analyst's tables each step writes, as assets. The bookkeeping in axnews_state (fetch log,
# signatures and bands, search postings, the increment ledger) is the steps' own: declared too,
# the lineage graph grew past what the UI shows legibly on one screen.
PAGES_TABLES = {
    "pages": (("sources",), "Every page discovered and fetched or read, failures included."),
}


@dg.multi_asset(specs=_specs("ingest", PAGES_TABLES),
                partitions_def=daily_partitions, **WRITER)
def pages(context: dg.AssetExecutionContext, axnews: AxnewsResource):
    """Every page discovered and fetched or read on the partition's day, failures included.

    Feed and sitemap entries are taken from their own day (so a day can be backfilled);
    folders, URL lists and archives are undated and ingested by whichever day runs first.
    """
    yield from _run_step("pages", axnews, PAGES_TABLES, steps.ingest_pages_step,
                         date.fromisoformat(context.partition_key))


ARTICLE_TABLES = {
    "articles": (("pages",), "Clean articles: one per distinct body."),
    "article_urls": (("pages",), "Every URL of every article, duplicates included."),
    "rejects": (("pages",), "Pages that gave no article, with the stage and reason (fetch "
                "rejects too)."),
    "stories": (("articles",), "Near-duplicate groups (syndicated copies)."),
}


@dg.multi_asset(specs=_specs("articles", ARTICLE_TABLES, eager="articles"), **WRITER)
def articles(axnews: AxnewsResource):
    """Extract, clean and dedupe every fetched page."""
    yield from _run_step("articles", axnews, ARTICLE_TABLES, steps.build_articles_step)


ENRICHMENT_TABLES = {
    "mentions": (("articles",), "Entity mentions with character offsets."),
    "entities": (("mentions",), "Canonical entities with their latest role."),
    "entity_aliases": (("mentions",), "Every surface form seen for each entity."),
    "entity_lineage": ((), "Renamed bodies and regions with the name in force today."),
    "reference_entities": ((), "Type and region of the reference organizations, places, laws."),
    "quotes": (("articles",), "Direct quotes and their speakers."),
    "article_topics": (("mentions",), "Technologies per article."),
    "events": (("articles", "mentions"), "Policy events: designations, selections, funding, "
               "agreements …"),
    "event_roles": (("events",), "Agents and objects of each event."),
}
SEARCH_TABLES = {
    "article_search": (("articles",), "Kiwi-tokenized titles and bodies with their BM25 "
                       "postings (`axnews search`)."),
}


@dg.multi_asset(specs=_specs("entities", ENRICHMENT_TABLES, eager="mentions")
                + _specs("articles", SEARCH_TABLES), **WRITER)
def enrichment(axnews: AxnewsResource):
    """Entities, quotes, topics, policy events and search terms of new articles (one Kiwi pass
    each), then the BM25 postings of those search terms."""
    timed, settings = Timed("enrichment"), axnews.settings()
    with transient_only(), axnews.connect() as con:
        result = steps.enrich_step(con, settings)
        timed.done(result.counts)
        timed = Timed("article_search")
        search = search_index_step(con)
        out = tables_materialized(con, result, list(ENRICHMENT_TABLES)) + \
            tables_materialized(con, search, list(SEARCH_TABLES))
    timed.done(search.counts)
    yield from out


def _report_files_schema() -> dict:
    schema = dg.TableSchema(columns=[dg.TableColumn("report", "string", "file name in sql/reports"),
                                     dg.TableColumn("rows", "int", "rows in its CSV")])
    return {"dagster/column_schema": dg.MetadataValue.table_schema(schema)}


SKIPPED = {"skipped": dg.MetadataValue.text("skipped: inputs unchanged")}


@dg.asset(deps=["mentions", "entities", "quotes", "article_topics", "stories", "events"],
          group_name="reports", automation_condition=EAGER, **WRITER)
def reports(axnews: AxnewsResource) -> dg.MaterializeResult:
    """Every SQL report in sql/reports, written as CSV under data/reports."""
    timed, settings = Timed("reports"), axnews.settings()
    with transient_only(), axnews.connect() as con:
        apply_views(con)  # the analyst's views, recreated once a run (not at every connect)
        result = steps.reports_step(con, settings)
    timed.done({"reports": len(result.counts)})
    return dg.MaterializeResult(metadata={
        **step_metadata(result), "folder": dg.MetadataValue.path(str(settings.reports_dir)),
        "dagster/row_count": dg.MetadataValue.int(len(result.counts)),  # one row per report
        **({} if result.counts["reports_written"] else SKIPPED), **_report_files_schema()})


@dg.asset(deps=["mentions", "entities", "quotes", "article_topics", "events"],
          group_name="reports", automation_condition=EAGER, **WRITER)
def chart_report(axnews: AxnewsResource) -> dg.MaterializeResult:
    """A self-contained HTML report with charts (data/reports/axnews-report.html).

    The UI shows its path to copy (a browser refuses file:// links from an http page).
    """
    timed, settings = Timed("chart_report"), axnews.settings()
    with transient_only(), axnews.connect(read_only=True) as con:
        result = steps.chart_report_step(con, settings)
    timed.done(result.counts)
    path = settings.reports_dir / steps.reports.CHART_REPORT
    sections = path.read_text(encoding="utf-8").count("<h2")
    schema = dg.TableSchema(columns=[dg.TableColumn("section", "string", "one chart or table")])
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(path)),
        "open": dg.MetadataValue.md(
            f"Open `{path}` in a browser, or serve the folder: "
            f"`python -m http.server -d {path.parent} 8000` and visit "
            f"http://127.0.0.1:8000/{path.name}"),
        "bytes": dg.MetadataValue.int(result.counts["bytes"]),
        "dagster/row_count": dg.MetadataValue.int(sections),
        "dagster/column_schema": dg.MetadataValue.table_schema(schema),
        **(SKIPPED if result.counts["skipped"] else {}),
    })


ALL_ASSETS = [sources, pages, articles, enrichment, reports, chart_report]
