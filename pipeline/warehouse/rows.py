"""Records → Arrow tables with fixed schemas, so loads are bulk and types never drift."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime

import pyarrow as pa

from pipeline.models import Article, Enrichment, Mention, RawPage, Reject, Source

TS = pa.timestamp("us", tz="UTC")
STR_LIST = pa.list_(pa.string())

SOURCES = pa.schema(
    [("name", pa.string()), ("kind", pa.string()), ("location", pa.string()),
     ("outlet", pa.string()), ("allow_private", pa.bool_()), ("options_json", pa.string()),
     ("loaded_at", TS)]
)
PAGES = pa.schema(
    [("page_id", pa.string()), ("source", pa.string()), ("url", pa.string()),
     ("canonical_url", pa.string()), ("final_url", pa.string()), ("fetched_at", TS),
     ("ok", pa.bool_()), ("http_status", pa.int32()), ("content_type", pa.string()),
     ("encoding", pa.string()), ("n_bytes", pa.int64()), ("content_hash", pa.string()),
     ("html_key", pa.string()), ("reason", pa.string()), ("detail", pa.string()),
     ("attempts", pa.int32()), ("partition_day", pa.date32())]
)
ARTICLES = pa.schema(
    [("article_id", pa.string()), ("page_id", pa.string()), ("source", pa.string()),
     ("url", pa.string()), ("canonical_url", pa.string()), ("title", pa.string()),
     ("subtitle", pa.string()), ("text", pa.string()), ("language", pa.string()),
     ("published_at", TS), ("updated_at", TS), ("authors", STR_LIST),
     ("author_emails", STR_LIST), ("site_name", pa.string()), ("section", pa.string()),
     ("tags", STR_LIST), ("captions", STR_LIST), ("body_source", pa.string()),
     ("content_hash", pa.string()), ("n_chars", pa.int32()), ("story_id", pa.string())]
)
ARTICLE_URLS = pa.schema(
    [("article_id", pa.string()), ("url", pa.string()), ("page_id", pa.string()),
     ("source", pa.string())]
)
STORIES = pa.schema(
    [("story_id", pa.string()), ("article_id", pa.string()), ("is_representative", pa.bool_()),
     ("similarity", pa.float64())]
)
PROCESSED = pa.schema(
    [("stage", pa.string()), ("item_id", pa.string()), ("input_key", pa.string()),
     ("article_id", pa.string()), ("reason", pa.string())]
)
SIGNATURES = pa.schema([("article_id", pa.string()), ("signature", pa.binary())])
BANDS = pa.schema([("article_id", pa.string()), ("band", pa.int32()), ("band_key", pa.int64())])
REJECTS = pa.schema(
    [("page_id", pa.string()), ("source", pa.string()), ("url", pa.string()),
     ("stage", pa.string()), ("reason", pa.string()), ("detail", pa.string()), ("text", pa.string())]
)
MENTIONS = pa.schema(
    [("article_id", pa.string()), ("entity_id", pa.string()), ("field", pa.string()),
     ("label", pa.string()), ("start_char", pa.int32()), ("end_char", pa.int32()), ("surface", pa.string()),
     ("canonical", pa.string()), ("sentence_index", pa.int32()), ("known", pa.bool_()),
     ("role", pa.string()), ("affiliation", pa.string()), ("value", pa.float64()),
     ("unit", pa.string())]
)
QUOTES = pa.schema(
    [("article_id", pa.string()), ("quote_index", pa.int32()), ("quote", pa.string()),
     ("speaker", pa.string()), ("speaker_entity_id", pa.string()),
     ("speaker_role", pa.string()), ("start_char", pa.int32()), ("end_char", pa.int32()),
     ("sentence_index", pa.int32())]
)
TOPICS = pa.schema(
    [("article_id", pa.string()), ("topic", pa.string()), ("n_mentions", pa.int32())]
)


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def to_table(rows: Sequence[Mapping], schema: pa.Schema) -> pa.Table:
    """Build an Arrow table from dict rows with the given schema."""
    return pa.Table.from_pylist(list(rows), schema=schema)


def sources_table(sources: Iterable[Source], loaded_at: datetime) -> pa.Table:
    """Rows of the `sources` table."""
    return to_table(
        [
            {"name": s.name, "kind": s.kind, "location": s.location, "outlet": s.outlet,
             "allow_private": s.allow_private,
             "options_json": json.dumps(s.options, ensure_ascii=False, default=str),
             "loaded_at": _utc(loaded_at)}
            for s in sources
        ],
        SOURCES,
    )


def page_row(page: RawPage, html_key: str | None, day: date | None = None) -> dict:
    """One `pages` row."""
    return {
        "page_id": page.page_id, "source": page.source, "url": page.url,
        "canonical_url": page.canonical_url, "final_url": page.final_url,
        "fetched_at": _utc(page.fetched_at), "ok": page.ok, "http_status": page.http_status,
        "content_type": page.content_type, "encoding": page.encoding, "n_bytes": page.n_bytes,
        "content_hash": page.content_hash, "html_key": html_key, "reason": page.reason,
        "detail": page.detail, "attempts": page.attempts, "partition_day": day,
    }


def reject_row(reject: Reject) -> dict:
    """One `rejects` row."""
    return {"page_id": reject.page_id, "source": reject.source, "url": reject.url,
            "stage": reject.stage, "reason": reject.reason, "detail": reject.detail,
            "text": reject.text or None}


def article_row(article: Article, story_id: str | None) -> dict:
    """One `articles` row."""
    return {
        "article_id": article.article_id, "page_id": article.page_id, "source": article.source,
        "url": article.url, "canonical_url": article.canonical_url, "title": article.title,
        "subtitle": article.subtitle, "text": article.text, "language": article.language,
        "published_at": _utc(article.published_at), "updated_at": _utc(article.updated_at),
        "authors": list(article.authors), "author_emails": list(article.author_emails),
        "site_name": article.site_name, "section": article.section, "tags": list(article.tags),
        "captions": list(article.captions), "body_source": article.body_source,
        "content_hash": article.content_hash, "n_chars": len(article.text), "story_id": story_id,
    }


def mention_rows(article_id: str, mentions: Iterable[Mention], field: str) -> list[dict]:
    """`mentions` rows; offsets index the article's title or text (field)."""
    return [
        {"article_id": article_id, "entity_id": m.entity_id, "field": field, "label": m.label, "start_char": m.start,
         "end_char": m.end, "surface": m.text, "canonical": m.canonical,
         "sentence_index": m.sentence_index, "known": m.known, "role": m.role,
         "affiliation": m.affiliation, "value": m.value, "unit": m.unit}
        for m in mentions
    ]


