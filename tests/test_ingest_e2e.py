"""Ingestion through the real graph: a loopback server's feed, sitemap and fault pages, by day."""

from __future__ import annotations

import pytest

from pipeline.runner import materialize_all
from pipeline.warehouse import connect
from tests.conftest import make_settings
from tests.http_server import start_server

FAULTS = ["/slow.html", "/always-500.html", "/ratelimited.html", "/loop/a", "/to-metadata",
          "/doc.pdf", "/euckr-bare.html", "/oversize.html", "/truncated.html", "/bomb.html",
          "/missing-page.html", "/private/secret.html"]


@pytest.fixture(scope="module")
def server():
    srv = start_server()
    yield srv
    srv.close()


def _sources(tmp_path, server) -> object:
    urls = tmp_path / "faults.txt"
    urls.write_text("\n".join(server.url(p) for p in FAULTS) + "\n", encoding="utf-8")
    path = tmp_path / "sources.toml"
    path.write_text(f"""
[fetch]
read_timeout = 0.5
connect_timeout = 0.5
max_retries = 1
backoff_base = 0.05
backoff_max = 1.0
per_domain_delay = 0.0
max_bytes = 200000
max_decompressed_bytes = 1000000

[[source]]
name = "local_feed"
kind = "feed"
location = "{server.url('/rss.xml')}"
allow_private = true

[[source]]
name = "local_sitemap"
kind = "sitemap"
location = "{server.url('/sitemap_index.xml')}"
allow_private = true

[[source]]
name = "faults"
kind = "urls"
location = "faults.txt"
allow_private = true
""", encoding="utf-8")
    return path


def _pages(settings) -> dict[str, tuple]:
    with connect(settings.warehouse, read_only=True) as con:
        rows = con.execute(
            "select regexp_extract(url, '//[^/]+(/.*)$', 1), ok, reason, partition_day::varchar "
            "from pages").fetchall()
    return {path: (ok, reason, day) for path, ok, reason, day in rows}


def test_day_partition_ingests_that_days_entries_and_every_fault_becomes_a_row(tmp_path, server):
    settings = make_settings(tmp_path / "out", sources_file=_sources(tmp_path, server),
                             max_reject_share=1.0, max_articles_without_entities=1.0)
    result = materialize_all(settings, partition_key="2024-05-06")
    assert result.success
    pages = _pages(settings)
    assert pages["/news/1.html"][0] is True  # dated 2024-05-06 in the feed and the sitemap
    assert "/news/6.html" not in pages  # the sitemap dates it 2020-01-01: another day
    assert pages["/news/2.html"][0] is True  # undated entries are taken by the day that runs
    expected = {
        "/slow.html": "timeout", "/always-500.html": "http_error", "/loop/a": "too_many_redirects",
        "/to-metadata": "private_address", "/doc.pdf": "not_html", "/oversize.html": "too_large",
        "/truncated.html": "truncated", "/bomb.html": "decompression_bomb",
        "/missing-page.html": "not_found", "/private/secret.html": "robots_disallowed",
    }
    for path, reason in expected.items():
        assert pages[path][:2] == (False, reason), (path, pages[path])
    assert pages["/ratelimited.html"][0] is True  # 429 with Retry-After, then served
    assert pages["/euckr-bare.html"][0] is True
    assert {day for _ok, _r, day in pages.values()} == {"2024-05-06"}
    with connect(settings.warehouse, read_only=True) as con:
        fetch_rejects = con.execute("select count(*) from rejects where stage = 'fetch' "
                                    "and reason <> 'duplicate_url'").fetchone()[0]
        failed_pages = con.execute("select count(*) from pages where not ok").fetchone()[0]
        duplicates = con.execute("select url from rejects where reason = 'duplicate_url'"
                                 ).fetchall()
    assert fetch_rejects == failed_pages
    assert duplicates == [(server.url("/news/1.html#comments"),)]  # the feed names it twice

    pages_event = next(e for e in result.get_asset_materialization_events()
                       if e.asset_key.to_user_string() == "pages")
    metadata = pages_event.materialization.metadata
    assert metadata["fetched"].value >= 3 and metadata["failed"].value >= len(expected)
    assert "discovered" in metadata["preview"].value and "faults" in metadata["preview"].value


def test_backfilling_another_day_adds_its_entries_and_skips_fetched_ones(tmp_path, server):
    settings = make_settings(tmp_path / "out", sources_file=_sources(tmp_path, server),
                             max_reject_share=1.0, max_articles_without_entities=1.0)
    assert materialize_all(settings, partition_key="2024-05-06").success
    hits_before = len(server.hit_times("/news/1.html"))
    assert hits_before >= 1
    assert materialize_all(settings, partition_key="2020-01-01").success
    pages = _pages(settings)
    assert pages["/news/6.html"][0] is True and pages["/news/6.html"][2] == "2020-01-01"
    with connect(settings.warehouse, read_only=True) as con:
        days = dict(con.execute("select partition_day::varchar, count(*) from axnews_state.fetch_log "
                                "group by 1").fetchall())
    assert days["2024-05-06"] >= 15 and days["2020-01-01"] >= 1  # every attempt of both runs
    assert len(server.hit_times("/news/1.html")) == hits_before  # fetched OK before: not again


def test_one_off_url_list_run_exits_zero_with_failures_as_rows(tmp_path, server):
    from pipeline.cli import main

    urls = tmp_path / "urls.txt"
    urls.write_text(f"{server.url('/news/11.html')}\n{server.url('/missing-page.html')}\n",
                    encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"
    assert main(["run", "--urls", str(urls), "--only", "--allow-private", "--warehouse",
                 str(warehouse), "--workers", "1", "--quiet"]) == 0
    with connect(warehouse, read_only=True) as con:
        rows = dict(con.execute("select regexp_extract(url, '[^/]+$'), reason from pages").fetchall())
    assert rows == {"11.html": None, "missing-page.html": "not_found"}
    refused = tmp_path / "w2.duckdb"  # without --allow-private, loopback is refused
    assert main(["run", "--urls", str(urls), "--only", "--warehouse", str(refused),
                 "--workers", "1", "--quiet"]) == 0
    with connect(refused, read_only=True) as con:
        assert {r for (r,) in con.execute("select reason from pages").fetchall()} == {"private_address"}
