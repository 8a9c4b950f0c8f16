"""fetch: saved files and a real loopback HTTP server, every fault ending as one RawPage."""

from __future__ import annotations

import gzip
import itertools
import time
from dataclasses import replace

import pytest

from pipeline.models import REASONS, PageRef
from pipeline.stages.fetch import FetchPolicy, FetchStats, fetch_pages, page_id_for, read_page_file
from pipeline.stages.urls import canonicalize
from tests.http_server import DELAY_SECONDS, start_server

FAST = FetchPolicy(
    connect_timeout=0.5,
    read_timeout=0.5,
    max_retries=1,
    backoff_base=0.05,
    backoff_max=2.0,
    jitter=0.0,
    per_domain_delay=0.0,
    max_concurrency=8,
    per_domain_concurrency=8,
    max_bytes=100_000,
    max_decompressed_bytes=1_000_000,
    allow_private=True,
)
KOREAN = "경기도는 지역 AI 전환"


@pytest.fixture(scope="module")
def server():
    srv = start_server()
    yield srv
    srv.close()


def fetch_one(server, path, policy=FAST):
    pages = list(fetch_pages([PageRef("web", server.url(path))], policy))
    assert len(pages) == 1
    return pages[0]


# ---------------------------------------------------------------- files


def file_ref(path):
    return PageRef("saved", path.as_uri(), path=str(path))


def test_saved_page_takes_its_canonical_url_and_decodes(tmp_path):
    path = tmp_path / "a.html"
    html = '<html><head><link rel="canonical" href="https://news.kr/a?utm_source=x"></head><body>지역</body></html>'
    path.write_bytes(html.encode("utf-8"))
    page = read_page_file(file_ref(path))
    assert page.ok and page.html == html and page.encoding == "utf-8"
    assert page.url == "https://news.kr/a?utm_source=x"
    assert page.canonical_url == "https://news.kr/a"
    assert page.page_id == page_id_for("saved", "https://news.kr/a") and len(page.page_id) == 16
    assert page.final_url == path.as_uri()
    assert page.fetched_at.tzinfo is not None
    assert len(page.content_hash) == 64 and page.n_bytes == len(html.encode())


def test_saved_page_with_og_url_only_uses_it(tmp_path):
    path = tmp_path / "b.html"
    path.write_text(
        '<html><head><meta property="og:url" content="https://news.kr/b"></head></html>'
    )
    assert read_page_file(file_ref(path)).canonical_url == "https://news.kr/b"


def test_saved_page_without_declared_url_keeps_its_file_url(tmp_path):
    path = tmp_path / "c.html"
    path.write_text("<html><body>지역</body></html>", encoding="utf-8")
    page = read_page_file(file_ref(path))
    assert page.url == path.as_uri() and page.canonical_url == path.as_uri()


def test_saved_euc_kr_page_decodes_to_hangul(tmp_path):
    path = tmp_path / "k.html"
    path.write_bytes(f"<html><body><p>{KOREAN} 똠방각하</p></body></html>".encode("cp949"))
    page = read_page_file(file_ref(path))
    assert page.ok and page.encoding == "cp949" and "똠방각하" in page.html


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"  \n ", "empty"),
        (b"%PDF-1.7\n...", "not_html"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not_html"),
        (b"\xff\xd8\xff\xe0JFIF", "not_html"),
        (b"GIF89a\x01\x00", "not_html"),
        (b"PK\x03\x04zip", "not_html"),
        (gzip.compress(b"<html></html>"), "not_html"),
        (b"<html>\x00\x00\x00</html>", "not_html"),
        (bytes(range(128, 256)) * 40 + b"\x81\x00"[:1] * 400, "decode_error"),
    ],
)
def test_bad_saved_files_fail_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "x.html"
    path.write_bytes(content)
    page = read_page_file(file_ref(path))
    assert (page.ok, page.reason, page.html) == (False, reason, None)
    assert page.reason in REASONS


