"""Thin Dagster wrappers: open the warehouse, run one step, report counts as metadata."""


from datetime import date
from pathlib import Path

import dagster as dg
import pandas as pd

from pipeline import steps
from pipeline.defs.partitions import daily_partitions
from pipeline.defs.resources import AxnewsSettingsResource, WarehouseResource
from pipeline.inbox import batch_sources

# Downstream assets follow their inputs: when pages change (a sensor run, a backfill),
# articles, entities and reports are brought up to date by the automation sensor.
EAGER = dg.AutomationCondition.eager()
WAREHOUSE_POOL = "duckdb_warehouse"
# A locked warehouse or a flaky source is usually gone a minute later: retry the step.
TRANSIENT_RETRY = dg.RetryPolicy(max_retries=2, delay=15, backoff=dg.Backoff.EXPONENTIAL,
                                 jitter=dg.Jitter.PLUS_MINUS)  # one writer at a time: DuckDB files admit one writer process


def _metadata(result: steps.StepResult) -> dict:
    meta: dict = {k: dg.MetadataValue.int(int(v)) for k, v in result.counts.items()}
    if result.by_reason:
        meta["rejects_by_reason"] = dg.MetadataValue.json(result.by_reason)
    if not result.preview.empty:
        meta["preview"] = dg.MetadataValue.md(_markdown(result.preview))
    return meta


def _markdown(frame: pd.DataFrame) -> str:
    return frame.head(10).astype(str).to_markdown(index=False)


class SourcesConfig(dg.Config):
    """One-off inputs for this run, e.g. an inbox batch folder claimed by the inbox sensor."""

    inbox_batch: str = ""


@dg.asset(group_name="ingest", pool=WAREHOUSE_POOL, retry_policy=TRANSIENT_RETRY, kinds={"duckdb"})
def sources(config: SourcesConfig, warehouse: WarehouseResource,
            axnews: AxnewsSettingsResource) -> dg.MaterializeResult:
    """The sources file loaded into the `sources` table (plus an inbox batch, if any)."""
    settings = axnews.settings(warehouse)
    extra = batch_sources(Path(config.inbox_batch), settings.allow_private) \
        if config.inbox_batch else []
    with warehouse.connect() as con:
        result = steps.load_sources_step(con, settings, extra=extra)
    return dg.MaterializeResult(metadata=_metadata(result))


@dg.asset(deps=[sources], group_name="ingest", pool=WAREHOUSE_POOL, retry_policy=TRANSIENT_RETRY, kinds={"duckdb"},
          partitions_def=daily_partitions)
def pages(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
          axnews: AxnewsSettingsResource) -> dg.MaterializeResult:
    """Every page discovered and fetched or read on the partition's day, failures included.

    Feed and sitemap entries are taken from their own day (so a day can be backfilled);
    folders, URL lists and archives are undated and ingested by whichever day runs first.
    """
    day = date.fromisoformat(context.partition_key)
    with warehouse.connect() as con:
        result = steps.ingest_pages_step(con, axnews.settings(warehouse), day)
    return dg.MaterializeResult(metadata=_metadata(result))


@dg.multi_asset(
    specs=[
        dg.AssetSpec("articles", deps=[pages], group_name="articles", kinds={"duckdb"},
                     automation_condition=EAGER,
                     description="Clean articles: one per distinct body."),
        dg.AssetSpec("article_urls", deps=[pages], group_name="articles", kinds={"duckdb"},
                     description="Every URL of every article, duplicates included."),
        dg.AssetSpec("stories", deps=[pages], group_name="articles", kinds={"duckdb"},
                     description="Near-duplicate groups (syndicated copies)."),
    ],
    pool=WAREHOUSE_POOL, retry_policy=TRANSIENT_RETRY,
)
def articles(warehouse: WarehouseResource, axnews: AxnewsSettingsResource):
    """Extract, clean and dedupe every fetched page."""
    with warehouse.connect() as con:
        result = steps.build_articles_step(con, axnews.settings(warehouse))
    yield dg.MaterializeResult(asset_key="articles", metadata=_metadata(result))
    yield dg.MaterializeResult(asset_key="article_urls")
    yield dg.MaterializeResult(asset_key="stories",
                               metadata={"stories": dg.MetadataValue.int(result.counts["stories"])})


