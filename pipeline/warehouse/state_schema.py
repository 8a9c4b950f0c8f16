"""The pipeline's bookkeeping lives in its own schema, apart from the analyst's tables in `main`.

Which pages and articles are done, stage versions, near-duplicate bands, the fetch log and the
search postings serve the pipeline only; in `main` they crowded an analyst's table list and had
to be filtered out of every export. Warehouses made before the move held them in `main`:
`move_bookkeeping_tables` carries their rows over once, each table in one transaction.
"""

from __future__ import annotations

import duckdb

from pipeline.warehouse.transaction import transaction

STATE_SCHEMA = "axnews_state"
BOOKKEEPING = frozenset({"processed_pages", "processed_articles", "stage_state",
                         "article_bands", "article_signatures", "fetch_log",
                         "search_docs", "search_terms", "search_postings"})


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
    old = sorted(_tables_in(con, "main") & BOOKKEEPING)
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