def enrichment_rows(enrichment: Enrichment) -> tuple[list[dict], list[dict], list[dict]]:
    """`mentions` (text field), `quotes` and `article_topics` rows of one article."""
    aid = enrichment.article_id
    mentions = mention_rows(aid, enrichment.mentions, "text")
    quotes = [
        {"article_id": aid, "quote_index": i, "quote": q.text, "speaker": q.speaker,
         "speaker_entity_id": q.speaker_entity_id, "speaker_role": q.speaker_role,
         "start_char": q.start, "end_char": q.end, "sentence_index": q.sentence_index}
        for i, q in enumerate(enrichment.quotes)
    ]
    counts: dict[str, int] = {}
    for m in enrichment.mentions:
        if m.label == "TECH":
            counts[m.canonical] = counts.get(m.canonical, 0) + 1
    topics = [{"article_id": aid, "topic": t, "n_mentions": n} for t, n in counts.items()]
    return mentions, quotes, topics

EVENTS = pa.schema(
    [("article_id", pa.string()), ("event_index", pa.int32()), ("type", pa.string()),
     ("start_char", pa.int32()), ("end_char", pa.int32()), ("sentence", pa.string()),
     ("title", pa.string()), ("basis", pa.string()), ("date", pa.string()),
     ("date_end", pa.string()), ("amount", pa.float64()), ("currency", pa.string()),
     ("region", pa.string())]
)  # dates travel as ISO strings; DuckDB casts them to DATE on insert
EVENT_ROLES = pa.schema(
    [("article_id", pa.string()), ("event_index", pa.int32()), ("role", pa.string()),
     ("entity_id", pa.string()), ("name", pa.string())]
)


def mention_from_row(row: Mapping) -> Mention:
    """A Mention rebuilt from a `mentions` row."""
    return Mention(start=row["start_char"], end=row["end_char"], label=row["label"],
                   text=row["surface"], canonical=row["canonical"], entity_id=row["entity_id"],
                   sentence_index=row["sentence_index"] or 0, known=bool(row["known"]),
                   role=row["role"], affiliation=row["affiliation"], value=row["value"],
                   unit=row["unit"])

SEARCH = pa.schema(
    [("article_id", pa.string()), ("title", pa.string()), ("search_text", pa.string()),
     ("text_hash", pa.string())]
)
