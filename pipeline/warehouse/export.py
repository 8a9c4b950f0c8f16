"""Export the analyst's warehouse tables as Parquet, partitioned by month where a table has dates."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from pipeline.warehouse.db import table_counts

# table → the timestamp column its month partitions come from
MONTH_PARTITIONED = {"articles": "published_at"}
# The pipeline's own state (what was processed, at which version; dedupe indexes; the raw fetch
# log; the search index's postings, which `search_articles` reads): not data an analyst reads,
# so not exported. README "Tables" lists them.
BOOKKEEPING = frozenset({"processed_pages", "processed_articles", "stage_state",
                         "article_bands", "article_signatures", "fetch_log",
                         "search_docs", "search_terms", "search_postings"})


def export_parquet(con: duckdb.DuckDBPyConnection, out_dir: Path) -> dict[str, int]:
    """Write <out_dir>/<table>.parquet (or <table>/month=YYYY-MM/*.parquet); rows per table."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {t: n for t, n in table_counts(con).items() if t not in BOOKKEEPING}
    for table in counts:
        target = out_dir / table
        shutil.rmtree(target, ignore_errors=True)
        (out_dir / f"{table}.parquet").unlink(missing_ok=True)
        column = MONTH_PARTITIONED.get(table)
        if column:
            con.execute(
                f"copy (select *, coalesce(strftime({column}, '%Y-%m'), 'undated') as month "
                f'from "{table}") to \'{target}\' (format parquet, partition_by (month))'
            )
        else:
            con.execute(f"copy \"{table}\" to '{target}.parquet' (format parquet)")
    return counts
