"""Turn discovered pages into RawPage records: read saved files, fetch URLs politely.

Every file read or URL fetch ends as exactly one RawPage; a page-level failure is a RawPage
with ``ok=False`` and a REASONS code, never an exception.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from pipeline.models import PageRef, RawPage, Source
from pipeline.stages.charset import DecodeError, charset_from_content_type, decode_html
from pipeline.stages.http_client import MB, FetchPolicy, HttpClient, Response
from pipeline.stages.urls import canonicalize

__all__ = ["FetchPolicy", "HttpClient", "Response"]  # re-exported: callers import them from here

PAGE_ID_CHARS = 16
HEAD_SCAN_CHARS = 32_768
# <link>/<meta> tags that may declare the page's URL; only these go through the HTML parser
# (parsing the whole head was a third of the time spent reading saved pages).
URL_TAGS = re.compile(r"<(?:link|meta)\b[^>]*(?:canonical|og:url)[^>]*>", re.IGNORECASE)
BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"PK\x03\x04", "ZIP"),
    (b"\x1f\x8b", "gzip"),
    (b"RIFF", "RIFF (WebP/AVI)"),
)
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", ""})
DEFAULT_POLICY = FetchPolicy()
NOT_FOUND_STATUSES = frozenset({404, 410})
ACCEPT_HTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
ACCEPT_FEED = "application/rss+xml,application/atom+xml,application/xml,text/xml;q=0.9,*/*;q=0.5"


@dataclass
class FetchStats:
    """Counters that fetch_pages keeps while it runs (for asset metadata)."""

    fetched: int = 0
    failed: int = 0
    skipped_done: int = 0
    skipped_exhausted: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def count(self, page: RawPage) -> None:
        """Count one finished page."""
        if page.ok:
            self.fetched += 1
        else:
            self.failed += 1
            self.reasons[page.reason or "?"] = self.reasons.get(page.reason or "?", 0) + 1


# ---------------------------------------------------------------- records


def now_utc() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def page_id_for(source: str, canonical_url: str) -> str:
    """Stable short id of (source, canonical url)."""
    digest = hashlib.sha256(f"{source}\n{canonical_url}".encode()).hexdigest()
    return digest[:PAGE_ID_CHARS]


def failed_page(
    source: str,
    url: str,
    reason: str,
    detail: str = "",
    *,
    final_url: str | None = None,
    http_status: int | None = None,
    content_type: str | None = None,
    n_bytes: int = 0,
    content_hash: str | None = None,
    attempts: int = 1,
) -> RawPage:
    """A RawPage for a read, fetch or discovery that failed."""
    canonical = canonicalize(url)
    return RawPage(
        page_id=page_id_for(source, canonical),
        source=source,
        url=url,
        canonical_url=canonical,
        final_url=final_url or url,
        fetched_at=now_utc(),
        ok=False,
        http_status=http_status,
        content_type=content_type,
        n_bytes=n_bytes,
        content_hash=content_hash,
        reason=reason,
        detail=detail or None,
        attempts=attempts,
    )


def sniff_binary(body: bytes) -> str | None:
    """Name the binary format of a body (magic number or NUL bytes), or None for text."""
    for magic, name in BINARY_MAGIC:
        if body.startswith(magic):
            return name
    head = body[:1024]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary (NUL bytes)"
    return None


class _HeadLinks(HTMLParser):
    """Collect <link rel=canonical> and og:url from a page head."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.canonical: str | None = None
        self.og_url: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "").strip() for k, v in attrs}
        if tag == "link" and "canonical" in a.get("rel", "").lower().split() and a.get("href"):
            self.canonical = self.canonical or a["href"]
        elif tag == "meta" and a.get("property", a.get("name", "")).lower() == "og:url":
            self.og_url = self.og_url or a.get("content") or None


def declared_url(html: str, base: str | None = None) -> str | None:
    """Return the page's own absolute http(s) URL from rel=canonical or og:url, if any."""
    head = html[:HEAD_SCAN_CHARS]
    end = head.lower().find("</head>")
    parser = _HeadLinks()
    try:
        parser.feed("".join(URL_TAGS.findall(head if end < 0 else head[:end])))
    except Exception:  # noqa: BLE001 - a broken head only means no declared URL
        return None
    for candidate in (parser.canonical, parser.og_url):
        if not candidate:
            continue
        absolute = urljoin(base, candidate) if base else candidate
        if urlsplit(absolute).scheme in ("http", "https"):
            return absolute
    return None


