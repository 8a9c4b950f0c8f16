"""One function per asset: read the input tables, call the stages, load the output tables.

These know the warehouse and the stages but not Dagster, so the CLI, the benchmark and the tests
run exactly what the assets run. Every step is idempotent: it replaces the rows it owns.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from pipeline.models import Article, RawPage, Reject, Source
from pipeline.parallel import WorkerPool, batched
from pipeline.settings import SQL_DIR, Settings
from pipeline.sources import load_fetch_policy, load_sources
from pipeline.warehouse import insert_rows, replace_table, replace_where
from pipeline.warehouse import rows as R

SEOUL = ZoneInfo("Asia/Seoul")
PAGE_BATCH = 500  # pages held in memory at once while fetching and extracting


@dataclass(frozen=True)
class StepResult:
    """Counts and a small preview, shown as asset metadata and by the CLI."""

    counts: dict[str, int]
    preview: pd.DataFrame = field(default_factory=pd.DataFrame)
    by_reason: dict[str, int] = field(default_factory=dict)


def _now() -> datetime:
    return datetime.now(timezone.utc)


# ---------------------------------------------------------------- sources


def load_sources_step(con: duckdb.DuckDBPyConnection, settings: Settings,
                      extra: list[Source] | tuple = (), only_extra: bool = False) -> StepResult:
    """Replace the `sources` table with the sources file (plus one-off sources)."""
    sources = list(extra) if only_extra else load_sources(settings.sources_file) + list(extra)
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

    store = RawStore(settings.raw_dir)
    skip_urls, attempts = _fetch_state(con)
    if settings.refetch:
        skip_urls = frozenset()
    counts: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    preview: list[dict] = []
    per_source: dict[str, Counter[str]] = {}
    base_policy = load_fetch_policy(settings.sources_file)
    for source in read_sources(con):
        policy = dataclasses.replace(
            base_policy,
            allow_private=source.allow_private or settings.allow_private or base_policy.allow_private)
        source_counts = per_source.setdefault(source.name, Counter())
        refs_and_failures = (
            item for item in discover(source, policy=policy)
            if isinstance(item, RawPage) or in_day(item, source.kind, day)
        )
        for batch in batched(_fetch_stream(refs_and_failures, policy, skip_urls, attempts,
                                           settings, source_counts, source.kind), PAGE_BATCH):
            page_rows, reject_rows = [], []
            for page in batch:
                key = store.put(page.html.encode("utf-8")) if page.ok and page.html else None
                page_rows.append(R.page_row(page, key, day))
                source_counts["fetched" if page.ok else "failed"] += 1
                if not page.ok:
                    reasons[page.reason or "unknown"] += 1
                    reject_rows.append(R.reject_row(Reject(
                        page.page_id, page.source, page.url, "fetch",
                        page.reason or "unknown", page.detail or "")))
                if len(preview) < 10:
                    preview.append({"source": page.source, "url": page.url, "ok": page.ok,
                                    "reason": page.reason})
            ids = [r["page_id"] for r in page_rows]
            replace_where(con, "pages", R.to_table(page_rows, R.PAGES),
                          "page_id in (select unnest(?::varchar[]))", [ids])
            replace_where(con, "rejects", R.to_table(reject_rows, R.REJECTS),
                          "stage = 'fetch' and page_id in (select unnest(?::varchar[]))", [ids])
        counts.update(source_counts)
    by_source = pd.DataFrame(
        [{"source": name, **{k: c.get(k, 0) for k in ("discovered", "fetched", "skipped", "failed")}}
         for name, c in per_source.items()]
    )
    return StepResult(dict(counts), by_source if not by_source.empty else pd.DataFrame(preview),
                      dict(reasons))


def _fetch_stream(refs_and_failures, policy, skip_urls, attempts, settings, counts, kind):
    """Split discovery output: pages already read (WARC) or failed pass through, refs get fetched."""
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
            else:
                counts["discovered"] += 1
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


def _process(page: RawPage) -> Article | Reject:
    from pipeline.stages.clean import process_page

    try:
        return process_page(page)
    except Exception as exc:  # a bug on one page must not sink the run: keep it as a row
        return Reject(page.page_id, page.source, page.url, "extract", "broken_html",
                      f"{type(exc).__name__}: {exc}"[:500])


def build_articles_step(con: duckdb.DuckDBPyConnection, settings: Settings) -> StepResult:
    """Extract, clean and dedupe every fetched page; replace the article tables."""
    from pipeline.stages.dedupe import dedupe_articles
    from pipeline.stages.rawstore import RawStore

    store = RawStore(settings.raw_dir)
    cursor = con.execute(
        "select page_id, source, url, canonical_url, final_url, fetched_at, encoding, html_key, "
        "n_bytes, content_hash from pages where ok and html_key is not null order by page_id"
    )
    articles: list[Article] = []
    rejects: list[Reject] = []
    with WorkerPool(settings.workers) as pool:
        while rows := cursor.fetchmany(PAGE_BATCH):
            pages = [_load_page(r, store) for r in rows]
            for result in pool.map(_process, pages):
                (articles if isinstance(result, Article) else rejects).append(result)
    result = dedupe_articles(articles)
    story_of = {aid: sid for sid, aid, _rep, _sim in result.stories}
    rejects += result.duplicates
    replace_table(con, "articles", R.to_table(
        [R.article_row(a, story_of.get(a.article_id)) for a in result.articles], R.ARTICLES))
    sources_of = {p.page_id: p.source for p in articles}
    replace_table(con, "article_urls", R.to_table(
        [{"article_id": a, "url": u, "page_id": p, "source": sources_of.get(p)}
         for a, u, p in result.urls], R.ARTICLE_URLS))
    replace_table(con, "stories", R.to_table(
        [{"story_id": s, "article_id": a, "is_representative": rep, "similarity": sim}
         for s, a, rep, sim in result.stories], R.STORIES))
    replace_where(con, "rejects", R.to_table([R.reject_row(r) for r in rejects], R.REJECTS),
                  "stage <> 'fetch'")
    n_stories = len({s for s, *_ in result.stories})
    preview = pd.DataFrame(
        [{"source": a.source, "title": a.title[:60], "published_at": a.published_at,
          "chars": len(a.text)} for a in result.articles[:10]]
    )
    return StepResult(
        {"articles": len(result.articles), "rejects": len(rejects),
         "duplicates": len(result.duplicates), "stories": n_stories},
        preview, dict(Counter(r.reason for r in rejects)),
    )


# ---------------------------------------------------------------- entities

_EXTRACTOR = None


def _init_extractor(reference_dir) -> None:
    global _EXTRACTOR
    if _EXTRACTOR is None:
        from pipeline.reference import load_reference
        from pipeline.stages.enrich import EntityExtractor

        _EXTRACTOR = EntityExtractor(load_reference(reference_dir))


def _enrich(article: Article):
    """Entities of the body (with quotes and topics) and of the headline."""
    from pipeline.stages.enrich import enrich_article

    title_mentions, _ = _EXTRACTOR.extract(article.title, article.published_at)
    return enrich_article(article, _EXTRACTOR), title_mentions


def _article_stub(row: tuple) -> Article:
    article_id, page_id, source, url, title, text, language, published_at = row
    return Article(article_id=article_id, page_id=page_id, source=source, url=url,
                   canonical_url=url, title=title, text=text, language=language,
                   published_at=published_at)


def enrich_step(con: duckdb.DuckDBPyConnection, settings: Settings) -> StepResult:
    """Extract entities, quotes and topics from every article; rebuild the entity tables."""
    cursor = con.execute(
        "select article_id, page_id, source, url, title, text, language, published_at "
        "from articles order by article_id"
    )
    mentions, quotes, topics = [], [], []
    with WorkerPool(settings.workers, _init_extractor, (settings.reference_dir,)) as pool:
        while rows := cursor.fetchmany(PAGE_BATCH):
            stubs = [_article_stub(r) for r in rows]
            for enrichment, title_mentions in pool.map(_enrich, stubs, chunksize=2):
                m, q, t = R.enrichment_rows(enrichment)
                mentions += R.mention_rows(enrichment.article_id, title_mentions, "title") + m
                quotes += q
                topics += t
    con.execute("begin transaction")
    try:
        for table, rows, schema in (("mentions", mentions, R.MENTIONS),
                                    ("quotes", quotes, R.QUOTES),
                                    ("article_topics", topics, R.TOPICS)):
            con.execute(f"delete from {table}")
            insert_rows(con, table, R.to_table(rows, schema))
        for table in ("entities", "entity_aliases"):
            con.execute(f"delete from {table}")
            con.execute((SQL_DIR / "load" / f"{table}.sql").read_text(encoding="utf-8"))
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    by_label = Counter(m["label"] for m in mentions)
    preview = con.execute(
        "select label, canonical, n_mentions, known from entities "
        "order by n_mentions desc limit 10"
    ).df()
    n_entities = con.execute("select count(*) from entities").fetchone()[0]
    return StepResult(
        {"mentions": len(mentions), "entities": n_entities, "quotes": len(quotes),
         **{f"mentions_{k}": v for k, v in sorted(by_label.items())}},
        preview,
    )


# ---------------------------------------------------------------- reports


def reports_step(con: duckdb.DuckDBPyConnection, settings: Settings) -> StepResult:
    """Run every report in sql/reports and write each as CSV under the reports folder."""
    from pipeline.warehouse import list_reports, run_report

    settings.reports_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name in list_reports():
        frame = run_report(con, name)
        frame.to_csv(settings.reports_dir / f"{name}.csv", index=False)
        counts[name] = len(frame)
    return StepResult(counts, pd.DataFrame([{"report": k, "rows": v} for k, v in counts.items()]))


def chart_report_step(con: duckdb.DuckDBPyConnection, settings: Settings) -> StepResult:
    """Write the self-contained HTML chart report under the reports folder."""
    from pipeline.charts import build_chart_report

    settings.reports_dir.mkdir(parents=True, exist_ok=True)
    path = settings.reports_dir / "axnews-report.html"
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(build_chart_report(con), encoding="utf-8")
    tmp.replace(path)  # atomic: a browser never sees half a report
    return StepResult({"bytes": path.stat().st_size}, pd.DataFrame([{"path": str(path)}]))


# ---------------------------------------------------------------- events


def _events_of(item: tuple) -> tuple[str, list[dict], list[dict]]:
    from pipeline.stages.events import event_rows, extract_events

    article_id, text, published_at, mentions = item
    events = extract_events(text, mentions, published_at)
    rows, roles = event_rows(article_id, events)
    return article_id, rows, roles


def events_step(con: duckdb.DuckDBPyConnection, settings: Settings) -> StepResult:
    """Extract policy events from every article and its mentions; rebuild `events`, `event_roles`."""
    articles = con.execute(
        "select article_id, text, published_at from articles order by article_id").fetchall()
    frame = con.execute("select * from mentions where field = 'text' order by article_id, start_char").df()
    by_article: dict[str, list] = {}
    for row in frame.to_dict("records"):
        row = {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
        by_article.setdefault(row["article_id"], []).append(R.mention_from_row(row))
    items = [(aid, text, published, by_article.get(aid, [])) for aid, text, published in articles]
    rows, roles = [], []
    with WorkerPool(settings.workers) as pool:
        for batch in batched(items, PAGE_BATCH):
            for _aid, r, ro in pool.map(_events_of, batch, chunksize=2):
                rows += r
                roles += ro
    con.execute("begin transaction")
    try:
        con.execute("delete from events")
        con.execute("delete from event_roles")
        insert_rows(con, "events", R.to_table(rows, R.EVENTS))
        insert_rows(con, "event_roles", R.to_table(roles, R.EVENT_ROLES))
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    by_type = Counter(r["type"] for r in rows)
    preview = con.execute(
        "select e.type, e.date, string_agg(r.name, ', ') filter (where r.role = 'agent') as agent, "
        "string_agg(r.name, ', ') filter (where r.role = 'object') as object, e.title "
        "from events e join event_roles r using (article_id, event_index) "
        "group by all order by e.date desc nulls last limit 10").df()
    return StepResult({"events": len(rows), "event_roles": len(roles),
                       **{f"events_{k}": v for k, v in sorted(by_type.items())}}, preview)
