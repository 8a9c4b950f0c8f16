"""The pipeline's bookkeeping lives in its own schema, apart from the analyst's tables in `main`.

Which pages and articles are done (`processed`, the increment ledger), stage versions, near-duplicate bands, the fetch log and the
search postings serve the pipeline only; in `main` they crowded an analyst's table list and had
to be filtered out of every export. Warehouses made before the move held them in `main`:
`move_bookkeeping_tables` carries their rows over once, each table in one transaction.
"""

from __future__ import annotations

import duckdb

from pipeline.warehouse.sqlfiles import run_load
from pipeline.warehouse.transaction import transaction

STATE_SCHEMA = "axnews_state"
BOOKKEEPING = frozenset({"processed", "stage_state", "article_bands", "article_signatures",
                         "fetch_log", "search_docs", "search_terms", "search_postings",
                         "last_enriched"})
# Per-stage ledgers of older versions: moved like the others, then merged into `processed`.
FORMER_LEDGERS = ("processed_pages", "processed_articles")


def create_state_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The schema, in the current catalog (DuckLake: the attached lake in use)."""
    con.execute(f"create schema if not exists {STATE_SCHEMA}")


def _tables_in(con: duckdb.DuckDBPyConnection, schema: str) -> set[str]:
    return {name for (name,) in con.execute(
        "select table_name from duckdb_tables() where database_name = current_database() "
        "and schema_name = ?", [schema]).fetchall()}


def move_bookkeeping_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Move bookkeeping tables left in `main` by an older version; returns the names moved.

    Runs after the schema files, so a table they define already exists (with its keys) and gets
    the old rows; one they do not define (the search postings) is created from the old table.
    """
    old = sorted(_tables_in(con, "main") & (BOOKKEEPING | set(FORMER_LEDGERS)))
    if not old:
        return []
    present = _tables_in(con, STATE_SCHEMA)
    for name in old:
        target = f"{STATE_SCHEMA}.{name}"
        with transaction(con):
            if name in present:
                con.execute(f"insert into {target} by name select * from main.{name}")
            else:
                con.execute(f"create table {target} as select * from main.{name}")
            con.execute(f"drop table main.{name}")
    return old


def merge_former_ledgers(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Carry the rows of the per-stage ledgers of an older version into `processed` (each in
    one transaction, dropping it); returns the names merged. Runs after the move above."""
    found = [name for name in FORMER_LEDGERS if name in _tables_in(con, STATE_SCHEMA)]
    for name in found:
        with transaction(con):
            run_load(con, f"processed_from_{name}")
    return found
