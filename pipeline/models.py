"""Frozen records that the stages pass along, in the order data flows.

Stages never mutate a record: they return new ones (``dataclasses.replace``).
Every record that can fail carries a machine-readable ``reason`` code (see REASONS)
so that nothing is dropped silently: failures become ``pages``/``rejects`` rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

SourceKind = Literal["html_dir", "urls", "feed", "sitemap", "warc"]

# Reason codes used in pages.error and rejects.reason. Stages may add a detail text.
REASONS = {
    # fetch / read
    "not_found": "file or URL does not exist (404/410 or missing file)",
    "http_error": "HTTP status other than 2xx after retries",
    "timeout": "connect or read timeout after retries",
    "connection_error": "connection refused, reset or DNS failure",
    "too_many_redirects": "redirect limit exceeded or redirect loop",
    "robots_disallowed": "robots.txt forbids this URL for our user agent",
    "private_address": "host resolves to a private/loopback/link-local/metadata address",
    "bad_scheme": "only http and https are fetched",
    "not_html": "content type or bytes are not HTML (PDF, image, binary)",
    "too_large": "body larger than the configured maximum; cut off",
    "truncated": "body shorter than its Content-Length",
    "decompression_bomb": "compressed body expands past the configured maximum",
    "empty": "empty body",
    "decode_error": "bytes could not be decoded to text",
    "outside_root": "path escapes the configured html_dir",
    "duplicate_url": "another file or URL of the run has the same page id (canonical URL); one is kept",
    # extract / clean
    "broken_html": "HTML could not be parsed",
    "raw_missing": "the stored raw body is missing or corrupt (fetch again with --refetch)",
    "no_body": "no article body in the HTML, script data or description",
    "not_article": "list/index/section page rather than an article",
    "error_page": "the page is an error page (404 text, 서비스 점검, ...)",
    "too_short": "body shorter than the minimum length",
    "language": "language other than Korean or English",
    "duplicate": "exact duplicate of another article's body",
    # enrich
    "enrich_error": "the entity, event or search rules raised on this article (detail: the error)",
}


@dataclass(frozen=True)
class Source:
    """One entry of the sources file."""

    name: str
    kind: SourceKind
    location: str  # folder, file path or URL; relative paths resolve against the sources file
    outlet: str = ""  # human name of the outlet, for reports
    allow_private: bool = False  # allow loopback/private hosts (tests, demo)
    options: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class PageRef:
    """A page that discovery found: a URL to fetch or a file to read."""

    source: str
    url: str  # canonical URL or file:// URL
    path: str | None = None  # local file when the page is read from disk
    lastmod: datetime | None = None


@dataclass(frozen=True)
class RawPage:
    """One fetch or read attempt, successful or not (a ``pages`` row)."""

    page_id: str  # stable id of (source, canonical url)
    source: str
    url: str  # as discovered
    canonical_url: str
    final_url: str  # after redirects
    fetched_at: datetime
    ok: bool
    http_status: int | None = None
    content_type: str | None = None
    encoding: str | None = None  # charset used to decode ``html``
    n_bytes: int = 0
    content_hash: str | None = None  # sha256 of the raw body
    html: str | None = None  # decoded body, None on failure
    reason: str | None = None  # a REASONS key when not ok
    detail: str | None = None
    attempts: int = 1


@dataclass(frozen=True)
class ExtractedPage:
    """What extraction found in one page's HTML, before cleaning."""

    page_id: str
    source: str
    url: str
    title: str | None
    text: str  # main text as extracted, paragraphs separated by "\n"
    body_source: str  # trafilatura | json_ld | next_data | fusion | meta_description
    author: str | None = None
    date: str | None = None  # as found; clean stage parses it
    date_updated: str | None = None
    sitename: str | None = None
    description: str | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    canonical_url: str | None = None
    language: str | None = None
    html_hints: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Article:
    """A clean article record (an ``articles`` row)."""

    article_id: str  # hash of the normalized body: exact duplicates share it
    page_id: str
    source: str
    url: str
    canonical_url: str
    title: str
    text: str  # clean body, paragraphs separated by "\n"
    language: str  # ko | en
    published_at: datetime | None
    updated_at: datetime | None = None
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    author_emails: tuple[str, ...] = ()
    site_name: str | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    captions: tuple[str, ...] = ()
    body_source: str = "trafilatura"
    content_hash: str = ""


@dataclass(frozen=True)
class Reject:
    """A page or article that a stage refused, with the reason (a ``rejects`` row)."""

    page_id: str
    source: str
    url: str
    stage: str  # fetch | extract | clean | dedupe | enrich
    reason: str  # a REASONS key
    detail: str = ""
    text: str = ""  # what extraction found on a page the quality gate refused: kept, not lost


Label = Literal["PERSON", "ORG", "LOCATION", "LAW", "TECH", "DATE", "MONEY"]
LABELS: tuple[str, ...] = ("PERSON", "ORG", "LOCATION", "LAW", "TECH", "DATE", "MONEY")


@dataclass(frozen=True)
class Mention:
    """One entity mention in a text, with character offsets into that text."""

    start: int
    end: int
    label: str  # one of LABELS
    text: str  # surface form, == text[start:end]
    canonical: str  # canonical name (reference data, or the normalized surface)
    entity_id: str  # stable: "<label>:<normalized canonical>"
    sentence_index: int = 0
    known: bool = False  # True when linked to the reference data
    role: str | None = None  # PERSON: title such as 원장, 장관
    affiliation: str | None = None  # PERSON: canonical ORG name
    value: float | None = None  # MONEY: normalized amount; DATE: unused
    unit: str | None = None  # MONEY: KRW | USD ...; DATE: ISO date when resolvable


@dataclass(frozen=True)
class Quote:
    """A direct quote attributed to a speaker."""

    start: int
    end: int
    text: str
    speaker: str | None  # canonical name
    speaker_entity_id: str | None
    speaker_role: str | None
    sentence_index: int = 0


@dataclass(frozen=True)
class Enrichment:
    """Everything the enrich stage finds in one article."""

    article_id: str
    mentions: tuple[Mention, ...]
    quotes: tuple[Quote, ...] = ()
    topics: tuple[str, ...] = ()  # TECH canonical names, most mentioned first
