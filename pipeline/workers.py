"""What runs in a pool worker: page extraction, and article enrichment with the worker's extractor.

The extractor (Kiwi, the reference gazetteers, an optional NER model) is costly to build, so each
process builds it once and keeps it in this module: the only process-wide state of the pipeline.
"""

from __future__ import annotations

import gc
from pathlib import Path

from pipeline.models import Article, RawPage, Reject
from pipeline.warehouse import rows as R

ENRICH_GROUP = 16  # articles per Kiwi call in a worker (see extract_many_with_tokens)

_EXTRACTOR = None  # this process's EntityExtractor, built by init_extractor
_EXTRACTOR_KEY: tuple | None = None


def _load_page(row: tuple, store) -> RawPage:
    page_id, source, url, canonical_url, final_url, fetched_at, encoding, html_key, n_bytes, h = row
    html = store.get(html_key).decode("utf-8")
    return RawPage(page_id=page_id, source=source, url=url, canonical_url=canonical_url,
                   final_url=final_url or url, fetched_at=fetched_at, ok=True, encoding=encoding,
                   n_bytes=n_bytes or 0, content_hash=h, html=html)


def extract_and_sign_row(row: tuple, raw_dir: str) -> tuple[Article | Reject, bytes | None]:
    """Read one page from the raw store and extract it (in a worker: reading is work too)."""
    from pipeline.stages.rawstore import RawStore

    try:
        page = _load_page(row, RawStore(Path(raw_dir)))
    except (KeyError, ValueError, UnicodeDecodeError) as exc:
        return Reject(row[0], row[1], row[2], "extract", "raw_missing",
                      f"raw body {row[7]}: {type(exc).__name__}: {exc}"[:500]), None
    return extract_and_sign(page)


def extract_and_sign(page: RawPage) -> tuple[Article | Reject, bytes | None]:
    """Extract and clean one page; an article also gets its MinHash signature."""
    from pipeline.stages import clean
    from pipeline.stages.dedupe import minhash
    from pipeline.stages.stories import NUM_PERM, signature_bytes

    try:
        result = clean.process_page(page)
    except Exception as exc:  # noqa: BLE001 - a bug on one page must not sink the run
        return Reject(page.page_id, page.source, page.url, "extract", "broken_html",
                      f"{type(exc).__name__}: {exc}"[:500]), None
    if isinstance(result, Reject):
        return result, None
    return result, signature_bytes(minhash(result.text, NUM_PERM))


def init_extractor(reference_dir, ner_model=None, ner_label_map=None) -> None:
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


def extractor():
    """This process's extractor (init_extractor builds it)."""
    return _EXTRACTOR


def enrich_many(articles: list[Article]) -> list[dict]:
    """Rows of each article; one Kiwi analysis per text (titles and bodies of the group in one
    call), shared by entities, quotes, events and the search index.

    An article the rules raise on gets ``{"error": "<type>: <message>"}`` instead of rows: the
    group is analysed again one article at a time, so one bad text costs only its own rows.
    """
    try:
        return _enrich_group(articles)
    except Exception as exc:  # noqa: BLE001 - one article must not sink its group or the run
        if len(articles) == 1:
            return [{"error": f"{type(exc).__name__}: {exc}"[:500]}]
    return [row for article in articles for row in enrich_many([article])]


def _enrich_group(articles: list[Article]) -> list[dict]:
    from pipeline.search import search_row
    from pipeline.stages.enrich import enrichment_of, misplaced_mention
    from pipeline.stages.events import event_rows, extract_events

    n = len(articles)
    found = _EXTRACTOR.extract_many_with_tokens(
        [a.title for a in articles] + [a.text for a in articles],
        [a.published_at for a in articles] * 2)
    out = []
    for article, (title_mentions, _, title_tokens), (mentions, quotes, tokens) in zip(
            articles, found[:n], found[n:]):
        problem = misplaced_mention(title_mentions, article.title, "title") or \
            misplaced_mention(mentions, article.text, "text")
        if problem:
            raise ValueError(problem)
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


def article_stub(row: tuple) -> Article:
    """An Article with what enrichment reads, from a row of sql/load/articles_to_enrich.sql."""
    article_id, page_id, source, url, title, text, language, published_at = row
    return Article(article_id=article_id, page_id=page_id, source=source, url=url,
                   canonical_url=url, title=title, text=text, language=language,
                   published_at=published_at)
