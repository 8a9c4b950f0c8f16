"""The `pages` table, its fetch rejects and the fetch log: what the pages step reads and writes."""

from __future__ import annotations

import duckdb

from pipeline.warehouse import rows as R
from pipeline.warehouse.db import insert_rows, replace_loaded
from pipeline.warehouse.sqlfiles import run_load


def fetch_state(con: duckdb.DuckDBPyConnection) -> tuple[frozenset[str], dict[str, int]]:
    """URLs fetched OK before, and attempt counts of the failed ones."""
    ok = run_load(con, "pages_fetched_ok").fetchall()
    failed = run_load(con, "pages_failed_attempts").fetchall()
    return frozenset(u for (u,) in ok), {u: n for u, n in failed}


def files_read(con: duckdb.DuckDBPyConnection, source: str) -> dict[str, float]:
    """File URL → when it was last read OK (seconds since the epoch), for one source."""
    return dict(run_load(con, "fetch_log_files_read", {"source": source}).fetchall())


def stored_pages(con: duckdb.DuckDBPyConnection, page_ids: list[str]) -> list[tuple]:
    """(page_id, source, url, final_url, ok, fetched_at) of the stored pages among page_ids."""
    return run_load(con, "pages_stored", {"ids": page_ids}).fetchall()


def load_pages_batch(con: duckdb.DuckDBPyConnection, page_rows: list[dict],
                     log_rows: list[dict], reject_rows: list[dict], pairs: list[str]) -> None:
    """Replace a batch's pages, append its reads to the fetch log, replace its fetch rejects.

    `pairs` are the "page_id url" keys of its duplicate_url rejects.
    """
    ids = [r["page_id"] for r in page_rows]
    replace_loaded(con, "pages_delete_batch", {"ids": ids}, "pages", R.to_table(page_rows, R.PAGES))
    insert_rows(con, "axnews_state.fetch_log", R.to_table(log_rows, R.PAGES))  # a log: appended
    replace_loaded(con, "rejects_delete_fetch_batch", {"ids": ids, "pairs": pairs}, "rejects",
                   R.to_table(reject_rows, R.REJECTS))