def test_missing_and_oversize_files_fail_with_a_reason(tmp_path):
    assert read_page_file(file_ref(tmp_path / "none.html")).reason == "not_found"
    path = tmp_path / "big.html"
    path.write_bytes(b"<p>" + b"a" * 5000)
    assert read_page_file(file_ref(path), max_bytes=1000).reason == "too_large"


def test_fetch_pages_reads_file_refs_in_order(tmp_path):
    paths = [tmp_path / f"{i}.html" for i in range(3)]
    for p in paths:
        p.write_text(f"<p>{p.name}</p>")
    pages = list(fetch_pages([file_ref(p) for p in paths], FAST))
    assert [p.final_url for p in pages] == [p.as_uri() for p in paths]


# ---------------------------------------------------------------- HTTP: good pages


def test_good_korean_page_is_fetched_and_decoded(server):
    page = fetch_one(server, "/news/1.html")
    assert page.ok and page.http_status == 200 and page.reason is None
    assert KOREAN in page.html and page.encoding == "utf-8"
    assert page.final_url == server.url("/news/1.html")
    assert page.canonical_url == canonicalize(server.url("/news/1.html"))
    assert page.n_bytes > 0 and len(page.content_hash) == 64 and page.attempts == 1


def test_requests_carry_our_user_agent(server):
    fetch_one(server, "/news/11.html", replace(FAST, user_agent="axnews-test/9"))
    assert any(p == "/news/11.html" and ua == "axnews-test/9" for p, _, ua in server.hits)


@pytest.mark.parametrize("path", ["/euckr-meta.html", "/euckr-bare.html", "/euckr-header.html"])
def test_euc_kr_page_decodes_to_hangul_wherever_the_charset_is(server, path):
    page = fetch_one(server, path)
    assert page.ok and page.encoding == "cp949"
    assert "광주광역시" in page.html and "똠방각하" in page.html


def test_gzip_encoded_page_is_decoded(server):
    page = fetch_one(server, "/gzipped.html")
    assert page.ok and KOREAN in page.html


def test_redirect_is_followed_to_the_final_url(server):
    page = fetch_one(server, "/moved.html")
    assert page.ok and page.final_url == server.url("/news/9.html")
    assert page.url == server.url("/moved.html")


# ---------------------------------------------------------------- HTTP: faults


@pytest.mark.parametrize(
    ("path", "reason", "status"),
    [
        ("/missing.html", "not_found", 404),
        ("/always-500.html", "http_error", 503),
        ("/doc.pdf", "not_html", 200),
        ("/image.png", "not_html", 200),
        ("/pdf-as-html.html", "not_html", 200),
        ("/empty.html", "empty", 200),
        ("/oversize.html", "too_large", 200),
        ("/oversize-declared.html", "too_large", 200),
        ("/truncated.html", "truncated", 200),
        ("/bomb.html", "decompression_bomb", 200),
        ("/loop/a", "too_many_redirects", 302),
        ("/private/secret.html", "robots_disallowed", None),
    ],
)
def test_faulty_endpoint_ends_as_one_failed_page_with_its_reason(server, path, reason, status):
    page = fetch_one(server, path)
    assert (page.ok, page.reason, page.http_status) == (False, reason, status)
    assert page.html is None and page.detail


def test_oversize_body_is_cut_off_near_the_limit(server):
    page = fetch_one(server, "/oversize.html")
    assert FAST.max_bytes < page.n_bytes <= FAST.max_bytes + 64 * 1024


def test_slow_page_times_out_after_retries(server):
    started = time.monotonic()
    page = fetch_one(server, "/slow.html")
    assert (page.reason, page.attempts) == ("timeout", FAST.max_retries + 1)
    assert time.monotonic() - started < 3


def test_500_then_200_succeeds_on_retry(server):
    page = fetch_one(server, "/flaky.html")
    assert page.ok and page.attempts == 2 and "flaky" in page.html


