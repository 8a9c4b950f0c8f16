"""The naive script's table (`make bench`): a fresh DuckDB file filled a row at a time."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipeline.settings import SQL_DIR
from pipeline.warehouse.sqlfiles import read_sql

BENCH_SQL = SQL_DIR / "bench"


def open_naive_table(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A new DuckDB file with the naive script's empty table."""
    warehouse.unlink(missing_ok=True)
    con = duckdb.connect(str(warehouse))
    con.execute(read_sql(BENCH_SQL / "naive_table.sql"))
    return con


def insert_naive_row(con: duckdb.DuckDBPyConnection, path: str, text: str, nouns: str) -> None:
    """One row, with executemany, as the naive script does."""
    con.executemany(read_sql(BENCH_SQL / "naive_insert.sql"), [(path, text, nouns)])
