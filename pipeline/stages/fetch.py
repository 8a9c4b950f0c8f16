"""Turn discovered pages into RawPage records: read saved files, fetch URLs politely.

Every file read or URL fetch ends as exactly one RawPage; a page-level failure is a RawPage
with ``ok=False`` and a REASONS code, never an exception.
"""

from __future__ import annotations

import hashlib
import random
import re
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)

from pipeline.models import PageRef, RawPage, Source
from pipeline.stages.charset import DecodeError, charset_from_content_type, decode_html
from pipeline.stages.urls import canonicalize, check_address, resolve_address

MB = 1024 * 1024
CHUNK_BYTES = 64 * 1024
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
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/xml",
        "text/xml",
        "application/feed+json",
        "application/json",
        "application/x-gzip",
        "application/gzip",
        "application/octet-stream",
    }
)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
NOT_FOUND_STATUSES = frozenset({404, 410})
ACCEPT_HTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
ACCEPT_FEED = "application/rss+xml,application/atom+xml,application/xml,text/xml;q=0.9,*/*;q=0.5"
ROBOTS_MAX_BYTES = 512 * 1024


@dataclass(frozen=True)
class FetchPolicy:
    """How politely and defensively URLs are fetched."""

    user_agent: str = "axnews/0.1"
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    max_retries: int = 2
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    jitter: float = 0.25
    per_domain_delay: float = 1.0
    max_concurrency: int = 8
    per_domain_concurrency: int = 2
    max_redirects: int = 5
    max_bytes: int = 5 * MB
    max_decompressed_bytes: int = 20 * MB
    respect_robots: bool = True
    allow_private: bool = False


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


# ---------------------------------------------------------------- politeness


class HostGate:
    """Per-host concurrency cap and minimum spacing between request starts."""

    def __init__(self, delay: float, concurrency: int) -> None:
        self._delay = delay
        self._concurrency = max(1, concurrency)
        self._lock = threading.Lock()
        self._next_start: dict[str, float] = {}
        self._slots: dict[str, threading.BoundedSemaphore] = {}

    def _slot(self, host: str) -> threading.BoundedSemaphore:
        """The semaphore of one host."""
        with self._lock:
            if host not in self._slots:
                self._slots[host] = threading.BoundedSemaphore(self._concurrency)
            return self._slots[host]

    def enter(self, host: str, extra_delay: float = 0.0) -> None:
        """Block until a request to host may start."""
        self._slot(host).acquire()
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start.get(host, 0.0))
            self._next_start[host] = start + max(self._delay, extra_delay)
        if start > now:
            time.sleep(start - now)

    def leave(self, host: str) -> None:
        """Release the host's slot after a request."""
        self._slot(host).release()


# ---------------------------------------------------------------- HTTP


@dataclass(frozen=True)
class Response:
    """The outcome of one HTTP request: a body, a redirect or a failure reason."""

    url: str
    status: int | None = None
    content_type: str | None = None
    body: bytes = b""
    location: str | None = None
    reason: str | None = None
    detail: str = ""
    retry_after: float | None = None
    n_bytes: int = 0


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now_utc()).total_seconds())


def _media_type(content_type: str | None) -> str:
    """The lower-case media type of a Content-Type value, without parameters."""
    return (content_type or "").split(";")[0].strip().lower()


class _Decoder:
    """Incremental gzip/deflate decoding with a bound on the decoded size."""

    def __init__(self, encoding: str, limit: int) -> None:
        encoding = encoding.strip().lower()
        wbits = {"gzip": 47, "x-gzip": 47, "deflate": 15}.get(encoding)
        self._zlib = zlib.decompressobj(wbits) if wbits else None
        self._raw_deflate = encoding == "deflate"
        self._limit = limit
        self.size = 0

    def feed(self, chunk: bytes) -> bytes:
        """Decode one chunk; raise OverflowError past the bound."""
        if self._zlib is None:
            return chunk
        try:
            out = self._zlib.decompress(chunk, self._limit - self.size + 1)
        except zlib.error:
            if not self._raw_deflate or self.size:
                raise
            self._zlib = zlib.decompressobj(-15)  # servers often send raw deflate
            self._raw_deflate = False
            out = self._zlib.decompress(chunk, self._limit - self.size + 1)
        self.size += len(out)
        if self.size > self._limit or self._zlib.unconsumed_tail:
            raise OverflowError
        return out