def test_429_waits_for_retry_after_then_succeeds(server):
    started = time.monotonic()
    page = fetch_one(server, "/ratelimited.html")
    assert page.ok and page.attempts == 2
    assert time.monotonic() - started >= 0.95


def test_redirect_to_cloud_metadata_is_refused_even_with_allow_private(server):
    page = fetch_one(server, "/to-metadata")
    assert (page.ok, page.reason) == (False, "private_address")
    assert page.final_url.startswith("http://169.254.169.254")


def test_loopback_is_refused_without_allow_private(server):
    page = fetch_one(server, "/news/77.html", replace(FAST, allow_private=False))
    assert page.reason == "private_address"
    assert not any(p == "/news/77.html" for p, _, _ in server.hits)


def test_host_header_names_the_host_while_the_connection_uses_the_checked_address(server):
    port = server.base.rsplit(":", 1)[1]
    localhost_url = f"http://localhost:{port}/news/79.html"
    page = next(fetch_pages([PageRef("web", localhost_url)], FAST))
    assert page.ok and page.final_url == localhost_url
    assert server.hosts["/news/79.html"] == f"localhost:{port}"


def test_non_http_url_is_a_bad_scheme(server):
    pages = list(fetch_pages([PageRef("web", "ftp://example.com/a")], FAST))
    assert [p.reason for p in pages] == ["bad_scheme"]


def test_robots_txt_is_ignored_when_policy_says_so(server):
    page = fetch_one(server, "/private/secret.html", replace(FAST, respect_robots=False))
    assert page.ok


def test_robots_txt_is_fetched_once_per_host(server):
    before = sum(1 for p, _, _ in server.hits if p == "/robots.txt")
    refs = [PageRef("web", server.url(f"/news/{n}.html")) for n in range(20, 26)]
    assert all(p.ok for p in fetch_pages(refs, FAST))
    assert sum(1 for p, _, _ in server.hits if p == "/robots.txt") == before + 1


# ---------------------------------------------------------------- politeness and bookkeeping


def test_per_domain_delay_spaces_request_starts(server):
    policy = replace(FAST, per_domain_delay=0.3, respect_robots=False)
    refs = [PageRef("web", server.url(f"/news/{n}.html?polite")) for n in range(30, 34)]
    assert all(p.ok for p in fetch_pages(refs, policy))
    times = sorted(t for p, t, _ in server.hits if p.endswith("?polite"))
    assert len(times) == 4
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.28


def test_already_fetched_urls_are_skipped_and_counted(server):
    skipped = []
    done = canonicalize(server.url("/news/40.html?utm_source=x"))
    refs = [
        PageRef("web", server.url("/news/40.html")),
        PageRef("web", server.url("/news/41.html")),
    ]
    stats = FetchStats()
    pages = list(
        fetch_pages(
            refs,
            FAST,
            skip_urls=frozenset({done}),
            stats=stats,
            on_skip=lambda ref, why: skipped.append((ref.url, why)),
        )
    )
    assert [p.url for p in pages] == [server.url("/news/41.html")]
    assert skipped == [(server.url("/news/40.html"), "done")]
    assert (stats.fetched, stats.skipped_done) == (1, 1)


def test_failed_urls_are_retried_until_max_attempts(server):
    key = canonicalize(server.url("/missing-again.html"))
    ref = PageRef("web", server.url("/missing-again.html"))
    stats = FetchStats()
    retried = list(fetch_pages([ref], FAST, attempts_so_far={key: 2}, max_attempts=3, stats=stats))
    exhausted = list(
        fetch_pages([ref], FAST, attempts_so_far={key: 3}, max_attempts=3, stats=stats)
    )
    assert [(p.reason, p.attempts) for p in retried] == [("not_found", 3)] and exhausted == []
    assert stats.reasons == {"not_found": 1} and stats.skipped_exhausted == 1


