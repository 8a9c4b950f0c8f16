"""What every asset shares: transient-error handling, the timing line, and its metadata —
`dagster/row_count` and `dagster/column_schema` of each table it owns, plus its step's counts."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb
import pandas as pd

from pipeline.progress import asset_done
from pipeline.steps import StepResult
from pipeline.warehouse.db import row_count, table_columns

# A locked warehouse or a flaky source is usually gone a minute later: retry the step. Only
# those: `transient_only` turns every other error (a bad sources file, a bug) into a failure
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
def transient_only() -> Iterator[None]:
    """Let transient errors reach the retry policy; fail for good on any other."""
    try:
        yield
    except dg.Failure:
        raise
    except Exception as exc:
        if is_transient(exc):
            raise
        raise dg.Failure(description=f"{type(exc).__name__}: {exc}", allow_retries=False) from exc


def table_key(table: str) -> dg.AssetKey:
    """The asset key of a table: `articles`, or `axnews_state/processed_pages`."""
    return dg.AssetKey(table.split("."))


def table_metadata(con: duckdb.DuckDBPyConnection, table: str) -> dict:
    """`dagster/row_count` and `dagster/column_schema` (with the columns' comments) of a table."""
    schema = dg.TableSchema(columns=[dg.TableColumn(name, kind, description=comment or None)
                                     for name, kind, comment in table_columns(con, table)])
    return {"dagster/row_count": dg.MetadataValue.int(row_count(con, table)),
            "dagster/column_schema": dg.MetadataValue.table_schema(schema)}


def step_metadata(result: StepResult, row_counts: Iterable[str] = ()) -> dict:
    """A step's counts (those that are a table's row count left to `dagster/row_count`), its
    rejects by reason and a preview."""
    meta: dict = {k: dg.MetadataValue.int(int(v)) for k, v in result.counts.items()
                  if k not in set(row_counts)}
    if result.by_reason:
        meta["rejects_by_reason"] = dg.MetadataValue.json(result.by_reason)
    if not result.preview.empty:
        meta["preview"] = dg.MetadataValue.md(markdown(result.preview))
    return meta


def markdown(frame: pd.DataFrame) -> str:
    """The first rows of a frame as a Markdown table."""
    return frame.head(10).astype(str).to_markdown(index=False)


def tables_materialized(con: duckdb.DuckDBPyConnection, result: StepResult,
                        tables: list[str]) -> list[dg.MaterializeResult]:
    """One result per table a multi-asset owns; the first also carries the step's metadata."""
    first, *rest = tables
    return [dg.MaterializeResult(asset_key=table_key(first), metadata={
                **step_metadata(result, tables), **table_metadata(con, first)})] + [
            dg.MaterializeResult(asset_key=table_key(t), metadata=table_metadata(con, t))
            for t in rest]


class Timed:
    """Announces a finished asset with its counts and seconds (`axnews run` prints the line)."""

    def __init__(self, asset: str) -> None:
        self.asset = asset
        self.started = time.monotonic()

    def done(self, counts: dict[str, int]) -> None:
        asset_done(self.asset, counts, time.monotonic() - self.started)
