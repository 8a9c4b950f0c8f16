"""The search tables: `article_search` (an article's terms) and the BM25 postings in
axnews_state (sql/search), brought up to date in one transaction, and the ranked query."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from pipeline.settings import SQL_DIR
from pipeline.warehouse.backends import is_ducklake_connection, retry_on_conflict
from pipeline.warehouse.db import insert_rows
from pipeline.warehouse.transaction import transaction

SEARCH_SQL_DIR = SQL_DIR / "search"
INDEX_BATCH = 500  # articles tokenized and inserted at once
POSTINGS_CHUNK = 10_000  # articles whose postings are counted and added at once (bounds memory)


@dataclass(frozen=True)
class IndexUpdate:
    """Articles in the index after an update, and how many the update removed and added."""

    indexed: int
    removed: int
    added: int


def search_sql(name: str) -> str:
    """The text of sql/search/<name>.sql."""
    return (SEARCH_SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def create_article_search(con: duckdb.DuckDBPyConnection) -> None:
    """The article_search table, if it is not there yet."""
    con.execute(search_sql("article_search"))


def update_index(con: duckdb.DuckDBPyConnection, version: str,
                 tokenize: Callable[[Sequence[tuple]], pa.Table], full: bool = False) -> IndexUpdate:
    """Bring article_search and its postings up to date with articles, tokenizing the articles
    the table lacks with `tokenize` ((article_id, title, text, text_hash) rows → table rows);
    run again when it loses a commit race to another DuckLake writer."""
    return retry_on_conflict(lambda: _update_once(con, {"version": version}, tokenize, full))


def _update_once(con: duckdb.DuckDBPyConnection, version: dict, tokenize, full: bool
                 ) -> IndexUpdate:
    with transaction(con):
        con.execute(search_sql("article_search"))
        con.execute(search_sql("search_tables"))
        if full:
            con.execute(search_sql("clear_article_search"))
            con.execute(search_sql("clear_search_index"))
        else:
            con.execute(search_sql("prune_article_search"), version)
        ids = [r[0] for r in con.execute(search_sql("articles_to_index")).fetchall()]
        for start in range(0, len(ids), INDEX_BATCH):
            batch = ids[start:start + INDEX_BATCH]
            rows = con.execute(search_sql("article_texts"), {**version, "ids": batch}).fetchall()
            insert_rows(con, "article_search", tokenize(rows))
        removed, added = con.execute(search_sql("search_changes")).fetchone()
        if removed:
            con.execute(search_sql("remove_gone_articles"))
            con.execute(search_sql("apply_df_delta"))
            con.execute(search_sql("delete_gone_postings"))
        for first in range(1, added + 1, POSTINGS_CHUNK):
            con.execute("set variable search_first = ?", [first])
            con.execute("set variable search_last = ?", [first + POSTINGS_CHUNK - 1])
            con.execute(search_sql("add_new_articles"))
            con.execute(search_sql("apply_df_delta"))
            con.execute(search_sql("insert_new_postings"))
        if not is_ducklake_connection(con):
            con.execute(search_sql("search_macros"))  # stored in the file, for any SQL shell
        indexed = con.execute(search_sql("count_article_search")).fetchone()[0]
    return IndexUpdate(indexed, removed, added)


def has_search_index(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the index has been built on this warehouse."""
    return bool(con.execute(search_sql("index_exists")).fetchone()[0])


def define_search_macros(con: duckdb.DuckDBPyConnection) -> None:
    """search_bm25 and search_articles as temporary macros of this connection (read-only ones,
    and DuckLake catalogs, which store no macros, included)."""
    con.execute(search_sql("search_macros").replace("create or replace macro",
                                                    "create or replace temp macro"))


def ranked_articles(con: duckdb.DuckDBPyConnection, params: dict) -> list[tuple]:
    """Rows of sql/search/search_query.sql: the best BM25 matches of params["query"]."""
    define_search_macros(con)
    return con.execute(search_sql("search_query"), params).fetchall()
