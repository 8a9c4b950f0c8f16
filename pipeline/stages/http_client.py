"""HTTP for fetch and discovery: bounded GETs to checked addresses, robots.txt, politeness, retries.

Retries and their backoff are tenacity's; the spacing of request starts to one host is
pyrate-limiter's; what counts as transient, the size bounds and the redirect checks are ours.
"""

from __future__ import annotations

import threading
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import urllib3
from pyrate_limiter import BucketFactory, InMemoryBucket, Limiter, MonotonicClock, Rate, RateItem
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_result,
    stop_after_attempt,
    wait_exponential_jitter,
)
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    InvalidHeader,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.util import Retry

from pipeline.stages.urls import check_address, resolve_address

MB = 1024 * 1024
CHUNK_BYTES = 64 * 1024
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_BYTES = 512 * 1024
# pyrate-limiter sleeps this much past the computed wait, so spacing never falls short by a tick.
LIMITER_BUFFER_MS = 5

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



# ---------------------------------------------------------------- politeness


class _HostBuckets(BucketFactory):
    """pyrate-limiter buckets, one per host, each admitting one request per the host's delay."""

    def __init__(self) -> None:
        self._clock = MonotonicClock()
        self._buckets: dict[str, InMemoryBucket] = {}
        self._lock = threading.Lock()

    def wrap_item(self, name: str, weight: int = 1) -> RateItem:
        """The request as a rate item stamped with the monotonic clock (ms)."""
        return RateItem(name, self._clock.now(), weight=weight)

    def get(self, item: RateItem) -> InMemoryBucket:
        """The bucket of the item's host (made by spacing() first)."""
        return self._buckets[item.name]

    def spacing(self, host: str, delay_ms: int) -> None:
        """Make host's bucket admit one request per delay_ms (a longer delay replaces a shorter)."""
        with self._lock:
            bucket = self._buckets.get(host)
            if bucket is None:
                self._buckets[host] = self.create(InMemoryBucket, [Rate(1, delay_ms)])
            elif bucket.rates[0].interval < delay_ms:
                bucket.rates = [Rate(1, delay_ms)]


class HostGate:
    """Per-host concurrency cap and minimum spacing between request starts, across threads."""

    def __init__(self, delay: float, concurrency: int) -> None:
        self._delay = delay
        self._concurrency = max(1, concurrency)
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._buckets = _HostBuckets()
        self._limiter = Limiter(self._buckets, buffer_ms=LIMITER_BUFFER_MS)

    def _slot(self, host: str) -> threading.BoundedSemaphore:
        """The semaphore of one host."""
        with self._lock:
            if host not in self._slots:
                self._slots[host] = threading.BoundedSemaphore(self._concurrency)
            return self._slots[host]

    def enter(self, host: str, extra_delay: float = 0.0) -> None:
        """Block until a request to host may start."""
        self._slot(host).acquire()
        delay_ms = round(max(self._delay, extra_delay) * 1000)
        if delay_ms > 0:
            self._buckets.spacing(host, delay_ms)
            self._limiter.try_acquire(host)  # blocks until the host's last start is delay_ms old

    def leave(self, host: str) -> None:
        """Release the host's slot after a request."""
        self._slot(host).release()

    def close(self) -> None:
        """Stop the limiter's background leak thread."""
        self._limiter.close()


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



def retry_after_seconds(resp: urllib3.BaseHTTPResponse) -> float | None:
    """Seconds to wait from a response's Retry-After header (seconds or HTTP date), or None."""
    try:
        return Retry().get_retry_after(resp)
    except InvalidHeader:
        return None


def _transient(resp: Response) -> bool:
    """True for a failure worth another try: a timeout, a dropped connection, 429 or 5xx."""
    return resp.reason in ("timeout", "connection_error") or resp.status in RETRY_STATUSES


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
        self._backoff = wait_exponential_jitter(
            multiplier=policy.backoff_base, max=policy.backoff_max, jitter=policy.jitter
        )
        # One controller for all threads: tenacity keeps its state and statistics per thread.
        self._retrying = Retrying(
            stop=stop_after_attempt(policy.max_retries + 1),
            wait=self._wait,
            retry=retry_if_result(_transient),
            retry_error_callback=lambda state: state.outcome.result(),  # the last response
        )

    def close(self) -> None:
        """Close every connection pool."""
        with self._lock:
            for pool in self._pools.values():
                pool.close()
            self._pools.clear()
        self.gate.close()

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
            return Response(url, retry_after=retry_after_seconds(resp), **base)
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

    def _wait(self, state: RetryCallState) -> float:
        """Seconds before the next try: the server's Retry-After (capped), else backoff."""
        retry_after = state.outcome.result().retry_after if state.outcome else None
        if retry_after is not None:
            return min(retry_after, self.policy.backoff_max)
        return self._backoff(state)

    def get_with_retries(self, url: str, accept: str, max_bytes: int) -> tuple[Response, int]:
        """One hop with retries on timeouts, connection errors, 429 and 5xx; (response, tries)."""
        extra = self.crawl_delay(url)
        resp = self._retrying(self._polite_request, url, accept, max_bytes, extra)
        return resp, self._retrying.statistics["attempt_number"]  # this thread's own count

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