def _sha256(body: bytes) -> str:
    """sha256 hex digest of bytes."""
    return hashlib.sha256(body).hexdigest()


# ---------------------------------------------------------------- files


def read_page_file(ref: PageRef, max_bytes: int = 5 * MB) -> RawPage:
    """Read one saved page from disk into a RawPage (never raises for a bad file)."""
    file_url = Path(ref.path).resolve().as_uri() if ref.path else ref.url
    try:
        with open(ref.path or "", "rb") as fh:
            body = fh.read(max_bytes + 1)
    except FileNotFoundError:
        return failed_page(ref.source, file_url, "not_found", f"no such file: {ref.path}")
    except OSError as exc:
        return failed_page(ref.source, file_url, "not_found", f"unreadable: {exc}")
    if len(body) > max_bytes:
        return failed_page(
            ref.source, file_url, "too_large", f"file exceeds {max_bytes} bytes", n_bytes=max_bytes
        )
    return page_from_body(ref.source, file_url, file_url, body, None, None, 1)


def page_from_body(
    source: str,
    url: str,
    final_url: str,
    body: bytes,
    content_type: str | None,
    http_status: int | None,
    attempts: int,
) -> RawPage:
    """Check and decode a complete body into a RawPage (ok, or empty/not_html/decode_error)."""
    info = {
        "final_url": final_url,
        "http_status": http_status,
        "content_type": content_type,
        "n_bytes": len(body),
        "content_hash": _sha256(body) if body else None,
        "attempts": attempts,
    }
    if not body.strip():
        return failed_page(source, url, "empty", "empty body", **info)
    binary = sniff_binary(body)
    if binary:
        return failed_page(source, url, "not_html", f"{binary} bytes", **info)
    try:
        html, encoding = decode_html(body, charset_from_content_type(content_type))
    except DecodeError as exc:
        return failed_page(source, url, "decode_error", str(exc), **info)
    if url.startswith("file:"):  # a saved page is known by the URL it declares for itself
        url = declared_url(html) or url
    canonical = canonicalize(url)  # fetched pages keep the discovered URL: skip lists use it
    return RawPage(
        page_id=page_id_for(source, canonical),
        source=source,
        url=url,
        canonical_url=canonical,
        final_url=final_url,
        fetched_at=now_utc(),
        ok=True,
        http_status=http_status,
        content_type=content_type,
        encoding=encoding,
        n_bytes=len(body),
        content_hash=info["content_hash"],
        html=html,
        attempts=attempts,
    )


def _media_type(content_type: str | None) -> str:
    """The lower-case media type of a Content-Type value, without parameters."""
    return (content_type or "").split(";")[0].strip().lower()




def _status_reason(status: int | None) -> str | None:
    """The REASONS code for a final HTTP status, None for 2xx."""
    if status is None or 200 <= status < 300:
        return None
    if status in NOT_FOUND_STATUSES:
        return "not_found"
    return "http_error"


def fetch_url(source: str, url: str, client: HttpClient) -> RawPage:
    """Fetch one HTML page into a RawPage (never raises for a page-level failure)."""
    resp, attempts = client.get(url, ACCEPT_HTML, client.policy.max_bytes)
    info = {
        "final_url": resp.url,
        "http_status": resp.status,
        "content_type": resp.content_type,
        "n_bytes": resp.n_bytes,
        "attempts": max(1, attempts),
    }
    if resp.reason:
        return failed_page(source, url, resp.reason, resp.detail, **info)
    status_reason = _status_reason(resp.status)
    if status_reason:
        return failed_page(source, url, status_reason, f"HTTP {resp.status}", **info)
    if _media_type(resp.content_type) not in HTML_TYPES:
        info["content_hash"] = _sha256(resp.body)
        return failed_page(source, url, "not_html", f"content type {resp.content_type}", **info)
    return page_from_body(
        source, url, resp.url, resp.body, resp.content_type, resp.status, max(1, attempts)
    )


def fetch_document(url: str, client: HttpClient, max_bytes: int | None = None) -> Response:
    """Fetch a feed, sitemap or URL list for discovery; reason is set when it failed."""
    resp, _ = client.get(url, ACCEPT_FEED, max_bytes or client.policy.max_bytes)
    status_reason = None if resp.reason else _status_reason(resp.status)
    if status_reason:
        return Response(
            resp.url,
            status=resp.status,
            reason=status_reason,
            detail=f"HTTP {resp.status} for {url}",
        )
    return resp


