"""One function per asset: read the input tables, call the stages, load the output tables.

These know the warehouse and the stages but not Dagster, so the CLI, the benchmark and the tests
run exactly what the assets run. Every step is idempotent: it replaces the rows it owns.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from pipeline.models import Article, RawPage, Reject, Source
from pipeline.parallel import WorkerPool, batched, start_fork_server, workers_for
from pipeline.progress import progress_bar
from pipeline.settings import SQL_DIR, Settings
from pipeline.sources import load_fetch_policy, load_sources
from pipeline.warehouse import (
    insert_rows,
    open_cursor,
    replace_table,
    replace_where,
    set_stage_version,
    stage_version,
)
from pipeline.warehouse import rows as R

SEOUL = ZoneInfo("Asia/Seoul")
PAGE_BATCH = 500  # pages held in memory at once while fetching and extracting
ENRICH_GROUP = 16  # articles per Kiwi call in a worker (see extract_many_with_tokens)


@dataclass(frozen=True)
class StepResult:
    """Counts and a small preview, shown as asset metadata and by the CLI."""

    counts: dict[str, int]
    preview: pd.DataFrame = field(default_factory=pd.DataFrame)
    by_reason: dict[str, int] = field(default_factory=dict)


def _now() -> datetime:
    return datetime.now(UTC)


# ---------------------------------------------------------------- sources


def load_sources_step(con: duckdb.DuckDBPyConnection, settings: Settings,
                      extra: list[Source] | tuple = (), only_extra: bool = False) -> StepResult:
    """Replace the `sources` table with the sources file (plus one-off sources)."""
    sources = list(extra) if only_extra else load_sources(settings.sources_file) + list(extra)
    # one row per name: a one-off source named like a file's entry replaces it
    sources = list({s.name: s for s in sources}.values())
    replace_table(con, "sources", R.sources_table(sources, _now()))
    preview = pd.DataFrame([{"name": s.name, "kind": s.kind, "outlet": s.outlet} for s in sources])
    return StepResult({"sources": len(sources)}, preview)


def read_sources(con: duckdb.DuckDBPyConnection) -> list[Source]:
    """The sources as loaded by the last `sources` step."""
    import json

    rows = con.execute(
        "select name, kind, location, outlet, allow_private, options_json from sources order by name"
    ).fetchall()
    return [Source(n, k, loc, o, ap, json.loads(opt or "{}")) for n, k, loc, o, ap, opt in rows]


# ---------------------------------------------------------------- pages


def _fetch_state(con: duckdb.DuckDBPyConnection) -> tuple[frozenset[str], dict[str, int]]:
    """URLs fetched OK before, and attempt counts of the failed ones."""
    ok = con.execute("select canonical_url from pages where ok").fetchall()
    failed = con.execute("select canonical_url, attempts from pages where not ok").fetchall()
    return frozenset(u for (u,) in ok), {u: n for u, n in failed}


DATED_KINDS = ("feed", "sitemap")  # kinds whose entries carry a publication/lastmod date


def in_day(ref, kind: str, day: date | None) -> bool:
    """Whether a discovered entry belongs to the day being ingested (undated ones always do)."""
    if day is None or kind not in DATED_KINDS or ref.lastmod is None:
        return True
    local = ref.lastmod.astimezone(SEOUL).date() if ref.lastmod.tzinfo else ref.lastmod.date()
    return local == day


def ingest_pages_step(con: duckdb.DuckDBPyConnection, settings: Settings,
                      day: date | None = None) -> StepResult:
    """Discover and fetch every source's pages (feed/sitemap entries of `day` only, when given);
    store bodies; upsert `pages` and fetch rejects."""
    from pipeline.stages.discover import discover
    from pipeline.stages.rawstore import RawStore

    if settings.workers > 1:
        start_fork_server()  # the next stages' pools: its imports overlap the fetching
    store = RawStore(settings.raw_dir)
    skip_urls, attempts = _fetch_state(con)
    if settings.refetch:
        skip_urls = frozenset()
    counts: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    preview: list[dict] = []
    per_source: dict[str, Counter[str]] = {}
    base_policy = load_fetch_policy(settings.sources_file)
    one_per_key = _OnePagePerKey()
    for source in read_sources(con):
        policy = dataclasses.replace(
            base_policy,
            allow_private=source.allow_private or settings.allow_private or base_policy.allow_private)
        source_counts = per_source.setdefault(source.name, Counter())
        refs_and_failures = (
            item for item in discover(source, policy=policy)
            if isinstance(item, RawPage) or in_day(item, source.kind, day)
        )
        files_read = {} if settings.refetch or source.kind != "html_dir" else dict(con.execute(
            # from the log: a copy that lost to another with its URL was read all the same
            "select final_url, max(fetched_at) from axnews_state.fetch_log "
            "where ok and source = ? group by 1",
            [source.name]).fetchall())
        bar = progress_bar(None, f"pages {source.name}", "page")
        for batch in batched(_fetch_stream(refs_and_failures, policy, skip_urls, attempts,
                                           settings, source_counts, source.kind, files_read),
                             PAGE_BATCH):
            bar.update(len(batch))
            keep, duplicates = one_per_key.split(con, batch)
            row_of, log_rows, reject_rows = {}, [], []
            for page in batch:
                if page.reason == DUPLICATE_URL:
                    continue  # found again by discovery, never fetched: a reject row below
                key = store.put(page.html.encode("utf-8")) if page.ok and page.html else None
                row_of[id(page)] = R.page_row(page, key, day)
                log_rows.append(row_of[id(page)])
                source_counts["fetched" if page.ok else "failed"] += 1
                if len(preview) < 10:
                    preview.append({"source": page.source, "url": page.url, "ok": page.ok,
                                    "reason": page.reason})
            page_rows = [row_of[id(page)] for page in keep]
            for page in keep:
                if not page.ok:
                    reasons[page.reason or "unknown"] += 1
                    reject_rows.append(R.reject_row(Reject(
                        page.page_id, page.source, page.url, "fetch",
                        page.reason or "unknown", page.detail or "")))
            reject_rows += [R.reject_row(r) for r in duplicates]
            reasons[DUPLICATE_URL] += len(duplicates)
            source_counts["duplicate_url"] += len(duplicates)
            ids = [r["page_id"] for r in page_rows]
            pairs = [_pair(r["page_id"], _where_found(p)) for r, p in zip(page_rows, keep)] + \
                [_pair(r.page_id, r.url) for r in duplicates]
            replace_where(con, "pages", R.to_table(page_rows, R.PAGES),
                          "page_id in (select unnest(?::varchar[]))", [ids])
            insert_rows(con, "axnews_state.fetch_log", R.to_table(log_rows, R.PAGES))  # a log: appended
            # a page's own fetch reject goes with its row; a duplicate_url reject with its URL
            replace_where(con, "rejects", R.to_table(reject_rows, R.REJECTS),
                          "stage = 'fetch' and (reason is distinct from 'duplicate_url' and "
                          "page_id in (select unnest(?::varchar[])) or reason = 'duplicate_url' "
                          "and page_id || ' ' || url in (select unnest(?::varchar[])))",
                          [ids, pairs])
        bar.close()
        counts.update(source_counts)
    by_source = pd.DataFrame(
        [{"source": name, **{k: c.get(k, 0) for k in ("discovered", "fetched", "skipped", "failed",
                                                       "duplicate_url")}}
         for name, c in per_source.items()]
    )
    return StepResult(dict(counts), by_source if not by_source.empty else pd.DataFrame(preview),
                      dict(reasons))



DUPLICATE_URL = "duplicate_url"
_OLDEST = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class _Held:
    """What decides between two pages with one page id, and where the user finds each."""

    page_id: str
    source: str
    url: str
    final_url: str | None
    ok: bool
    fetched_at: datetime


def _held(page: RawPage) -> _Held:
    return _Held(page.page_id, page.source, page.url, page.final_url, page.ok, page.fetched_at)


def _is_file(url: str | None) -> bool:
    return bool(url) and url.startswith("file:")


def _where_found(page: RawPage | _Held) -> str:
    """The saved file of a file page (its `url` is the URL it declares), else the URL."""
    return page.final_url if _is_file(page.final_url) else page.url


def _pair(page_id: str, url: str) -> str:
    """The key of a duplicate_url reject: a URL (or file) found again for a page id."""
    return f"{page_id} {url}"


def _file_mtime(url: str) -> datetime:
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    try:
        return datetime.fromtimestamp(Path(url2pathname(urlsplit(url).path)).stat().st_mtime, UTC)
    except OSError:  # gone since: the oldest
        return _OLDEST


def _rank(page: _Held) -> tuple[bool, datetime]:
    """Of two pages with one id the higher rank is kept: one read OK, then the most recently
    modified file, or the latest fetch (a WARC record's date)."""
    when = _file_mtime(page.final_url) if _is_file(page.final_url) else page.fetched_at
    return page.ok, when if when.tzinfo else when.replace(tzinfo=UTC)


class _OnePagePerKey:
    """One `pages` row per page id over a whole run, however often a batch or a later batch
    repeats the id (saved copies of one article, a URL listed twice, WARC revisits)."""

    def __init__(self) -> None:
        self.written: set[str] = set()  # page ids written by this run

    def split(self, con: duckdb.DuckDBPyConnection,
              batch: list[RawPage]) -> tuple[list[RawPage], list[Reject]]:
        """The pages to write, and a duplicate_url reject for every other page or URL."""
        keep: dict[str, RawPage] = {}
        losers: list[tuple[_Held, _Held]] = []  # (not kept, kept)
        rejects: list[Reject] = []
        for page in batch:
            if page.reason == DUPLICATE_URL:  # discovery found the URL twice
                rejects.append(Reject(page.page_id, page.source, page.url, "fetch",
                                      DUPLICATE_URL, page.detail or ""))
                continue
            other = keep.get(page.page_id)
            if other is not None and _rank(_held(page)) < _rank(_held(other)):
                losers.append((_held(page), _held(other)))
                continue
            if other is not None:
                losers.append((_held(other), _held(page)))
            keep[page.page_id] = page
        stored = con.execute(
            "select page_id, source, url, final_url, ok, fetched_at from pages "
            "where page_id in (select unnest(?::varchar[]))", [list(keep)]).fetchall()
        for old in (_Held(*row) for row in stored):
            new = _held(keep[old.page_id])
            rivals = old.page_id in self.written or (
                old.ok and _is_file(old.final_url) and _is_file(new.final_url)
                and old.final_url != new.final_url)  # another saved copy, read by an earlier run
            if not rivals:
                continue  # the same page again: the new read replaces it
            if _rank(new) < _rank(old):
                losers.append((new, old))
                del keep[old.page_id]
            else:
                losers.append((old, new))
        self.written.update(keep)
        for lost, kept in losers:
            rejects.append(Reject(
                lost.page_id, lost.source, _where_found(lost), "fetch", DUPLICATE_URL,
                f"same page as {_where_found(kept)}, kept as "
                + ("the one read OK" if kept.ok != lost.ok else
                   "the most recently modified file" if _is_file(kept.final_url) else
                   "the latest fetch")))
        return list(keep.values()), _unique_rejects(rejects)


def _unique_rejects(rejects: list[Reject]) -> list[Reject]:
    """One duplicate_url reject per page id and URL (a URL found three times is one row)."""
    found: dict[str, Reject] = {}
    for reject in rejects:
        found.setdefault(_pair(reject.page_id, reject.url), reject)
    return list(found.values())


def _fetch_stream(refs_and_failures, policy, skip_urls, attempts, settings, counts, kind,
                  files_read=None):
    """Split discovery output: pages already read (WARC) or failed pass through, refs get fetched.

    A saved file read OK before and not modified since (`files_read`: file URL → read time) is
    skipped, so a re-run over an unchanged folder reads nothing.
    """
    from pipeline.stages.fetch import fetch_pages

    if kind == "warc":  # every record is already a page: stream them, hold none
        for page in refs_and_failures:
            counts["discovered"] += 1
            yield page
        return
    failures: list[RawPage] = []  # discovery failures: few, held until the fetcher is done

    def refs():
        for item in refs_and_failures:
            if isinstance(item, RawPage):
                failures.append(item)
                continue
            counts["discovered"] += 1
            read_at = files_read.get(item.url) if files_read and item.path else None
            if read_at and item.lastmod and item.lastmod <= read_at:
                counts["skipped"] += 1
                continue
            yield item

    def on_skip(*_args) -> None:
        counts["skipped"] += 1

    yield from fetch_pages(refs(), policy, skip_urls=skip_urls, attempts_so_far=attempts,
                           max_attempts=settings.max_fetch_attempts, on_skip=on_skip)
    yield from failures


# ---------------------------------------------------------------- articles


def _load_page(row: tuple, store) -> RawPage:
    page_id, source, url, canonical_url, final_url, fetched_at, encoding, html_key, n_bytes, h = row
    html = store.get(html_key).decode("utf-8")
    return RawPage(page_id=page_id, source=source, url=url, canonical_url=canonical_url,
                   final_url=final_url or url, fetched_at=fetched_at, ok=True, encoding=encoding,
                   n_bytes=n_bytes or 0, content_hash=h, html=html)


def _process_row(row: tuple, raw_dir: str) -> tuple[Article | Reject, bytes | None]:
    """Read one page from the raw store and extract it (in a worker: reading is work too)."""
    from pipeline.stages.rawstore import RawStore

    try:
        page = _load_page(row, RawStore(Path(raw_dir)))
    except (KeyError, ValueError, UnicodeDecodeError) as exc:
        return Reject(row[0], row[1], row[2], "extract", "raw_missing",
                      f"raw body {row[7]}: {type(exc).__name__}: {exc}"[:500]), None
    return _process(page)


def _process(page: RawPage) -> tuple[Article | Reject, bytes | None]:
    """Extract and clean one page; an article also gets its MinHash signature."""
    from pipeline.stages.clean import process_page
    from pipeline.stages.dedupe import minhash
    from pipeline.stages.stories import NUM_PERM, signature_bytes

    try:
        result = process_page(page)
    except Exception as exc:  # noqa: BLE001 - a bug on one page must not sink the run
        return Reject(page.page_id, page.source, page.url, "extract", "broken_html",
                      f"{type(exc).__name__}: {exc}"[:500]), None
    if isinstance(result, Reject):
        return result, None
    return result, signature_bytes(minhash(result.text, NUM_PERM))


def code_version(*modules: str) -> str:
    """A short hash of the source files of some modules: a rule change means a new version."""
    import importlib

    digest = hashlib.sha256()
    for name in modules:
        digest.update(Path(importlib.import_module(name).__file__).read_bytes())
    return digest.hexdigest()[:16]


EXTRACTION_MODULES = ("pipeline.stages.extract", "pipeline.stages.script_data", "pipeline.stages.titles",
                      "pipeline.stages.clean", "pipeline.stages.residue",
                      "pipeline.stages.dates", "pipeline.stages.dedupe", "pipeline.stages.stories")


def _in_transaction(con: duckdb.DuckDBPyConnection, statements: list[tuple[str, list]]) -> None:
    con.execute("begin transaction")
    try:
        for sql, params in statements:
            con.execute(sql, params)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


ARTICLE_TABLES = ("axnews_state.processed_pages", "articles", "article_urls", "stories",
                  "axnews_state.article_signatures", "axnews_state.article_bands")


def _forget_stale_pages(con: duckdb.DuckDBPyConnection) -> None:
    """Drop what came from pages whose body changed, that failed since, or that are gone."""
    stale = ("select pp.page_id from axnews_state.processed_pages pp left join pages p using (page_id) "
             "where p.page_id is null or not p.ok or p.html_key is distinct from pp.html_key")
    orphans = "select article_id from articles where article_id not in (select article_id from article_urls)"
    _in_transaction(con, [
        (f"delete from article_urls where page_id in ({stale})", []),
        (f"delete from rejects where stage <> 'fetch' and page_id in ({stale})", []),
        (f"delete from axnews_state.processed_pages where page_id in ({stale})", []),
        (f"delete from stories where article_id in ({orphans})", []),
        (f"delete from axnews_state.article_signatures where article_id in ({orphans})", []),
        (f"delete from axnews_state.article_bands where article_id in ({orphans})", []),
        (f"delete from articles where article_id in ({orphans})", []),
    ])


def build_articles_step(con: duckdb.DuckDBPyConnection, settings: Settings) -> StepResult:
    """Extract and clean the pages not processed yet; dedupe them against stored articles.

    A change to the extraction or cleaning code (its version) reprocesses every page from the
    raw store, without refetching anything.
    """
    version = code_version(*EXTRACTION_MODULES)
    if stage_version(con, "articles") != version:
        _in_transaction(con, [(f"delete from {t}", []) for t in ARTICLE_TABLES]
                        + [("delete from rejects where stage <> 'fetch'", [])])
        set_stage_version(con, "articles", version)
    _forget_stale_pages(con)
    known_ids = {r[0] for r in con.execute("select article_id from articles").fetchall()}
    pending = ("from pages where ok and html_key is not null "
               "and page_id not in (select page_id from axnews_state.processed_pages)")
    (n_pending,) = con.execute(f"select count(*) {pending}").fetchone()
    # A cursor of its own: a write on `con` would close a result that `con` is still streaming.
    cursor = open_cursor(con).execute(
        "select page_id, source, url, canonical_url, final_url, fetched_at, encoding, html_key, "
        f"n_bytes, content_hash {pending} order by page_id"
    )
    counts: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    new_ids: list[str] = []
    preview: list[dict] = []
    process = partial(_process_row, raw_dir=str(settings.raw_dir))
    with WorkerPool(workers_for(n_pending, settings.workers)) as pool, \
            progress_bar(n_pending, "articles", "page") as bar:
        batches = iter(lambda: cursor.fetchmany(PAGE_BATCH), [])
        for rows, results in pool.map_batches(process, batches, chunksize=8):
            bar.update(len(rows))
            html_key = {r[0]: r[7] for r in rows}
            out = _ArticleBatch()
            for result, signature in results:
                out.add(result, signature, html_key, known_ids, new_ids)
            out.load(con)
            counts.update(out.counts)
            reasons.update(out.reasons)
            preview += out.preview[: 10 - len(preview)]
    stories_touched = _update_stories(con, new_ids)
    totals = con.execute(
        "select (select count(*) from articles), (select count(distinct story_id) from stories)"
    ).fetchone()
    return StepResult(
        {"pages_processed": counts["pages"], "articles_new": counts["articles"],
         "rejects_new": counts["rejects"], "duplicates_new": counts["duplicates"],
         "stories_touched": stories_touched, "articles": totals[0], "stories": totals[1]},
        pd.DataFrame(preview), dict(reasons),
    )


class _ArticleBatch:
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

    def add(self, result, signature, html_key, known_ids: set[str], new_ids: list[str]) -> None:
        """File one page's outcome: a new article, a duplicate, or a reject."""
        self.counts["pages"] += 1
        page_id = result.page_id
        if isinstance(result, Reject):
            self._reject(result, html_key[page_id])
            return
        self.urls.append({"article_id": result.article_id, "url": result.url, "page_id": page_id,
                          "source": result.source})
        self.processed.append({"page_id": page_id, "html_key": html_key[page_id],
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
        self.processed.append({"page_id": reject.page_id, "html_key": key, "article_id": None,
                               "reason": reject.reason})

    def _bands(self):
        """The LSH band keys of the batch's new articles, as an Arrow table."""
        import numpy as np
        import pyarrow as pa

        from pipeline.stages.stories import BANDS, band_keys

        keys = band_keys([s["signature"] for s in self.signatures])
        ids = np.repeat(np.array([s["article_id"] for s in self.signatures], dtype=object), BANDS)
        return pa.table({"article_id": pa.array(ids, pa.string()),
                         "band": pa.array(np.tile(np.arange(BANDS, dtype=np.int32), len(keys))),
                         "band_key": pa.array(keys.reshape(-1))}, schema=R.BANDS)

    def load(self, con: duckdb.DuckDBPyConnection) -> None:
        """Insert the batch's rows, all or nothing."""
        con.execute("begin transaction")
        try:
            insert_rows(con, "articles", R.to_table(self.articles, R.ARTICLES))
            insert_rows(con, "article_urls", R.to_table(self.urls, R.ARTICLE_URLS))
            insert_rows(con, "rejects", R.to_table(self.rejects, R.REJECTS))
            insert_rows(con, "axnews_state.processed_pages", R.to_table(self.processed, R.PROCESSED_PAGES))
            insert_rows(con, "axnews_state.article_signatures", R.to_table(self.signatures, R.SIGNATURES))
            insert_rows(con, "axnews_state.article_bands", self._bands())
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise


STORY_CHUNK = 5000  # new articles placed into stories at a time (bounds memory on a backfill)


def _update_stories(con: duckdb.DuckDBPyConnection, new_ids: list[str]) -> int:
    """Put the new articles into stories (joining or merging stored ones); returns stories touched.

    A large backfill goes in chunks, each joining the stories of the chunks before it, exactly
    as successive runs would.
    """
    return len(set().union(*(_update_stories_chunk(con, chunk)
                             for chunk in batched(new_ids, STORY_CHUNK))))


def _update_stories_chunk(con: duckdb.DuckDBPyConnection, new_ids: list[str]) -> set[str]:
    """Stories of some new articles; returns the ids of the stories written.

    Only the articles involved are read: the new ones, those sharing an LSH band with them, and
    the members of their stories.
    """
    import pyarrow as pa

    from pipeline.stages.stories import assign_stories, signature_values

    if not new_ids:
        return set()
    con.register("_new_articles", pa.table({"article_id": pa.array(new_ids, pa.string())}))
    try:
        pairs = con.execute((SQL_DIR / "load" / "story_candidates.sql").read_text("utf-8")).fetchall()
        involved = sorted({*new_ids, *(x for pair in pairs for x in pair)})
        con.register("_involved", pa.table({"article_id": pa.array(involved, pa.string())}))
        members = con.execute(
            "select s.story_id, s.article_id from stories s where s.story_id in "
            "(select story_id from stories join _involved using (article_id)) order by all"
        ).fetchall()
    finally:
        con.unregister("_new_articles")
        con.unregister("_involved")
    story_of = {article: story for story, article in members}
    members_of: dict[str, list[str]] = {}
    for story, article in members:
        members_of.setdefault(story, []).append(article)
    wanted = sorted({*involved, *story_of})
    con.register("_involved", pa.table({"article_id": pa.array(wanted, pa.string())}))
    try:
        signatures = {aid: signature_values(blob) for aid, blob in con.execute(
            "select article_id, signature from axnews_state.article_signatures "
            "join _involved using (article_id)"
        ).fetchall()}
        far_future = datetime.max.replace(tzinfo=UTC)
        order = {
            aid: (published or far_future, -(n_chars or 0), page_id)
            for aid, published, n_chars, page_id in con.execute(
                "select article_id, published_at, n_chars, page_id from articles "
                "join _involved using (article_id)").fetchall()
        }
    finally:
        con.unregister("_involved")
    touched, rows = assign_stories(new_ids, pairs, signatures, story_of, members_of, order)
    table = R.to_table([{"story_id": s, "article_id": a, "is_representative": rep,
                         "similarity": sim} for s, a, rep, sim in rows], R.STORIES)
    con.execute("begin transaction")
    try:
        con.execute("delete from stories where story_id in (select unnest(?::varchar[]))",
                    [sorted(touched)])
        insert_rows(con, "stories", table)
        con.register("_new_stories", table)
        con.execute("update articles set story_id = n.story_id from _new_stories n "
                    "where articles.article_id = n.article_id")
        con.unregister("_new_stories")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return {s for s, *_ in rows}


# ---------------------------------------------------------------- entities

_EXTRACTOR = None
_EXTRACTOR_KEY: tuple | None = None


def _init_extractor(reference_dir, ner_model=None, ner_label_map=None) -> None:
    """Build this process's extractor, or keep the one built for the same settings and data."""
    global _EXTRACTOR, _EXTRACTOR_KEY
    from pipeline.reference import load_reference

    reference = load_reference(reference_dir)
    key = (str(reference_dir), reference.version, str(ner_model), str(ner_label_map))
    if _EXTRACTOR is None or key != _EXTRACTOR_KEY:
        from pipeline.stages.enrich import EntityExtractor

        # One Kiwi thread: each worker process already has a core to itself.
        _EXTRACTOR = EntityExtractor(reference, model_path=ner_model, label_map=ner_label_map,
                                     num_workers=1)
        _EXTRACTOR_KEY = key
        # The reference data lives as long as the worker: out of the collector's sight, full
        # collections stop walking its hundreds of thousands of objects.
        gc.freeze()


def _enrich_many(articles: list[Article]) -> list[dict]:
    """Rows of each article; one Kiwi analysis per text (titles and bodies of the group in one
    call), shared by entities, quotes, events and the search index."""
    from pipeline.search import search_row
    from pipeline.stages.enrich import enrichment_of
    from pipeline.stages.events import event_rows, extract_events

    n = len(articles)
    found = _EXTRACTOR.extract_many_with_tokens(
        [a.title for a in articles] + [a.text for a in articles],
        [a.published_at for a in articles] * 2)
    out = []
    for article, (title_mentions, _, title_tokens), (mentions, quotes, tokens) in zip(
            articles, found[:n], found[n:]):
        enrichment = enrichment_of(article.article_id, mentions, quotes)
        events, roles = event_rows(
            article.article_id, extract_events(article.text, mentions, article.published_at, tokens,
                                               reference=_EXTRACTOR.reference))
        m, q, t = R.enrichment_rows(enrichment)
        out.append({
            "mentions": R.mention_rows(article.article_id, title_mentions, "title") + m,
            "quotes": q, "article_topics": t, "events": events, "event_roles": roles,
            "article_search": [search_row(article.article_id, article.title, article.text,
                                          title_tokens, tokens)],
        })
    return out


def _article_stub(row: tuple) -> Article:
    article_id, page_id, source, url, title, text, language, published_at = row
    return Article(article_id=article_id, page_id=page_id, source=source, url=url,
                   canonical_url=url, title=title, text=text, language=language,
                   published_at=published_at)


ENRICH_MODULES = ("pipeline.stages.enrich", "pipeline.stages.entities.korean",
                  "pipeline.stages.entities.english", "pipeline.stages.entities.gazetteer",
                  "pipeline.stages.entities.numbers", "pipeline.stages.entities.quotes",
                  "pipeline.stages.entities.text", "pipeline.stages.entities.model_backend",
                  "pipeline.stages.events", "pipeline.stages.event_rules.triggers",
                  "pipeline.stages.event_rules.dates", "pipeline.search",
                  "pipeline.stages.entities.aliases", "pipeline.stages.entities.tech",
                  "pipeline.stages.entities.lineage", "pipeline.stages.entities.venues",
                  "pipeline.ner.crf", "pipeline.ner.features")
# An article's enrichment costs about 2.3 pages' extraction (18.8 vs 7.6 ms on one core, `make
# bench`), and in-process it first loads Kiwi: a pool pays from about 100 articles, not 200.
ENRICH_WEIGHT = 2.0
ENRICH_TABLES = ("mentions", "quotes", "article_topics", "events", "event_roles",
                 "article_search")
ENRICH_SCHEMAS = {"mentions": R.MENTIONS, "quotes": R.QUOTES, "article_topics": R.TOPICS,
                  "events": R.EVENTS, "event_roles": R.EVENT_ROLES, "article_search": R.SEARCH}


def _pending_articles(con: duckdb.DuckDBPyConnection, stage: str, version: str,
                      tables: tuple[str, ...]) -> None:
    """Reset a per-article stage when its version changed; drop rows of articles now gone."""
    gone = ("select article_id from axnews_state.processed_articles where stage = ? "
            "and article_id not in (select article_id from articles)")
    if stage_version(con, stage) != version:
        _in_transaction(con, [(f"delete from {t}", []) for t in tables]
                        + [("delete from axnews_state.processed_articles where stage = ?", [stage])])
        set_stage_version(con, stage, version)
    _in_transaction(con, [(f"delete from {t} where article_id in ({gone})", [stage]) for t in tables]
                    + [(("delete from axnews_state.processed_articles "
                         f"where stage = ? and article_id in ({gone})"), [stage, stage])])


def enrich_step(con: duckdb.DuckDBPyConnection, settings: Settings) -> StepResult:
    """Entities, quotes, topics, policy events and search terms of the articles not done yet.

    Each article goes through Kiwi once; its tokens serve the entity rules, the event rules and
    the search index. A change to any of that code, to the reference data or to the NER model
    redoes every article.
    """
    from pipeline.reference import load_reference
    from pipeline.search import _sql as search_sql

    con.execute(search_sql("article_search"))  # create if not exists: the search stage reads it
    version = code_version(*ENRICH_MODULES) + ":" + load_reference(settings.reference_dir).version
    if settings.ner_model:
        from pipeline.stages.entities.model_backend import model_version

        version += ":" + model_version(settings.ner_model, settings.ner_label_map)
    _pending_articles(con, "enrichment", version, ENRICH_TABLES)
    pending = ("from articles where article_id not in "
               "(select article_id from axnews_state.processed_articles where stage = 'enrichment')")
    (n_pending,) = con.execute(f"select count(*) {pending}").fetchone()
    cursor = open_cursor(con).execute(  # its own cursor: the loop writes on `con`
        "select article_id, page_id, source, url, title, text, language, published_at "
        f"{pending} order by article_id"
    )
    labels: Counter[str] = Counter()
    types: Counter[str] = Counter()
    n_articles = 0
    with WorkerPool(workers_for(n_pending, settings.workers, ENRICH_WEIGHT), _init_extractor,
                    (settings.reference_dir, settings.ner_model, settings.ner_label_map)) as pool, \
            progress_bar(n_pending, "enrichment", "article") as bar:
        batches = (list(batched((_article_stub(r) for r in rows), ENRICH_GROUP))
                   for rows in iter(lambda: cursor.fetchmany(PAGE_BATCH), []))
        for groups, results in pool.map_batches(_enrich_many, batches, chunksize=1):
            batch: dict[str, list] = {t: [] for t in ENRICH_TABLES}
            for found in (f for group in results for f in group):
                for table in ENRICH_TABLES:
                    batch[table] += found[table]
            done = [{"article_id": stub.article_id, "stage": "enrichment"}
                    for group in groups for stub in group]
            _load_tables(con, [(t, batch[t], ENRICH_SCHEMAS[t]) for t in ENRICH_TABLES]
                         + [("axnews_state.processed_articles", done, R.PROCESSED_ARTICLES)],
                         [d["article_id"] for d in done])
            labels.update(m["label"] for m in batch["mentions"])
            types.update(e["type"] for e in batch["events"])
            n_articles += len(done)
            bar.update(len(done))
    _in_transaction(con, [(f"delete from {t}", []) for t in ("entities", "entity_aliases")]
                    + [((SQL_DIR / "load" / f"{t}.sql").read_text(encoding="utf-8"), [])
                       for t in ("entities", "entity_aliases")])
    _load_lineage(con, settings.reference_dir)
    preview = con.execute(
        "select label, canonical, n_mentions, known from entities "
        "order by n_mentions desc limit 10"
    ).df()
    totals = dict(zip(
        ("mentions", "entities", "quotes", "events", "event_roles"),
        con.execute("select (select count(*) from mentions), (select count(*) from entities), "
                    "(select count(*) from quotes), (select count(*) from events), "
                    "(select count(*) from event_roles)").fetchone()))
    return StepResult(
        {"articles_enriched": n_articles, "mentions_new": sum(labels.values()),
         "events_new": sum(types.values()), **totals,
         **{f"mentions_new_{k}": v for k, v in sorted(labels.items())},
         **{f"events_new_{k}": v for k, v in sorted(types.items())}},
        preview,
    )


def _load_lineage(con: duckdb.DuckDBPyConnection, reference_dir) -> None:
    """entity_lineage from the reference renames (names in force by date, grouped by today's)."""
    from pipeline.reference import load_reference
    from pipeline.stages.entities.lineage import Lineage

    rows = Lineage.from_renames(load_reference(reference_dir).renames).rows()
    _in_transaction(con, [("delete from entity_lineage", [])] + [
        ("insert into entity_lineage values (?, ?, ?)",
         [r["label"], r["canonical"], r["current_canonical"]]) for r in rows])


# Written by another step too: the search asset indexes new articles itself when it runs first
# (a backfill, the automation sensor), so the enrichment replaces those rows.
SHARED_ENRICH_TABLES = ("article_search",)


def _load_tables(con: duckdb.DuckDBPyConnection, loads: list[tuple[str, list, object]],
                 article_ids: list[str]) -> None:
    """Insert rows of some articles into several tables (replacing them in the shared ones),
    in one transaction."""
    con.execute("begin transaction")
    try:
        for table, rows, schema in loads:
            if table in SHARED_ENRICH_TABLES:
                con.execute(f'delete from "{table}" '
                            "where article_id in (select unnest(?::varchar[]))", [article_ids])
            insert_rows(con, table, R.to_table(rows, schema))
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


# ---------------------------------------------------------------- reports


def reports_step(con: duckdb.DuckDBPyConnection, settings: Settings) -> StepResult:
    """Run every report in sql/reports and write each as CSV under the reports folder; a report
    whose tables and SQL did not change since its CSV was written is skipped."""
    from pipeline.fingerprints import OutputStore, TableFingerprints
    from pipeline.formatting import csv_frame
    from pipeline.warehouse import list_reports, read_sql, run_report
    from pipeline.warehouse.sqlfiles import REPORTS_DIR

    settings.reports_dir.mkdir(parents=True, exist_ok=True)
    tables, store = TableFingerprints(con), OutputStore(settings.reports_dir)
    counts, skipped = {}, 0
    for name in list_reports():
        path = settings.reports_dir / f"{name}.csv"
        inputs = tables.inputs(read_sql(REPORTS_DIR / f"{name}.sql"))
        if (kept := store.unchanged(path, inputs)) is not None:
            counts[name], skipped = kept["rows"], skipped + 1
            continue
        frame = run_report(con, name)
        # With a BOM: Excel on Korean Windows reads a UTF-8 file as CP949 without one.
        csv_frame(frame).to_csv(path, index=False, encoding="utf-8-sig")
        counts[name] = len(frame)
        store.record(path, inputs, rows=len(frame))
    store.save()
    preview = pd.DataFrame([{"report": k, "rows": v} for k, v in counts.items()])
    return StepResult({**counts, "reports_skipped": skipped,
                       "reports_written": len(counts) - skipped}, preview)


def chart_report_step(con: duckdb.DuckDBPyConnection, settings: Settings) -> StepResult:
    """Write the self-contained HTML chart report under the reports folder, unless the tables it
    reads, its code and its report SQL are unchanged since it was written."""
    import pipeline.charts
    from pipeline.charts import build_chart_report
    from pipeline.fingerprints import OutputStore, TableFingerprints, names_in
    from pipeline.warehouse import list_reports, read_sql
    from pipeline.warehouse.sqlfiles import REPORTS_DIR

    settings.reports_dir.mkdir(parents=True, exist_ok=True)
    path = settings.reports_dir / "axnews-report.html"
    code = Path(pipeline.charts.__file__).read_text(encoding="utf-8")
    reports = [read_sql(REPORTS_DIR / f"{name}.sql") for name in names_in(code, list_reports())]
    inputs = TableFingerprints(con).inputs(code, *reports)
    store = OutputStore(settings.reports_dir, ".chart-inputs.json")
    skipped = store.unchanged(path, inputs) is not None
    if not skipped:
        tmp = path.with_suffix(".html.tmp")
        tmp.write_text(build_chart_report(con), encoding="utf-8")
        tmp.replace(path)  # atomic: a browser never sees half a report
        store.record(path, inputs)
        store.save()
    return StepResult({"bytes": path.stat().st_size, "skipped": int(skipped)},
                      pd.DataFrame([{"path": str(path)}]))