class HttpClient:
    """Connection pools pinned to checked addresses, robots cache and politeness gate."""

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy
        self.gate = HostGate(policy.per_domain_delay, policy.per_domain_concurrency)
        self._pools: dict[tuple[str, str, int, str], urllib3.HTTPConnectionPool] = {}
        self._robots: dict[str, RobotFileParser | None] = {}
        self._lock = threading.Lock()
        self._robot_locks: dict[str, threading.Lock] = {}

    def close(self) -> None:
        """Close every connection pool."""
        with self._lock:
            for pool in self._pools.values():
                pool.close()
            self._pools.clear()

    def _pool(self, scheme: str, host: str, port: int, ip: str) -> urllib3.HTTPConnectionPool:
        """A pool that connects to the checked ip while speaking to host."""
        key = (scheme, host, port, ip)
        with self._lock:
            if key not in self._pools:
                timeout = urllib3.Timeout(
                    connect=self.policy.connect_timeout, read=self.policy.read_timeout
                )
                size = max(1, self.policy.per_domain_concurrency)
                if scheme == "https":
                    self._pools[key] = urllib3.HTTPSConnectionPool(
                        ip,
                        port,
                        timeout=timeout,
                        maxsize=size,
                        retries=False,
                        server_hostname=host,
                        assert_hostname=host,
                    )
                else:
                    self._pools[key] = urllib3.HTTPConnectionPool(
                        ip, port, timeout=timeout, maxsize=size, retries=False
                    )
            return self._pools[key]

    def request(self, url: str, ip: str, accept: str, max_bytes: int) -> Response:
        """One GET of url sent to the checked address ip: no redirects, no retries, bounded."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        host = parts.hostname or ""
        port = parts.port or (443 if scheme == "https" else 80)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        host_header = host if parts.port is None else f"{host}:{parts.port}"
        headers = {
            "Host": host_header,
            "User-Agent": self.policy.user_agent,
            "Accept": accept,
            "Accept-Encoding": "gzip, deflate",
            "Accept-Language": "ko,en;q=0.8",
        }
        try:
            resp = self._pool(scheme, host, port, ip).urlopen(
                "GET",
                target,
                headers=headers,
                redirect=False,
                retries=False,
                preload_content=False,
                decode_content=False,
                assert_same_host=False,
            )
        except NewConnectionError as exc:  # a subclass of ConnectTimeoutError: check it first
            return Response(url, reason="connection_error", detail=str(exc))
        except (ConnectTimeoutError, ReadTimeoutError) as exc:
            return Response(url, reason="timeout", detail=str(exc))
        except (HTTPError, OSError) as exc:
            return Response(url, reason="connection_error", detail=str(exc))
        result = self._read(url, resp, max_bytes)
        if result.reason or result.location or result.status is None or result.status >= 400:
            resp.close()  # an unread or refused body: drop the connection instead of draining it
        else:
            resp.release_conn()
        return result

    def _read(self, url: str, resp: urllib3.BaseHTTPResponse, max_bytes: int) -> Response:
        """Read a response body in chunks, enforcing size, length and decompression bounds."""
        base = {"status": resp.status, "content_type": resp.headers.get("Content-Type")}
        if resp.status in REDIRECT_STATUSES:
            return Response(url, location=resp.headers.get("Location"), **base)
        if resp.status >= 400:
            retry_after = parse_retry_after(resp.headers.get("Retry-After"))
            return Response(url, retry_after=retry_after, **base)
        declared = (resp.headers.get("Content-Length") or "").strip()
        expected = int(declared) if declared.isdigit() else None
        if expected is not None and expected > max_bytes:
            detail = f"Content-Length {expected} > {max_bytes}"
            return Response(url, reason="too_large", n_bytes=expected, detail=detail, **base)
        limit = self.policy.max_decompressed_bytes
        decoder = _Decoder(resp.headers.get("Content-Encoding", ""), limit)
        parts: list[bytes] = []
        raw = 0
        failure: tuple[str, str] | None = None
        try:
            for chunk in resp.stream(CHUNK_BYTES, decode_content=False):
                raw += len(chunk)
                if raw > max_bytes:
                    failure = ("too_large", f"body exceeds {max_bytes} bytes; cut off")
                    break
                parts.append(decoder.feed(chunk))
        except OverflowError:
            failure = ("decompression_bomb", f"decodes past {limit} bytes")
        except zlib.error as exc:
            failure = ("decode_error", f"bad compressed body: {exc}")
        except ReadTimeoutError as exc:
            failure = ("timeout", str(exc))
        except ProtocolError as exc:
            failure = ("truncated", f"got {raw} of {expected} bytes: {exc}")
        except (HTTPError, OSError) as exc:
            failure = ("connection_error", f"{type(exc).__name__}: {exc}")
        if failure is None and expected is not None and raw < expected:
            failure = ("truncated", f"got {raw} of {expected} bytes")
        if failure:
            return Response(url, reason=failure[0], detail=failure[1], n_bytes=raw, **base)
        return Response(url, body=b"".join(parts), n_bytes=raw, **base)

    # ------------------------------------------------------------ robots

    def robots(self, url: str) -> RobotFileParser | None:
        """The parsed robots.txt of url's host (cached; None when there is none)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        with self._lock:
            lock = self._robot_locks.setdefault(origin, threading.Lock())
        with lock:
            if origin not in self._robots:
                self._robots[origin] = self._load_robots(origin)
            return self._robots[origin]

    def _load_robots(self, origin: str) -> RobotFileParser | None:
        """Fetch and parse origin/robots.txt: 4xx or network error → no rules; 5xx → deny all."""
        robots_url = f"{origin}/robots.txt"
        resp = Response(robots_url)
        for _ in range(self.policy.max_redirects + 1):
            resp = self._polite_request(robots_url, "text/plain,*/*;q=0.5", ROBOTS_MAX_BYTES)
            if not resp.location:
                break
            robots_url = urljoin(robots_url, resp.location)
        parser = RobotFileParser(robots_url)
        if resp.status is not None and resp.status >= 500:
            parser.disallow_all = True
            return parser
        if resp.reason or resp.status is None or resp.status >= 400 or resp.location:
            return None
        parser.parse(resp.body.decode("utf-8", errors="replace").splitlines())
        return parser

    def robots_allows(self, url: str) -> bool:
        """True when robots.txt lets our user agent fetch url."""
        if not self.policy.respect_robots:
            return True
        parser = self.robots(url)
        return parser is None or parser.can_fetch(self.policy.user_agent, url)

    def crawl_delay(self, url: str) -> float:
        """The robots.txt Crawl-delay for our agent, capped at backoff_max."""
        parser = self.robots(url) if self.policy.respect_robots else None
        delay = parser.crawl_delay(self.policy.user_agent) if parser else None
        return min(float(delay or 0.0), self.policy.backoff_max)

    # ------------------------------------------------------------ retries, redirects

    def _polite_request(
        self, url: str, accept: str, max_bytes: int, extra_delay: float = 0.0
    ) -> Response:
        """One request, after waiting for the host's turn."""
        reason, ip = resolve_address(url, self.policy.allow_private)
        if reason or ip is None:  # refused before taking the host's turn
            return Response(url, reason=reason, detail=f"{reason} for {url}")
        host = (urlsplit(url).hostname or "").lower()
        self.gate.enter(host, extra_delay)
        try:
            return self.request(url, ip, accept, max_bytes)
        finally:
            self.gate.leave(host)

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before retry number attempt (1-based)."""
        if retry_after is not None:
            return min(retry_after, self.policy.backoff_max)
        delay = min(self.policy.backoff_max, self.policy.backoff_base * 2 ** (attempt - 1))
        return delay + random.uniform(0, self.policy.jitter)

    def get_with_retries(self, url: str, accept: str, max_bytes: int) -> tuple[Response, int]:
        """One hop with retries on timeouts, connection errors, 429 and 5xx; (response, tries)."""
        extra = self.crawl_delay(url)
        tries = 0
        while True:
            tries += 1
            resp = self._polite_request(url, accept, max_bytes, extra)
            transient = (
                resp.reason in ("timeout", "connection_error") or resp.status in RETRY_STATUSES
            )
            if resp.reason in ("private_address", "bad_scheme") or not transient:
                return resp, tries
            if tries > self.policy.max_retries:
                return resp, tries
            time.sleep(self._backoff(tries, resp.retry_after))

    def get(self, url: str, accept: str, max_bytes: int) -> tuple[Response, int]:
        """GET following redirects hop by hop, each hop address- and robots-checked."""
        seen = {url}
        total = 0
        for _ in range(self.policy.max_redirects + 1):
            refused = check_address(url, self.policy.allow_private)
            if refused:
                return Response(url, reason=refused, detail=f"{refused} for {url}"), total
            if not self.robots_allows(url):
                detail = f"robots.txt forbids {url}"
                return Response(url, reason="robots_disallowed", detail=detail), total
            resp, tries = self.get_with_retries(url, accept, max_bytes)
            total += tries
            if resp.reason or not resp.location:
                return resp, total
            url = urljoin(url, resp.location.strip())
            if url in seen:
                detail = f"redirect loop back to {url}"
                return Response(url, resp.status, reason="too_many_redirects", detail=detail), total
            seen.add(url)
        detail = f"more than {self.policy.max_redirects} redirects"
        return Response(url, reason="too_many_redirects", detail=detail), total


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
    policy: FetchPolicy = FetchPolicy(),
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