@dg.multi_asset(
    specs=[
        dg.AssetSpec("mentions", deps=["articles"], group_name="entities", kinds={"duckdb"},
                     automation_condition=EAGER,
                     description="Entity mentions with character offsets."),
        dg.AssetSpec("entities", deps=["articles"], group_name="entities", kinds={"duckdb"},
                     description="Canonical entities with their latest role."),
        dg.AssetSpec("quotes", deps=["articles"], group_name="entities", kinds={"duckdb"},
                     description="Direct quotes and their speakers."),
        dg.AssetSpec("article_topics", deps=["articles"], group_name="entities",
                     kinds={"duckdb"}, description="Technologies per article."),
        dg.AssetSpec("events", deps=["articles", "mentions"], group_name="entities",
                     kinds={"duckdb"},
                     description="Policy events: designations, selections, funding, agreements …"),
        dg.AssetSpec("event_roles", deps=["events"], group_name="entities", kinds={"duckdb"},
                     description="Agents and objects of each event."),
    ],
    pool=WAREHOUSE_POOL, retry_policy=TRANSIENT_RETRY,
)
def enrichment(warehouse: WarehouseResource, axnews: AxnewsSettingsResource):
    """Entities, quotes, topics and policy events of new articles: one Kiwi pass each."""
    with warehouse.connect() as con:
        result = steps.enrich_step(con, axnews.settings(warehouse))
    yield dg.MaterializeResult(asset_key="mentions", metadata=_metadata(result))
    for key in ("entities", "quotes", "article_topics", "events", "event_roles"):
        yield dg.MaterializeResult(asset_key=key, metadata={
            key: dg.MetadataValue.int(int(result.counts.get(key, 0)))})


@dg.asset(deps=["mentions", "entities", "quotes", "article_topics", "stories", "events"],
          group_name="reports", pool=WAREHOUSE_POOL, retry_policy=TRANSIENT_RETRY, automation_condition=EAGER)
def reports(warehouse: WarehouseResource, axnews: AxnewsSettingsResource) -> dg.MaterializeResult:
    """Every SQL report in sql/reports, written as CSV under data/reports."""
    settings = axnews.settings(warehouse)
    with warehouse.connect() as con:
        result = steps.reports_step(con, settings)
    meta = _metadata(result)
    meta["folder"] = dg.MetadataValue.path(str(settings.reports_dir))
    if not result.counts["reports_written"]:
        meta["skipped"] = dg.MetadataValue.text("skipped: inputs unchanged")
    return dg.MaterializeResult(metadata=meta)


@dg.asset(deps=["mentions", "entities", "quotes", "article_topics", "events"], group_name="reports",
          pool=WAREHOUSE_POOL, retry_policy=TRANSIENT_RETRY, automation_condition=EAGER)
def chart_report(warehouse: WarehouseResource, axnews: AxnewsSettingsResource) -> dg.MaterializeResult:
    """A self-contained HTML report with charts (data/reports/axnews-report.html)."""
    settings = axnews.settings(warehouse)
    with warehouse.connect(read_only=True) as con:
        result = steps.chart_report_step(con, settings)
    path = settings.reports_dir / "axnews-report.html"
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(path)),
        "open": dg.MetadataValue.url(path.as_uri()),
        "bytes": dg.MetadataValue.int(result.counts["bytes"]),
        **({"skipped": dg.MetadataValue.text("skipped: inputs unchanged")}
           if result.counts["skipped"] else {}),
    })


@dg.asset(deps=["mentions"], group_name="articles", pool=WAREHOUSE_POOL,
          retry_policy=TRANSIENT_RETRY, kinds={"duckdb"}, automation_condition=EAGER)
def article_search(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Kiwi-tokenized titles and bodies with their BM25 postings (`axnews search`)."""
    from pipeline.search import update_search_index

    with warehouse.connect() as con:
        update = update_search_index(con)
    return dg.MaterializeResult(metadata={
        "articles_indexed": dg.MetadataValue.int(update.indexed),
        "articles_removed": dg.MetadataValue.int(update.removed),
        "articles_added": dg.MetadataValue.int(update.added)})


ALL_ASSETS = [sources, pages, articles, enrichment, article_search, reports, chart_report]
