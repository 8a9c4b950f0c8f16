"""Export the analyst's warehouse tables as Parquet, partitioned by month where a table has dates."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from pipeline.warehouse.db import table_counts

# table → the timestamp column its month partitions come from
MONTH_PARTITIONED = {"articles": "published_at"}


def export_parquet(con: duckdb.DuckDBPyConnection, out_dir: Path) -> dict[str, int]:
    """Write <out_dir>/<table>.parquet (or <table>/month=YYYY-MM/*.parquet); rows per table."""
    out_dir.mkdir(parents=True, exist_ok=True)
    # The bookkeeping tables (schema axnews_state, named with it) are the pipeline's, not data.
    counts = {t: n for t, n in table_counts(con).items() if "." not in t}
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
