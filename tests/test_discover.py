"""discover: folders, URL lists, feeds, sitemaps and WARC archives into PageRefs or RawPages."""

from __future__ import annotations

import gzip
import io
import os
from pathlib import Path
from datetime import date

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.models import PageRef, RawPage, Source
from pipeline.stages.discover import discover, parse_feed, parse_sitemap, parse_url_list
from pipeline.stages.fetch import FetchPolicy, page_id_for
from pipeline.stages.urls import canonicalize
from tests.http_server import start_server

POLICY = FetchPolicy(
    connect_timeout=0.5,
    read_timeout=0.5,
    max_retries=0,
    per_domain_delay=0.0,
    backoff_base=0.01,
    jitter=0.0,
    allow_private=True,
)
PAGE = "<html><head><title>t</title></head><body><p>지역 AI 전환</p></body></html>"


@pytest.fixture(scope="module")
def server():
    srv = start_server()
    yield srv
    srv.close()


def refs_and_failures(items):
    items = list(items)
    return [i for i in items if isinstance(i, PageRef)], [
        i for i in items if isinstance(i, RawPage)
    ]


def source(kind, location, **options):
    return Source(name="s", kind=kind, location=str(location), allow_private=True, options=options)


# ---------------------------------------------------------------- html_dir


def test_html_dir_yields_every_html_file_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    for rel in ("b/2.htm", "a.html", "b/1.HTML", "notes.txt", "img.png"):
        (tmp_path / rel).write_text(PAGE, encoding="utf-8")
    refs, failures = refs_and_failures(discover(source("html_dir", tmp_path)))
    assert failures == []
    assert [os.path.relpath(r.path, tmp_path) for r in refs] == ["a.html", "b/1.HTML", "b/2.htm"]
    assert all(r.url.startswith("file://") and r.source == "s" for r in refs)


def test_html_dir_urls_and_paths_are_those_of_the_resolved_files(tmp_path):
    """Page ids hash these URLs: building them from strings must give what Path gives."""
    folder = tmp_path / "기사 모음"
    (folder / "b c").mkdir(parents=True)
    names = ("b c/경기 테크노파크.html", "a%20b#1.html", "plain.htm")
    for rel in names:
        (folder / rel).write_text(PAGE, encoding="utf-8")
    (folder / "linked.html").symlink_to(folder / "plain.htm")
    refs, _ = refs_and_failures(discover(source("html_dir", folder)))
    assert len(refs) == 4
    for ref in refs:
        real = Path(ref.path).resolve()
        assert ref.path == str(real) and ref.url == real.as_uri()


def test_symlink_leaving_the_folder_is_refused_as_outside_root(tmp_path):
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "secret.html").write_text(PAGE)
    (root / "ok.html").write_text(PAGE)
    (root / "escape.html").symlink_to(outside / "secret.html")
    (root / "linked_dir").symlink_to(outside, target_is_directory=True)
    refs, failures = refs_and_failures(discover(source("html_dir", root)))
    assert [os.path.basename(r.path) for r in refs] == ["ok.html"]
    assert [(f.reason, f.ok) for f in failures] == [("outside_root", False)]


def test_missing_folder_is_a_failed_page_not_an_exception(tmp_path):
    items = list(discover(source("html_dir", tmp_path / "nope")))
    assert len(items) == 1 and isinstance(items[0], RawPage)
    assert items[0].reason == "not_found" and not items[0].ok


# ---------------------------------------------------------------- urls


def test_url_list_skips_comments_and_blank_lines():
    text = "# outlets\n\nhttps://a.kr/1\n  https://a.kr/2  # second\n#https://a.kr/3\n"
    assert parse_url_list(text) == ["https://a.kr/1", "https://a.kr/2"]