def policy_for(source: Source, policy: FetchPolicy) -> FetchPolicy:
    """The policy for one source: its allow_private flag widens the policy's."""
    if source.allow_private and not policy.allow_private:
        return replace(policy, allow_private=True)
    return policy


# ---------------------------------------------------------------- many pages


def _is_file_ref(ref: PageRef) -> bool:
    """True when the ref names a local file rather than a URL to fetch."""
    return bool(ref.path) or ref.url.startswith("file:")


def _file_ref(ref: PageRef) -> PageRef:
    """A file ref with its path filled in from a file:// URL when needed."""
    if ref.path:
        return ref
    from urllib.request import url2pathname

    return PageRef(ref.source, ref.url, url2pathname(urlsplit(ref.url).path), ref.lastmod)


def _skip_reason(
    ref: PageRef, skip_urls: frozenset[str], attempts_so_far: Mapping[str, int], max_attempts: int
) -> str | None:
    """'done' when the canonical URL was fetched OK, 'exhausted' when out of attempts."""
    key = canonicalize(ref.url)
    if key in skip_urls or ref.url in skip_urls:
        return "done"
    if attempts_so_far.get(key, 0) >= max_attempts:
        return "exhausted"
    return None


def fetch_pages(
    refs: Iterable[PageRef],
    policy: FetchPolicy = DEFAULT_POLICY,
    *,
    skip_urls: frozenset[str] = frozenset(),
    attempts_so_far: Mapping[str, int] | None = None,
    max_attempts: int = 3,
    on_skip: Callable[[PageRef, str], None] | None = None,
    stats: FetchStats | None = None,
    client: HttpClient | None = None,
) -> Iterator[RawPage]:
    """Read file refs and fetch URL refs; yield one RawPage per ref not skipped.

    ``skip_urls`` holds canonical URLs already fetched OK. ``attempts_so_far`` maps a canonical
    URL to the requests already spent on it in earlier runs (the ``attempts`` of its last failed
    RawPage); a URL with ``max_attempts`` or more is not tried again. ``RawPage.attempts`` is
    cumulative: earlier attempts plus this run's requests (retries included, redirects not).
    URL pages are yielded in completion order, file pages in input order.
    """
    attempts_so_far = attempts_so_far or {}
    stats = stats if stats is not None else FetchStats()
    own_client = client is None
    client = client or HttpClient(policy)
    window = max(1, policy.max_concurrency) * 4
    pending: set[Future[RawPage]] = set()
    try:
        with ThreadPoolExecutor(max_workers=max(1, policy.max_concurrency)) as pool:
            for ref in refs:
                why = _skip_reason(ref, skip_urls, attempts_so_far, max_attempts)
                if why:
                    stats.skipped_done += why == "done"
                    stats.skipped_exhausted += why == "exhausted"
                    if on_skip:
                        on_skip(ref, why)
                    continue
                prior = attempts_so_far.get(canonicalize(ref.url), 0)
                if _is_file_ref(ref):
                    page = read_page_file(_file_ref(ref), policy.max_bytes)
                    page = replace(page, attempts=prior + page.attempts)
                    stats.count(page)
                    yield page
                    continue
                pending.add(pool.submit(_fetch_safely, ref, client, prior))
                while len(pending) >= window:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    yield from _collect(done, stats)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from _collect(done, stats)
    finally:
        for fut in pending:
            fut.cancel()
        if own_client:
            client.close()


def _collect(done: set[Future[RawPage]], stats: FetchStats) -> Iterator[RawPage]:
    """Yield and count the pages of finished futures."""
    for fut in done:
        page = fut.result()
        stats.count(page)
        yield page


def _fetch_safely(ref: PageRef, client: HttpClient, prior_attempts: int) -> RawPage:
    """fetch_url with attempts counted across runs; an unexpected error becomes a failed page."""
    try:
        page = fetch_url(ref.source, ref.url, client)
    except Exception as exc:  # noqa: BLE001 - one bad page must not stop the run
        page = failed_page(ref.source, ref.url, "connection_error", f"{type(exc).__name__}: {exc}")
    return replace(page, attempts=prior_attempts + page.attempts)
