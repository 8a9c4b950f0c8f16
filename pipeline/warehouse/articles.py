"""`articles`, `article_urls`, `stories`, the article rejects and their bookkeeping (the pages
processed, MinHash signatures and LSH bands): what the articles step reads and writes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from pipeline.models import Article, Reject
from pipeline.warehouse import rows as R
from pipeline.warehouse.db import insert_rows
from pipeline.warehouse.sqlfiles import pending_rows, run_load
from pipeline.warehouse.transaction import transaction

STAGE = "articles"  # its rows in axnews_state.processed (items: pages) and stage_state


def reset_articles(con: duckdb.DuckDBPyConnection) -> None:
    """Drop everything made from pages (a new version of the extraction code)."""
    with transaction(con):
        run_load(con, "articles_reset")


def forget_stale_pages(con: duckdb.DuckDBPyConnection) -> None:
    """Drop what came from pages whose body changed, that failed since, or that are gone."""
    with transaction(con):
        run_load(con, "articles_forget_stale_pages")


def article_ids(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Every stored article id."""
    return {r[0] for r in run_load(con, "articles_ids").fetchall()}


def pages_to_process(con: duckdb.DuckDBPyConnection,
                     page_size: int) -> tuple[int, Iterator[list[tuple]]]:
    """How many pages wait for extraction, and their rows page_size at a time (page_id order)."""
    return pending_rows(con, "pages_to_process", "pages_to_process_rows", page_size)


def article_totals(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Articles and stories stored."""
    return run_load(con, "articles_totals").fetchone()


class ArticleBatch:
    """Rows of one batch of processed pages, loaded in one transaction."""

    def __init__(self) -> None:
        self.articles: list[dict] = []
        self.urls: list[dict] = []
        self.rejects: list[dict] = []
        self.processed: list[dict] = []
        self.signatures: list[dict] = []
        self.counts: Counter[str] = Counter()
        self.reasons: Counter[str] = Counter()
        self.preview: list[dict] = []

    def add(self, result: Article | Reject, signature: bytes | None, html_key: dict[str, str],
            known_ids: set[str], new_ids: list[str]) -> None:
        """File one page's outcome: a new article, a duplicate, or a reject."""
        self.counts["pages"] += 1
        page_id = result.page_id
        if isinstance(result, Reject):
            self._reject(result, html_key[page_id])
            return
        self.urls.append({"article_id": result.article_id, "url": result.url, "page_id": page_id,
                          "source": result.source})
        self.processed.append({"stage": STAGE, "item_id": page_id, "input_key": html_key[page_id],
                               "article_id": result.article_id, "reason": None})
        if result.article_id in known_ids:
            self.counts["duplicates"] += 1
            self.reasons["duplicate"] += 1
            self.rejects.append(R.reject_row(Reject(
                page_id, result.source, result.url, "dedupe", "duplicate",
                f"same body as article {result.article_id}")))
            return
        known_ids.add(result.article_id)
        self.counts["articles"] += 1
        self.articles.append(R.article_row(result, None))
        self.signatures.append({"article_id": result.article_id, "signature": signature})
        new_ids.append(result.article_id)
        if len(self.preview) < 10:
            self.preview.append({"source": result.source, "title": result.title[:60],
                                 "published_at": result.published_at, "chars": len(result.text)})

    def _reject(self, reject: Reject, key: str) -> None:
        self.counts["rejects"] += 1
        self.reasons[reject.reason] += 1
        self.rejects.append(R.reject_row(reject))
        self.processed.append({"stage": STAGE, "item_id": reject.page_id, "input_key": key,
                               "article_id": None, "reason": reject.reason})

    def _bands(self) -> pa.Table:
        """The LSH band keys of the batch's new articles, as an Arrow table."""
        import numpy as np

        from pipeline.stages.stories import BANDS, band_keys

        keys = band_keys([s["signature"] for s in self.signatures])
        ids = np.repeat(np.array([s["article_id"] for s in self.signatures], dtype=object), BANDS)
        return pa.table({"article_id": pa.array(ids, pa.string()),
                         "band": pa.array(np.tile(np.arange(BANDS, dtype=np.int32), len(keys))),
                         "band_key": pa.array(keys.reshape(-1))}, schema=R.BANDS)

    def load(self, con: duckdb.DuckDBPyConnection) -> None:
        """Insert the batch's rows, all or nothing."""
        with transaction(con):
            insert_rows(con, "articles", R.to_table(self.articles, R.ARTICLES))
            insert_rows(con, "article_urls", R.to_table(self.urls, R.ARTICLE_URLS))
            insert_rows(con, "rejects", R.to_table(self.rejects, R.REJECTS))
            insert_rows(con, "axnews_state.processed", R.to_table(self.processed, R.PROCESSED))
            insert_rows(con, "axnews_state.article_signatures",
                        R.to_table(self.signatures, R.SIGNATURES))
            insert_rows(con, "axnews_state.article_bands", self._bands())


@contextmanager
def _registered(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> Iterator[None]:
    con.register(name, table)
    try:
        yield
    finally:
        con.unregister(name)


def _ids(article_ids) -> pa.Table:
    return pa.table({"article_id": pa.array(sorted(article_ids), pa.string())})


def story_candidates(con: duckdb.DuckDBPyConnection,
                     new_ids: list[str]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Pairs of articles sharing an LSH band with a new one, and (story, article) of every member
    of the stories the new articles and their candidates belong to."""
    with _registered(con, "_new_articles", _ids(new_ids)):
        pairs = run_load(con, "story_candidates").fetchall()
    involved = {*new_ids, *(x for pair in pairs for x in pair)}
    with _registered(con, "_involved", _ids(involved)):
        members = run_load(con, "stories_members").fetchall()
    return pairs, members


def story_inputs(con: duckdb.DuckDBPyConnection, article_ids: set[str]
                 ) -> tuple[dict[str, bytes], dict[str, tuple]]:
    """Signatures of some articles, and what orders them in a story (date, -length, page id)."""
    far_future = datetime.max.replace(tzinfo=UTC)
    with _registered(con, "_involved", _ids(article_ids)):
        signatures = dict(run_load(con, "article_signatures_involved").fetchall())
        order = {aid: (published or far_future, -(n_chars or 0), page_id)
                 for aid, published, n_chars, page_id
                 in run_load(con, "articles_story_order").fetchall()}
    return signatures, order


def write_stories(con: duckdb.DuckDBPyConnection, touched: set[str], rows: list[tuple]) -> None:
    """Replace the touched stories by `rows` (story, article, representative, similarity) and set
    each article's story; all or nothing."""
    table = R.to_table([{"story_id": s, "article_id": a, "is_representative": rep,
                         "similarity": sim} for s, a, rep, sim in rows], R.STORIES)
    with transaction(con):
        run_load(con, "stories_delete", {"story_ids": sorted(touched)})
        insert_rows(con, "stories", table)
        with _registered(con, "_new_stories", table):
            run_load(con, "articles_set_story")