def test_every_ref_yields_exactly_one_page(server):
    paths = [
        "/news/50.html",
        "/missing.html",
        "/doc.pdf",
        "/loop/a",
        "/truncated.html",
        "/news/51.html",
    ]
    refs = [PageRef("web", server.url(p)) for p in paths]
    pages = list(fetch_pages(refs, FAST))
    assert sorted(p.url for p in pages) == sorted(r.url for r in refs)
    assert all((p.reason in REASONS) != p.ok for p in pages)


def test_many_pages_each_arrive_once_with_their_own_body(server):
    policy = replace(FAST, respect_robots=False, max_concurrency=8, per_domain_concurrency=8)
    refs = [PageRef("web", server.url(f"/bulk/{n}")) for n in range(300)]
    started = time.monotonic()
    pages = list(fetch_pages(refs, policy))
    elapsed = time.monotonic() - started
    assert sorted(p.url for p in pages) == sorted(r.url for r in refs) and all(p.ok for p in pages)
    assert all(f"지역 AI 전환 기사 {p.url.rsplit('/', 1)[1]}<" in p.html for p in pages)
    print(f"\nfetched 300 pages in {elapsed:.2f}s: {300 / elapsed:.0f} pages/s")


def test_concurrent_fetching_overlaps_slow_requests(server):
    """40 answers of DELAY_SECONDS each: one at a time takes 8 s, eight at a time about 1 s."""
    policy = replace(FAST, respect_robots=False, read_timeout=5.0, max_concurrency=8,
                     per_domain_concurrency=8)
    refs = [PageRef("web", server.url(f"/delay/{n}")) for n in range(40)]
    started = time.monotonic()
    pages = list(fetch_pages(refs, policy))
    elapsed = time.monotonic() - started
    assert sorted(p.url for p in pages) == sorted(r.url for r in refs) and all(p.ok for p in pages)
    sequential = len(refs) * DELAY_SECONDS
    assert elapsed < sequential / 3, f"{elapsed:.1f} s: requests did not overlap"


def test_one_host_gets_at_most_its_concurrency(server):
    """The same slow answers, two at a time for one host, take at least half as many turns."""
    policy = replace(FAST, respect_robots=False, read_timeout=5.0, max_concurrency=8,
                     per_domain_concurrency=2)
    refs = [PageRef("web", server.url(f"/delay/h{n}")) for n in range(12)]
    started = time.monotonic()
    assert all(p.ok for p in fetch_pages(refs, policy))
    assert time.monotonic() - started >= len(refs) / 2 * DELAY_SECONDS * 0.9


def test_refused_connection_is_a_connection_error_not_a_timeout():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    page = next(fetch_pages([PageRef("web", f"http://127.0.0.1:{port}/a.html")], FAST))
    assert (page.reason, page.attempts) == ("connection_error", FAST.max_retries + 1)


def test_host_gate_spaces_starts_to_one_host_across_threads_but_not_other_hosts():
    import threading

    from pipeline.stages.http_client import HostGate

    gate = HostGate(delay=0.2, concurrency=4)
    starts: dict[str, list[float]] = {"a": [], "b": []}

    def request(host):
        gate.enter(host)
        starts[host].append(time.monotonic())
        gate.leave(host)

    began = time.monotonic()
    threads = [threading.Thread(target=request, args=(h,)) for h in "aaab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    gate.close()
    a = sorted(starts["a"])
    assert min(y - x for x, y in itertools.pairwise(a)) >= 0.2
    assert starts["b"][0] - began < 0.15  # host b does not wait behind host a


def test_host_gate_takes_the_longer_crawl_delay():
    from pipeline.stages.http_client import HostGate

    gate = HostGate(delay=0.05, concurrency=1)
    gate.enter("h")
    gate.leave("h")
    first = time.monotonic()
    gate.enter("h", extra_delay=0.3)
    gate.leave("h")
    gate.close()
    assert time.monotonic() - first >= 0.25
