"""Connections and idempotent loads: delete the rows a load owns, then insert, in one transaction."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline.settings import SQL_DIR
from pipeline.warehouse.backends import (
    apply_ducklake_schema,
    connect_ducklake,
    is_ducklake,
    retry_on_conflict,
)
from pipeline.warehouse.comments import apply_comments, split_comments
from pipeline.warehouse.sqlfiles import run_load
from pipeline.warehouse.state_schema import (
    STATE_SCHEMA,
    create_state_schema,
    merge_former_ledgers,
    move_bookkeeping_tables,
)
from pipeline.warehouse.transaction import transaction

LOG = logging.getLogger("axnews.warehouse")
TIMEZONE = "Asia/Seoul"
MEMORY_LIMIT = "256MB"  # DuckDB's memory in each of our connections (AXNEWS_DUCKDB_MEMORY_LIMIT); a
# 100,000-page run needs no more (peak of the process tree 1.87 GB with it, 2.03 GB at 384MB)
# WAL size that makes DuckDB checkpoint (AXNEWS_DUCKDB_CHECKPOINT_THRESHOLD; DuckDB's default is
# 16MB). DuckDB 1.5 writes each changed primary-key index whole at a checkpoint (duckdb#24848), so
# with 92,000 articles every automatic checkpoint of a load cost about a second; at 64MB there are
# four times fewer of them. A step's connection still checkpoints when it closes.
CHECKPOINT_THRESHOLD = "64MB"
LOCK_MARKERS = ("Could not set lock", "Conflicting lock")
WRITER_WAIT_SECONDS = 60.0
READER_WAIT_SECONDS = 900.0


def connect(
    path: Path | str, read_only: bool = False, wait_seconds: float | None = None
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse (creating it and its schema), waiting while another process holds it.

    `path` is a DuckDB file, or ``ducklake:postgres:<conninfo>`` / ``ducklake:sqlite:<file>``.
    A reader waits longer than a writer (READER_WAIT_SECONDS): a run holds the file through a
    whole stage (minutes at 100,000 pages), and a report asked for meanwhile should come late,
    not fail with "Conflicting lock is held".
    """
    if wait_seconds is None:
        wait_seconds = READER_WAIT_SECONDS if read_only else WRITER_WAIT_SECONDS
    if is_ducklake(path):
        return _connect_ducklake(str(path), read_only, wait_seconds)
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    delay = 0.2
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as exc:
            # Another process (an analyst's shell, another run) holds the file lock.
            if not any(m in str(exc) for m in LOCK_MARKERS) or time.monotonic() > deadline:
                raise
            LOG.warning("warehouse %s is locked by another process (an open shell or run); "
                        "retrying in %.1f s, giving up after %.0f s", path, delay, wait_seconds)
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
    con.execute(f"set TimeZone = '{TIMEZONE}'")
    # DuckDB would otherwise cache up to 80 % of RAM: a run appends millions of rows, and a check
    # joining mentions to article texts took 1.2 GB at 100,000 pages. Past the limit DuckDB
    # evicts cached blocks or spills to <warehouse>.tmp.
    _set_from_env(con, "memory_limit", MEMORY_LIMIT)
    if not read_only:
        _set_from_env(con, "checkpoint_threshold", CHECKPOINT_THRESHOLD)
        apply_schema(con)
    return con


def _set_from_env(con: duckdb.DuckDBPyConnection, setting: str, default: str) -> None:
    """Set a DuckDB setting from AXNEWS_DUCKDB_<SETTING> when given, else from our default."""
    value = os.environ.get(f"AXNEWS_DUCKDB_{setting.upper()}", default)
    con.execute(f"set {setting} = '{value}'")


def _connect_ducklake(
    uri: str, read_only: bool, wait_seconds: float
) -> duckdb.DuckDBPyConnection:
    """Open a DuckLake warehouse: many processes write it at once, nothing waits for a lock."""
    con = connect_ducklake(uri, read_only=read_only, wait_seconds=wait_seconds)
    con.execute(f"set TimeZone = '{TIMEZONE}'")
    if not read_only:
        apply_ducklake_schema(con, wait_seconds=wait_seconds)
    return con


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quoted_table(name: str) -> str:
    """A table name for SQL, quoted part by part: `axnews_state.fetch_log` names a schema too."""
    return ".".join(_identifier(part) for part in name.split("."))


