"""The `pages` step: discover and fetch every source's pages, store their bodies, load `pages`."""

from __future__ import annotations

import dataclasses
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import duckdb
import pandas as pd

from pipeline import parallel
from pipeline.models import RawPage, Reject, Source
from pipeline.progress import progress_bar
from pipeline.settings import Settings
from pipeline.sources import load_fetch_policy
from pipeline.stages.intake import fetch_stream, in_day
from pipeline.stages.page_keys import DUPLICATE_URL, OnePagePerKey, pair_key, where_found
from pipeline.steps.result import StepResult
from pipeline.warehouse import pages as W
from pipeline.warehouse import rows as R
from pipeline.warehouse.sources import read_sources

SOURCE_COUNTS = ("discovered", "fetched", "skipped", "failed", DUPLICATE_URL)


def ingest_pages_step(con: duckdb.DuckDBPyConnection, settings: Settings,
                      day: date | None = None) -> StepResult:
    """Discover and fetch every source's pages (feed/sitemap entries of `day` only, when given);
    store bodies; upsert `pages` and fetch rejects."""
    if settings.workers > 1:
        parallel.start_fork_server()  # the next stages' pools: its imports overlap the fetching
    # Hashing, compressing and writing bodies release the GIL: with a thread per worker, the
    # cores the pools will use are not idle while this step stores what it read.
    with ThreadPoolExecutor(max(1, settings.workers)) as storers:
        run = _PagesRun(con, settings, day, storers)
        for source in read_sources(con):
            run.ingest(source)
    by_source = pd.DataFrame([{"source": name, **{k: c.get(k, 0) for k in SOURCE_COUNTS}}
                              for name, c in run.per_source.items()])
    return StepResult(dict(run.counts),
                      by_source if not by_source.empty else pd.DataFrame(run.preview),
                      dict(run.reasons))


class _PagesRun:
    """The state of one pages step: what was read before, counts, the one-page-per-key rule."""

    def __init__(self, con: duckdb.DuckDBPyConnection, settings: Settings, day: date | None,
                 storers: ThreadPoolExecutor):
        from pipeline.stages.rawstore import RawStore

        self.con, self.settings, self.day = con, settings, day
        self.store = RawStore(settings.raw_dir)
        self.skip_urls, self.attempts = W.fetch_state(con)
        if settings.refetch:
            self.skip_urls = frozenset()
        self.base_policy = load_fetch_policy(settings.sources_file)
        self.one_per_key = OnePagePerKey(lambda ids: W.stored_pages(con, ids))
        self.counts: Counter[str] = Counter()
        self.reasons: Counter[str] = Counter()
        self.preview: list[dict] = []
        self.per_source: dict[str, Counter[str]] = {}
        self.storers = storers  # stores the bodies of a batch (see ingest_pages_step)

    def ingest(self, source: Source) -> None:
        """Discover, fetch and load one source's pages, a batch at a time."""
        from pipeline.stages.discover import discover

        settings = self.settings
        policy = dataclasses.replace(
            self.base_policy, allow_private=source.allow_private or settings.allow_private
            or self.base_policy.allow_private)
        counts = self.per_source.setdefault(source.name, Counter())
        refs_and_failures = (item for item in discover(source, policy=policy)
                             if isinstance(item, RawPage) or in_day(item, source.kind, self.day))
        files_read = ({} if settings.refetch or source.kind != "html_dir"
                      else W.files_read(self.con, source.name))
        pages = fetch_stream(refs_and_failures, policy, self.skip_urls, self.attempts,
                             settings.max_fetch_attempts, counts, source.kind, files_read)
        bar = progress_bar(None, f"pages {source.name}", "page")
        for batch in parallel.batched(pages, parallel.PAGE_BATCH):
            bar.update(len(batch))
            self._load(batch, counts)
        bar.close()
        self.counts.update(counts)

    def _store_bodies(self, batch: list[RawPage]) -> list[str | None]:
        """The raw-store key of each page's body (None: nothing to store), in batch order."""
        def put(page: RawPage) -> str | None:
            if page.reason == DUPLICATE_URL or not (page.ok and page.html):
                return None
            return self.store.put(page.html.encode("utf-8"))

        return list(self.storers.map(put, batch))

    def _load(self, batch: list[RawPage], counts: Counter[str]) -> None:
        keep, duplicates = self.one_per_key.split(batch)
        row_of, log_rows = {}, []
        for page, key in zip(batch, self._store_bodies(batch)):
            if page.reason == DUPLICATE_URL:
                continue  # found again by discovery, never fetched: a reject row below
            row_of[id(page)] = R.page_row(page, key, self.day)
            log_rows.append(row_of[id(page)])
            counts["fetched" if page.ok else "failed"] += 1
            if len(self.preview) < 10:
                self.preview.append({"source": page.source, "url": page.url, "ok": page.ok,
                                     "reason": page.reason})
        reject_rows = []
        for page in keep:
            if not page.ok:
                self.reasons[page.reason or "unknown"] += 1
                reject_rows.append(R.reject_row(Reject(
                    page.page_id, page.source, page.url, "fetch",
                    page.reason or "unknown", page.detail or "")))
        reject_rows += [R.reject_row(r) for r in duplicates]
        self.reasons[DUPLICATE_URL] += len(duplicates)
        counts[DUPLICATE_URL] += len(duplicates)
        pairs = [pair_key(p.page_id, where_found(p)) for p in keep] + \
            [pair_key(r.page_id, r.url) for r in duplicates]
        W.load_pages_batch(self.con, [row_of[id(page)] for page in keep], log_rows, reject_rows,
                           pairs)