def test_url_file_yields_refs_and_refuses_other_schemes(tmp_path):
    path = tmp_path / "urls.txt"
    path.write_text("https://a.kr/1\nftp://a.kr/2\n\n# c\nhttp://b.kr/3\n", encoding="utf-8")
    refs, failures = refs_and_failures(discover(source("urls", path)))
    assert [r.url for r in refs] == ["https://a.kr/1", "http://b.kr/3"]
    assert [f.reason for f in failures] == ["bad_scheme"]


def test_unreadable_url_file_is_a_failed_page(tmp_path):
    refs, failures = refs_and_failures(discover(source("urls", tmp_path / "missing.txt")))
    assert refs == [] and failures[0].reason == "not_found"


# ---------------------------------------------------------------- feeds


def test_rss_feed_yields_deduplicated_article_links(server):
    refs, failures = refs_and_failures(discover(source("feed", server.url("/rss.xml")), POLICY))
    paths = [r.url.removeprefix(server.base) for r in refs]
    assert paths == ["/news/1.html?utm_source=rss", "/news/2.html", "/private/secret.html"]
    assert refs[0].lastmod is not None and refs[0].lastmod.tzinfo is not None
    # the entry naming /news/1.html again (with a fragment) is recorded, not fetched
    assert [(f.reason, f.url.removeprefix(server.base), f.page_id) for f in failures] == [
        ("duplicate_url", "/news/1.html#comments", page_id_for("s", canonicalize(refs[0].url)))]


def test_homepage_feed_link_is_followed(server):
    refs, _ = refs_and_failures(discover(source("feed", server.url("/")), POLICY))
    assert server.url("/news/2.html") in [r.url for r in refs]


def test_atom_feed_links_resolve_against_the_feed_url(server):
    refs, _ = refs_and_failures(discover(source("feed", server.url("/atom.xml")), POLICY))
    assert [r.url for r in refs] == [server.url("/news/3.html"), server.url("/news/4.html")]


def test_json_feed_items_are_found(server):
    refs, _ = refs_and_failures(discover(source("feed", server.url("/feed.json")), POLICY))
    assert [r.url for r in refs] == [server.url("/news/5.html")]


def test_feed_pattern_option_filters_links(server):
    src = source("feed", server.url("/rss.xml"), pattern=r"/news/2\.")
    refs, _ = refs_and_failures(discover(src, POLICY))
    assert [r.url for r in refs] == [server.url("/news/2.html")]


def test_remote_feed_is_refused_without_allow_private(server):
    src = Source(name="s", kind="feed", location=server.url("/rss.xml"))
    items = list(discover(src, FetchPolicy(connect_timeout=0.5, read_timeout=0.5)))
    assert [i.reason for i in items] == ["private_address"]


def test_missing_feed_is_a_failed_page(server):
    items = list(discover(source("feed", server.url("/nope.xml")), POLICY))
    assert [(i.reason, i.http_status) for i in items] == [("not_found", 404)]


def test_parse_feed_returns_none_for_html():
    assert parse_feed(PAGE.encode(), "https://a.kr/") is None