def apply_schema(con: duckdb.DuckDBPyConnection, schema_dir: Path = SQL_DIR / "schema") -> None:
    """Run every create-if-not-exists DDL file; then its comments, the changed ones only."""
    create_state_schema(con)
    comments = []
    for path in sorted(schema_dir.glob("*.sql")):
        ddl, found = split_comments(path.read_text(encoding="utf-8"))
        con.execute(ddl)
        comments += found
    move_bookkeeping_tables(con)
    merge_former_ledgers(con)
    apply_comments(con, comments)


def stage_version(con: duckdb.DuckDBPyConnection, stage: str) -> str | None:
    """The version of code and data a stage's rows were built with (None: never recorded)."""
    row = run_load(con, "stage_state_version", {"stage": stage}).fetchone()
    return row[0] if row else None


def set_stage_version(con: duckdb.DuckDBPyConnection, stage: str, version: str) -> None:
    """Record the version a stage's rows are now built with."""
    with transaction(con):
        run_load(con, "stage_state_delete", {"stage": stage})
        run_load(con, "stage_state_insert", {"stage": stage, "version": version})


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> None:
    if rows.num_rows == 0:
        return
    con.register("_incoming", rows)
    try:
        columns = ", ".join(f'"{c}"' for c in rows.column_names)
        con.execute(f'insert into {quoted_table(table)} ({columns}) select {columns} from _incoming')
    finally:
        con.unregister("_incoming")


def replace_table(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> int:
    """Replace all rows of a table in one transaction."""
    return replace_where(con, table, rows, "true", ())


def replace_where(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: pa.Table,
    where: str,
    params: Sequence = (),
    wait_seconds: float = 60.0,
) -> int:
    """Delete the rows matching `where` (bound parameters), insert `rows`; all or nothing.

    A commit that loses a race to another DuckLake writer is rolled back and run again.
    """

    def once() -> int:
        with transaction(con):
            con.execute(f'delete from {quoted_table(table)} where {where}', list(params))
            insert_rows(con, table, rows)
        return rows.num_rows

    return retry_on_conflict(once, wait_seconds)


def replace_loaded(con: duckdb.DuckDBPyConnection, delete: str, params: dict, table: str,
                   rows: pa.Table, wait_seconds: float = 60.0) -> int:
    """Run the delete statement sql/load/<delete>.sql, insert `rows` into `table`; all or
    nothing, run again when it loses a commit race to another DuckLake writer."""

    def once() -> int:
        with transaction(con):
            run_load(con, delete, params)
            insert_rows(con, table, rows)
        return rows.num_rows

    return retry_on_conflict(once, wait_seconds)


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every base table: the analyst's by name, the bookkeeping ones as
    ``axnews_state.<name>``."""
    names = [
        name if schema == "main" else f"{schema}.{name}"
        for schema, name in con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database() and table_schema in ('main', ?) "
            "and table_type = 'BASE TABLE' order by table_schema <> 'main', table_name",
            [STATE_SCHEMA]).fetchall()
    ]
    return {n: row_count(con, n) for n in names}


def row_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Rows of one table."""
    return con.execute(f"select count(*) from {quoted_table(table)}").fetchone()[0]


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str, str | None]]:
    """(name, type, comment) of a table's columns, in order (`axnews_state.x`: of that schema)."""
    schema, _, name = table.rpartition(".")
    return run_load(con, "table_columns", {"table": name, "schema": schema or None}).fetchall()


def run_summary(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """The totals `axnews run` prints, and the most frequent reject reasons."""
    cursor = run_load(con, "run_summary")
    names = [d[0] for d in cursor.description]
    totals = dict(zip(names, cursor.fetchone()))
    return totals, run_load(con, "rejects_top_reasons").fetchall()
