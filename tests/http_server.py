"""A real HTTP server on 127.0.0.1 for fetch and discovery tests: good pages, feeds, faults.

``start_server()`` returns a running ``LoopbackServer``; call ``close()`` when done. The lead's
conftest can wrap it in a fixture; the test modules here use their own module fixture.
"""

from __future__ import annotations

import gzip
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARTICLE = """<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><title>{title}</title>
<link rel="canonical" href="{canonical}"></head>
<body><article><h1>{title}</h1>
<p>경기도는 지역 AI 전환(AX)을 위해 경기테크노파크와 함께 제조 현장에 인공지능을 도입한다고 밝혔다.</p>
<p>과학기술정보통신부는 올해 지역 거점 AI 실증 사업에 예산을 투입할 계획이다.</p>
</article></body></html>"""
EUC_KR_PAGE = """<html><head>{meta}<title>지역 인공지능 전환</title></head>
<body><p>광주광역시는 AI 중심 산업융합 집적단지 조성 사업을 본격화한다. 똠방각하 뷁</p></body></html>"""
ROBOTS = "User-agent: *\nDisallow: /private/\n\nSitemap: {base}/sitemap_index.xml\n"
HOMEPAGE = """<html><head><title>지역 뉴스</title>
<link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml">
</head><body><a href="/news/1.html">기사</a></body></html>"""
RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>지역 뉴스</title>
<item><title>하나</title><link>{base}/news/1.html?utm_source=rss</link>
<pubDate>Mon, 06 May 2024 09:00:00 +0900</pubDate></item>
<item><title>둘</title><link>{base}/news/2.html</link></item>
<item><title>비공개</title><link>{base}/private/secret.html</link></item>
<item><title>중복</title><link>{base}/news/1.html#comments</link></item>
</channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>지역</title>
<entry><title>셋</title><link rel="alternate" href="/news/3.html"/>
<updated>2024-05-07T10:00:00+09:00</updated></entry>
<entry><title>넷</title><link href="{base}/news/4.html"/></entry>
</feed>"""
JSON_FEED = """{{"version": "https://jsonfeed.org/version/1.1", "title": "지역",
"items": [{{"id": "5", "url": "{base}/news/5.html", "date_published": "2024-05-08T00:00:00Z"}}]}}"""
SITEMAP_INDEX = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{base}/sitemap-pages.xml</loc><lastmod>2024-05-09</lastmod></sitemap>
<sitemap><loc>{base}/sitemap-news.xml</loc></sitemap>
<sitemap><loc>{base}/sitemap-old.xml</loc><lastmod>2019-01-01</lastmod></sitemap>
</sitemapindex>"""
SITEMAP_PAGES = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/news/1.html</loc><lastmod>2024-05-06T09:00:00+09:00</lastmod></url>
<url><loc>{base}/news/6.html</loc><lastmod>2020-01-01</lastmod></url>
<url><loc>{base}/about.html</loc><lastmod>2024-05-09</lastmod></url>
</urlset>"""
SITEMAP_NEWS = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{base}/news/7.html</loc><news:news><news:publication>
<news:name>지역</news:name><news:language>ko</news:language></news:publication>
<news:publication_date>2024-05-10T08:00:00+09:00</news:publication_date>
<news:title>일곱</news:title></news:news></url>
</urlset>"""
SITEMAP_OLD = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/news/8.html</loc></url></urlset>"""
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SLOW_SECONDS = 1.5
DELAY_SECONDS = 0.2
OVERSIZE_BYTES = 300_000
BOMB_BYTES = 8 * 1024 * 1024


@dataclass
class LoopbackServer:
    """A running test server: its base URL, request log and per-path hit counters."""

    httpd: ThreadingHTTPServer
    thread: threading.Thread
    base: str
    hits: list[tuple[str, float, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    hosts: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # generated responses a test sets: path under /gen/ → (status, content type, body)
    generated: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)

    def serve(self, path: str, body: bytes, ctype: str = "text/html", status: int = 200) -> str:
        """Serve `body` at /gen/<path> from now on; returns its absolute URL."""
        with self.lock:
            self.generated[path] = (status, ctype, body)
        return self.url(f"/gen/{path}")

    def url(self, path: str) -> str:
        """Absolute URL of a path on this server."""
        return self.base + path

    def hit_times(self, prefix: str = "") -> list[float]:
        """Arrival times (monotonic) of requests whose path starts with prefix."""
        with self.lock:
            return [t for p, t, _ in self.hits if p.startswith(prefix)]

    def close(self) -> None:
        """Stop serving and close the socket."""
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def _article(base: str, n: str) -> bytes:
    """A good Korean article page."""
    return ARTICLE.format(
        title=f"지역 AI 전환 기사 {n}", canonical=f"{base}/news/{n}.html"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes
    server_version = "axnews-test"
    state: LoopbackServer  # set per server class

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""

    def _send(
        self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", **headers: str
    ) -> None:
        """Send a complete response with Content-Length."""
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _count(self, path: str) -> int:
        """Increment and return the hit count of a path."""
        with self.state.lock:
            self.state.counts[path] = self.state.counts.get(path, 0) + 1
            return self.state.counts[path]

    def do_GET(self) -> None:
        """Route one GET request."""
        state = self.state
        path = self.path
        with state.lock:
            state.hits.append((path, time.monotonic(), self.headers.get("User-Agent", "")))
            state.hosts[path] = self.headers.get("Host", "")
        route = path.split("?")[0]
        base = state.base
        n = self._count(route)
        xml = "application/xml; charset=utf-8"
        if route.startswith("/gen/"):
            with state.lock:
                found = state.generated.get(route[5:])
            if found is not None:
                return self._send(found[0], found[2], found[1])
        if route == "/robots.txt":
            return self._send(200, ROBOTS.format(base=base).encode(), "text/plain")
        if route == "/":
            return self._send(200, HOMEPAGE.encode())
        if route == "/rss.xml":
            return self._send(200, RSS.format(base=base).encode(), "application/rss+xml")
        if route == "/atom.xml":
            return self._send(200, ATOM.format(base=base).encode(), "application/atom+xml")
        if route == "/feed.json":
            return self._send(200, JSON_FEED.format(base=base).encode(), "application/feed+json")
        if route == "/sitemap_index.xml":
            return self._send(200, SITEMAP_INDEX.format(base=base).encode(), xml)
        if route == "/sitemap-pages.xml":
            return self._send(200, SITEMAP_PAGES.format(base=base).encode(), xml)
        if route == "/sitemap-news.xml":
            return self._send(200, SITEMAP_NEWS.format(base=base).encode(), xml)
        if route == "/sitemap-old.xml":
            return self._send(200, SITEMAP_OLD.format(base=base).encode(), xml)
        if route.startswith("/news/") and route.endswith(".html") and route[6:-5].isdigit():
            return self._send(200, _article(base, route[6:-5]))
        if route.startswith("/delay/"):  # a slow server: each answer takes DELAY_SECONDS
            time.sleep(DELAY_SECONDS)
            return self._send(200, _article(base, route[7:]))
        if route.startswith("/bulk/"):
            return self._send(200, _article(base, route[6:]))
        if route == "/private/secret.html":
            return self._send(200, _article(base, "secret"))
        if route == "/euckr-meta.html":
            page = EUC_KR_PAGE.format(
                meta='<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">'
            )
            return self._send(200, page.encode("cp949"), "text/html")
        if route == "/euckr-bare.html":
            return self._send(200, EUC_KR_PAGE.format(meta="").encode("cp949"), "text/html")
        if route == "/euckr-header.html":
            return self._send(
                200, EUC_KR_PAGE.format(meta="").encode("cp949"), "text/html; charset=EUC-KR"
            )
        if route == "/slow.html":
            time.sleep(SLOW_SECONDS)
            return self._send(200, _article(base, "slow"))
        if route == "/flaky.html":
            if n == 1:
                return self._send(500, b"<h1>server error</h1>")
            return self._send(200, _article(base, "flaky"))
        if route == "/always-500.html":
            return self._send(503, b"<h1>unavailable</h1>")
        if route == "/ratelimited.html":
            if n == 1:
                return self._send(429, b"slow down", "text/plain", Retry_After="1")
            return self._send(200, _article(base, "ratelimited"))
        if route == "/loop/a":
            return self._send(302, b"", Location="/loop/b")
        if route == "/loop/b":
            return self._send(302, b"", Location=f"{base}/loop/a")
        if route == "/moved.html":
            return self._send(301, b"", Location="/news/9.html")
        if route == "/to-metadata":
            return self._send(302, b"", Location="http://169.254.169.254/latest/meta-data/")
        if route == "/doc.pdf":
            return self._send(200, PDF, "application/pdf")
        if route == "/pdf-as-html.html":
            return self._send(200, PDF, "text/html")
        if route == "/image.png":
            return self._send(200, PNG, "image/png")
        if route == "/empty.html":
            return self._send(200, b"")
        if route == "/oversize.html":
            return self._stream_unsized(OVERSIZE_BYTES)
        if route == "/oversize-declared.html":
            return self._send(200, b"<p>" + b"a" * OVERSIZE_BYTES + b"</p>")
        if route == "/truncated.html":
            return self._truncated()
        if route == "/bomb.html":
            return self._send(200, _bomb(), "text/html", Content_Encoding="gzip")
        if route == "/gzipped.html":
            return self._send(
                200, gzip.compress(_article(base, "gzipped")), Content_Encoding="gzip"
            )
        return self._send(404, b"<h1>404 Not Found</h1>")

    def _stream_unsized(self, size: int) -> None:
        """Send a large body without Content-Length, then close the connection."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        chunk = b"<p>" + "가".encode() * 10_000 + b"</p>\n"
        sent = 0
        try:
            while sent < size:
                self.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            pass  # the client hung up once it had enough: expected

    def _truncated(self) -> None:
        """Declare 10,000 bytes, send 100, close."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", "10000")
        self.end_headers()
        self.wfile.write(b"<html><body>" + b"x" * 88)
        self.wfile.flush()
        self.close_connection = True


_BOMB: list[bytes] = []


def _bomb() -> bytes:
    """A small gzip body that expands to BOMB_BYTES (built once)."""
    if not _BOMB:
        _BOMB.append(gzip.compress(b"<p>" + b"A" * BOMB_BYTES, compresslevel=9))
    return _BOMB[0]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up early (timeouts, size caps) are expected here."""


def start_server() -> LoopbackServer:
    """Start the test server on a free loopback port in a daemon thread."""
    handler = type("Handler", (_Handler,), {})
    httpd = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    state = LoopbackServer(httpd, thread, f"http://127.0.0.1:{httpd.server_address[1]}")
    handler.state = state
    thread.start()
    return state