def test_local_feed_file_is_read(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text("<rss><channel><item><link>https://a.kr/n/1</link></item></channel></rss>")
    refs, _ = refs_and_failures(discover(source("feed", path)))
    assert [r.url for r in refs] == ["https://a.kr/n/1"]


# ---------------------------------------------------------------- sitemaps


def test_sitemap_index_children_and_google_news_sitemap_are_followed(server):
    refs, failures = refs_and_failures(
        discover(source("sitemap", server.url("/sitemap_index.xml")), POLICY)
    )
    paths = sorted(r.url.removeprefix(server.base) for r in refs)
    assert paths == ["/about.html", "/news/1.html", "/news/6.html", "/news/7.html", "/news/8.html"]
    assert failures == []


def test_sitemaps_listed_in_robots_txt_are_followed(server):
    refs, failures = refs_and_failures(
        discover(source("sitemap", server.url("/robots.txt")), POLICY)
    )
    assert server.url("/news/7.html") in [r.url for r in refs] and failures == []


def test_sitemap_since_and_pattern_filter_by_lastmod_and_url(server):
    src = source(
        "sitemap", server.url("/sitemap_index.xml"), since=date(2024, 1, 1), pattern=r"/news/"
    )
    refs, _ = refs_and_failures(discover(src, POLICY))
    assert sorted(r.url.removeprefix(server.base) for r in refs) == ["/news/1.html", "/news/7.html"]


def test_gzipped_local_sitemap_is_read(tmp_path):
    xml = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.kr/1</loc></url></urlset>'
    path = tmp_path / "sitemap.xml.gz"
    path.write_bytes(gzip.compress(xml))
    refs, _ = refs_and_failures(discover(source("sitemap", path)))
    assert [r.url for r in refs] == ["https://a.kr/1"]


def test_sitemap_entities_are_not_expanded():
    xml = b"""<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<urlset><url><loc>https://a.kr/&x;</loc></url></urlset>"""
    parsed = parse_sitemap(xml, "https://a.kr/")
    assert parsed is not None
    assert all("root:" not in url for url, _ in parsed[0])


# ---------------------------------------------------------------- WARC


def write_warc(path):
    """Two HTML responses, one image response and one request record."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)

        def response(url, body, ctype):
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=headers
                )
            )

        response("https://a.kr/news/1", PAGE.encode("utf-8"), "text/html; charset=utf-8")
        response(
            "https://a.kr/news/2",
            PAGE.replace("t</title>", "t</title><meta charset=euc-kr>").encode("cp949"),
            "text/html",
        )
        response("https://a.kr/logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "image/png")
        req = StatusAndHeaders("GET /news/1 HTTP/1.1", [("Host", "a.kr")], is_http_request=True)
        writer.write_record(
            writer.create_warc_record("https://a.kr/news/1", "request", http_headers=req)
        )


def test_warc_yields_html_responses_only_as_decoded_raw_pages(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_warc(path)
    pages = list(discover(source("warc", path)))
    assert [p.url for p in pages] == ["https://a.kr/news/1", "https://a.kr/news/2"]
    assert all(isinstance(p, RawPage) and p.ok and "지역 AI 전환" in p.html for p in pages)
    assert [p.encoding for p in pages] == ["utf-8", "cp949"]
    assert all(p.http_status == 200 and p.content_hash for p in pages)


def test_warc_bodies_are_size_capped(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_warc(path)
    pages = list(discover(source("warc", path, max_bytes=40)))
    assert {p.reason for p in pages} == {"too_large"}


def test_corrupt_warc_is_a_failed_page(tmp_path):
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage" * 10)
    pages = list(discover(source("warc", path)))
    assert pages and not pages[-1].ok and pages[-1].reason == "decode_error"


# ---------------------------------------------------------------- source options


def test_sources_file_accepts_discovery_options_per_kind(tmp_path):
    from pipeline.sources import parse_sources

    text = """
[[source]]
name = "sm"
kind = "sitemap"
location = "https://news.kr/sitemap.xml"
pattern = "/news/"
since = 2024-01-01
max_urls = 500
"""
    (src,) = parse_sources(text, tmp_path)
    assert src.options == {"pattern": "/news/", "since": date(2024, 1, 1), "max_urls": 500}


@pytest.mark.parametrize(
    ("kind", "option", "message"),
    [
        ("html_dir", 'pattern = "x"', "does not accept pattern"),
        ("feed", 'colour = "red"', "does not accept colour"),
        ("sitemap", 'pattern = "(unclosed"', "not a valid regex"),
        ("sitemap", 'since = "last week"', "ISO date"),
        ("feed", "max_urls = 0", "positive integer"),
    ],
)
def test_sources_file_rejects_unknown_or_malformed_options(tmp_path, kind, option, message):
    from pipeline.sources import SourcesError, parse_sources

    text = f'[[source]]\nname = "s"\nkind = "{kind}"\nlocation = "x"\n{option}\n'
    with pytest.raises(SourcesError, match=message):
        parse_sources(text, tmp_path)
