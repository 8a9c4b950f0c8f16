"""Thin Dagster wrappers: open the warehouse, run one step, report counts as metadata."""


import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd

from pipeline import steps
from pipeline.defs.partitions import daily_partitions
from pipeline.defs.resources import AxnewsSettingsResource, WarehouseResource
from pipeline.inbox import batch_sources
from pipeline.progress import asset_done
from pipeline.warehouse.db import row_count, table_columns
from pipeline.warehouse.views import apply_comment_file, apply_views, load_reference_entities

# Downstream assets follow their inputs: when pages change (a sensor run, a backfill),
# articles, entities and reports are brought up to date by the automation sensor.
EAGER = dg.AutomationCondition.eager()
WAREHOUSE_POOL = "duckdb_warehouse"
# A locked warehouse or a flaky source is usually gone a minute later: retry the step. Only
# those: `_transient_only` turns every other error (a bad sources file, a bug) into a failure
# that is not retried, so a typo fails in seconds instead of after three attempts.
TRANSIENT_RETRY = dg.RetryPolicy(max_retries=2, delay=15, backoff=dg.Backoff.EXPONENTIAL,
                                 jitter=dg.Jitter.PLUS_MINUS)
TRANSIENT_MARKERS = ("Could not set lock", "Conflicting lock", "Transaction conflict",
                     "Catalog write-write conflict")


def is_transient(exc: BaseException) -> bool:
    """A lock held by another process, or a network error: worth another attempt."""
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return True
    if isinstance(exc, (duckdb.IOException, duckdb.TransactionException)):
        return any(marker in str(exc) for marker in TRANSIENT_MARKERS)
    return False


@contextmanager
def _transient_only() -> Iterator[None]:
    """Let transient errors reach the retry policy; fail for good on any other."""
    try:
        yield
    except dg.Failure:
        raise
    except Exception as exc:
        if is_transient(exc):
            raise
        raise dg.Failure(description=f"{type(exc).__name__}: {exc}", allow_retries=False) from exc


def _metadata(result: steps.StepResult) -> dict:
    meta: dict = {k: dg.MetadataValue.int(int(v)) for k, v in result.counts.items()}
    if result.by_reason:
        meta["rejects_by_reason"] = dg.MetadataValue.json(result.by_reason)
    if not result.preview.empty:
        meta["preview"] = dg.MetadataValue.md(_markdown(result.preview))
    return meta


def _markdown(frame: pd.DataFrame) -> str:
    return frame.head(10).astype(str).to_markdown(index=False)


def table_metadata(con: duckdb.DuckDBPyConnection, table: str) -> dict:
    """`dagster/row_count` and `dagster/column_schema` (with the columns' comments) of a table."""
    n = row_count(con, table)
    columns = table_columns(con, table)
    schema = dg.TableSchema(columns=[dg.TableColumn(name, kind, description=comment or None)
                                     for name, kind, comment in columns])
    return {"dagster/row_count": dg.MetadataValue.int(int(n)),
            "dagster/column_schema": dg.MetadataValue.table_schema(schema)}


def _finished(asset: str, result: steps.StepResult, started: float) -> None:
    asset_done(asset, result.counts, time.monotonic() - started)


class SourcesConfig(dg.Config):
    """One-off inputs for this run, e.g. an inbox batch folder claimed by the inbox sensor."""

    inbox_batch: str = ""


@dg.asset(group_name="ingest", pool=WAREHOUSE_POOL, retry_policy=TRANSIENT_RETRY, kinds={"duckdb"})
def sources(config: SourcesConfig, warehouse: WarehouseResource,
            axnews: AxnewsSettingsResource) -> dg.MaterializeResult:
    """The sources file loaded into the `sources` table (plus an inbox batch, if any)."""
    started = time.monotonic()
    settings = axnews.settings(warehouse)
    with _transient_only():
        extra = batch_sources(Path(config.inbox_batch), settings.allow_private) \
            if config.inbox_batch else []
        with warehouse.connect() as con:
            result = steps.load_sources_step(con, settings, extra=extra)
            meta = {**_metadata(result), **table_metadata(con, "sources")}
    _finished("sources", result, started)
    return dg.MaterializeResult(metadata=meta)


@dg.asset(deps=[sources], group_name="ingest", pool=WAREHOUSE_POOL, retry_policy=TRANSIENT_RETRY,
          kinds={"duckdb"}, partitions_def=daily_partitions)
