"""`comment on` statements of the SQL files, applied only when the stored comment differs.

Every write connection applies the schema; a hundred unchanged comments would each commit
(0.7 s per connection on a DuckDB file, a snapshot each on DuckLake), so only changed ones run.
"""

from __future__ import annotations

import re

import duckdb

from pipeline.warehouse.state_schema import STATE_SCHEMA
from pipeline.warehouse.transaction import transaction

COMMENT = re.compile(
    r"^comment\s+on\s+(table|view|column)\s+([\w.]+)\s+is\s+'((?:[^']|'')*)'\s*;\s*$",
    re.IGNORECASE | re.MULTILINE)


def split_comments(sql: str) -> tuple[str, list[tuple[str, str, str]]]:
    """The SQL without its comment statements, and those as (kind, target, text)."""
    comments = [(kind.lower(), target.lower(), text.replace("''", "'"))
                for kind, target, text in COMMENT.findall(sql)]
    return COMMENT.sub("", sql), comments


def current_comments(con: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    """target (table, view or table.column) → its comment, in the current database: the current
    schema's by bare name, the bookkeeping schema's as ``axnews_state.<name>``."""
    where = ("database_name = current_database() "
             f"and schema_name in (current_schema(), '{STATE_SCHEMA}')")
    prefix = "case when schema_name = current_schema() then '' else schema_name || '.' end"
    rows = con.execute(
        f"select {prefix} || table_name, comment from duckdb_tables() where {where} "
        f"union all select {prefix} || view_name, comment from duckdb_views() "
        f"where {where} and not internal "
        f"union all select {prefix} || table_name || '.' || column_name, comment "
        f"from duckdb_columns() where {where}").fetchall()
    return {name.lower(): comment for name, comment in rows}


def apply_comments(con: duckdb.DuckDBPyConnection, comments: list[tuple[str, str, str]]) -> int:
    """Run the comment statements whose text differs from the stored one; returns how many."""
    if not comments:
        return 0
    stored = current_comments(con)
    # A target not created yet (article_search: made by the search stage) gets its comment at
    # the first connection after it exists.
    changed = [(kind, target, text) for kind, target, text in comments
               if target in stored and (stored[target] or "") != text]
    if changed and not _view_columns_take_comments(con):
        views = {name.lower() for (name,) in con.execute(
            "select view_name from duckdb_views() where database_name = current_database() "
            "and schema_name = current_schema() and not internal").fetchall()}
        changed = [c for c in changed
                   if not (c[0] == "column" and c[1].split(".")[0] in views)]
    if not changed:
        return 0
    with transaction(con):  # one commit (one DuckLake snapshot), not one per comment
        for kind, target, text in changed:
            escaped = text.replace("'", "''")
            con.execute(f"comment on {kind} {target} is '{escaped}'")
    return len(changed)


def _view_columns_take_comments(con: duckdb.DuckDBPyConnection) -> bool:
    """False on DuckLake, which refuses comments on a view's columns ("it is not a table")."""
    found = con.execute("select type from duckdb_databases() "
                        "where database_name = current_database()").fetchone()
    return not found or found[0] != "ducklake"