def pages(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
          axnews: AxnewsSettingsResource) -> dg.MaterializeResult:
    """Every page discovered and fetched or read on the partition's day, failures included.

    Feed and sitemap entries are taken from their own day (so a day can be backfilled);
    folders, URL lists and archives are undated and ingested by whichever day runs first.
    """
    started = time.monotonic()
    day = date.fromisoformat(context.partition_key)
    with _transient_only(), warehouse.connect() as con:
        result = steps.ingest_pages_step(con, axnews.settings(warehouse), day)
        meta = {**_metadata(result), **table_metadata(con, "pages")}
    _finished("pages", result, started)
    return dg.MaterializeResult(metadata=meta)


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
    started = time.monotonic()
    with _transient_only(), warehouse.connect() as con:
        result = steps.build_articles_step(con, axnews.settings(warehouse))
        tables = {t: table_metadata(con, t) for t in ("articles", "article_urls", "stories")}
    _finished("articles", result, started)
    yield dg.MaterializeResult(asset_key="articles",
                               metadata={**_metadata(result), **tables["articles"]})
    yield dg.MaterializeResult(asset_key="article_urls", metadata=tables["article_urls"])
    yield dg.MaterializeResult(asset_key="stories", metadata={
        "stories": dg.MetadataValue.int(result.counts["stories"]), **tables["stories"]})


ENRICHMENT_TABLES = ("entities", "quotes", "article_topics", "events", "event_roles")


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
    started = time.monotonic()
    settings = axnews.settings(warehouse)
    with _transient_only(), warehouse.connect() as con:
        result = steps.enrich_step(con, settings)
        load_reference_entities(con, settings.reference_dir)  # type and region of entities
        tables = {t: table_metadata(con, t) for t in ("mentions", *ENRICHMENT_TABLES)}
    _finished("enrichment", result, started)
    yield dg.MaterializeResult(asset_key="mentions",
                               metadata={**_metadata(result), **tables["mentions"]})
    for key in ENRICHMENT_TABLES:
        yield dg.MaterializeResult(asset_key=key, metadata={
            key: dg.MetadataValue.int(int(result.counts.get(key, 0))), **tables[key]})


def _report_files_schema() -> dict:
    schema = dg.TableSchema(columns=[dg.TableColumn("report", "string", "file name in sql/reports"),
                                     dg.TableColumn("rows", "int", "rows in its CSV")])
    return {"dagster/column_schema": dg.MetadataValue.table_schema(schema)}


@dg.asset(deps=["mentions", "entities", "quotes", "article_topics", "stories", "events"],
          group_name="reports", pool=WAREHOUSE_POOL, retry_policy=TRANSIENT_RETRY, automation_condition=EAGER)
def reports(warehouse: WarehouseResource, axnews: AxnewsSettingsResource) -> dg.MaterializeResult:
    """Every SQL report in sql/reports, written as CSV under data/reports."""
    started = time.monotonic()
    settings = axnews.settings(warehouse)
    with _transient_only(), warehouse.connect() as con:
        apply_views(con)  # the analyst's views, recreated once a run (not at every connect)
        result = steps.reports_step(con, settings)
    _finished("reports", steps.StepResult({"reports": len(result.counts)}), started)
    meta = _metadata(result)
    meta["folder"] = dg.MetadataValue.path(str(settings.reports_dir))
    meta["dagster/row_count"] = dg.MetadataValue.int(len(result.counts))  # one row per report
    if not result.counts["reports_written"]:
        meta["skipped"] = dg.MetadataValue.text("skipped: inputs unchanged")
    return dg.MaterializeResult(metadata={**meta, **_report_files_schema()})


@dg.asset(deps=["mentions", "entities", "quotes", "article_topics", "events"], group_name="reports",
          pool=WAREHOUSE_POOL, retry_policy=TRANSIENT_RETRY, automation_condition=EAGER)
def chart_report(warehouse: WarehouseResource, axnews: AxnewsSettingsResource) -> dg.MaterializeResult:
    """A self-contained HTML report with charts (data/reports/axnews-report.html).

    The UI shows its path to copy (a browser refuses file:// links from an http page).
    """
    started = time.monotonic()
    settings = axnews.settings(warehouse)
    with _transient_only(), warehouse.connect(read_only=True) as con:
        result = steps.chart_report_step(con, settings)
    _finished("chart_report", result, started)
    path = settings.reports_dir / "axnews-report.html"
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
        **({"skipped": dg.MetadataValue.text("skipped: inputs unchanged")}
           if result.counts["skipped"] else {}),
    })


@dg.asset(deps=["mentions"], group_name="articles", pool=WAREHOUSE_POOL,
          retry_policy=TRANSIENT_RETRY, kinds={"duckdb"}, automation_condition=EAGER)
def article_search(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Kiwi-tokenized titles and bodies with their BM25 postings (`axnews search`)."""
    from pipeline.search import update_search_index

    started = time.monotonic()
    with _transient_only(), warehouse.connect() as con:
        update = update_search_index(con)
        apply_comment_file(con, "article_search")
        meta = table_metadata(con, "article_search")
    _finished("article_search", steps.StepResult({"articles_indexed": update.indexed}), started)
    return dg.MaterializeResult(metadata={
        "articles_indexed": dg.MetadataValue.int(update.indexed),
        "articles_removed": dg.MetadataValue.int(update.removed),
        "articles_added": dg.MetadataValue.int(update.added), **meta})


ALL_ASSETS = [sources, pages, articles, enrichment, article_search, reports, chart_report]
