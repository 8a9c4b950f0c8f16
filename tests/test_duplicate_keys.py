"""Loads whose batch repeats a key: one row per key (newest file / last fetch wins), the others
recorded as `duplicate_url` rejects, never a crash (issue 15)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb
import pytest

from pipeline.cli import main
from pipeline.warehouse import table_counts
from tests.conftest import DEMO_DIR
from tests.http_server import start_server

WIRE_PAGE = min((DEMO_DIR / "pages" / "wire").glob("*.html"))
EDIT_MARK = "수정본 안내: "


@pytest.fixture()
def run_env(tmp_path, monkeypatch):
    """Raw store and reports under tmp_path, so `axnews run` writes nothing in the repo's data/."""
    monkeypatch.setenv("AXNEWS_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setenv("AXNEWS_REPORTS_DIR", str(tmp_path / "reports"))
    return tmp_path


def _edited(html: str) -> str:
    """The same page with one paragraph changed: an outlet's corrected copy under one URL."""
    assert "<p>이번 지원은" in html
    return html.replace("<p>이번 지원은", f"<p>{EDIT_MARK}이번 지원은", 1)


def _run(*args: str) -> int:
    return main(["run", *args, "--workers", "1", "--quiet"])


def _copies(folder: Path, newer_first_in_order: bool) -> tuple[Path, Path]:
    """Two saved copies of one article sharing a canonical URL; returns (older, newer)."""
    folder.mkdir()
    html = WIRE_PAGE.read_text(encoding="utf-8")
    names = ("a-copy.html", "b-copy.html") if newer_first_in_order else ("b-copy.html", "a-copy.html")
    newer, older = folder / names[0], folder / names[1]
    older.write_text(html, encoding="utf-8")
    newer.write_text(_edited(html), encoding="utf-8")
    now = time.time()
    os.utime(older, (now - 3600, now - 3600))
    os.utime(newer, (now - 60, now - 60))
    return older, newer


@pytest.mark.parametrize("newer_first_in_order", [True, False])
def test_saved_copies_sharing_a_canonical_url_keep_the_newest_and_record_the_other(
        run_env, newer_first_in_order):
    older, newer = _copies(run_env / "pages", newer_first_in_order)
    warehouse = run_env / "w.duckdb"
    assert _run("--html-dir", str(older.parent), "--only", "--warehouse", str(warehouse)) == 0
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("select final_url, ok from pages").fetchall() == [(newer.as_uri(), True)]
        assert con.execute("select reason, url from rejects").fetchall() == [
            ("duplicate_url", older.as_uri())]
        (text,) = con.execute("select text from articles").fetchone()
        assert EDIT_MARK in text
        before = table_counts(con)
    finally:
        con.close()
    assert _run("--html-dir", str(older.parent), "--only", "--warehouse", str(warehouse)) == 0
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        after = table_counts(con)
        assert con.execute("select final_url from pages").fetchall() == [(newer.as_uri(),)]
    finally:
        con.close()
    assert {k: v for k, v in after.items() if k != "axnews_state.fetch_log"} == \
        {k: v for k, v in before.items() if k != "axnews_state.fetch_log"}


def test_editing_the_older_copy_makes_it_the_kept_one(run_env):
    older, newer = _copies(run_env / "pages", True)
    warehouse = run_env / "w.duckdb"
    assert _run("--html-dir", str(older.parent), "--only", "--warehouse", str(warehouse)) == 0
    older.write_text(older.read_text(encoding="utf-8").replace("<p>선정 기업은", "<p>재수정: 선정 기업은", 1),
                     encoding="utf-8")  # now the most recently modified file
    assert _run("--html-dir", str(older.parent), "--only", "--warehouse", str(warehouse)) == 0
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("select final_url from pages").fetchall() == [(older.as_uri(),)]
        assert con.execute("select reason, url from rejects").fetchall() == [
            ("duplicate_url", newer.as_uri())]
        assert "재수정" in con.execute("select text from articles").fetchone()[0]
    finally:
        con.close()


def test_url_list_naming_one_page_twice_fetches_once_per_canonical_url(run_env):
    server = start_server()
    try:
        page = server.url("/news/1.html")
        urls = run_env / "urls.txt"
        urls.write_text(f"{page}\n{page}?utm_source=newsletter\n{page}#comments\n", encoding="utf-8")
        warehouse = run_env / "w.duckdb"
        assert _run("--urls", str(urls), "--only", "--allow-private", "--warehouse",
                    str(warehouse)) == 0
    finally:
        server.close()
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("select count(*), count(distinct page_id) from pages").fetchone() == (1, 1)
        reasons = con.execute(
            "select reason, count(*) from rejects where stage = 'fetch' group by 1").fetchall()
        assert reasons == [("duplicate_url", 2)]
    finally:
        con.close()


def test_a_one_off_source_named_like_a_sources_file_entry_replaces_it(tmp_path, html_dir_sources):
    from pipeline import steps
    from pipeline.models import Source
    from pipeline.warehouse import connect
    from tests.conftest import make_settings

    sources_file, _pages = html_dir_sources
    settings = make_settings(tmp_path, sources_file=sources_file)
    con = connect(settings.warehouse)
    try:
        steps.load_sources_step(con, settings, extra=[Source("drop", "urls", "list.txt")])
        assert con.execute("select name, kind from sources").fetchall() == [("drop", "urls")]
    finally:
        con.close()


def test_search_rows_built_before_enrichment_are_replaced_not_doubled(tmp_path, html_dir_sources):
    """The search asset alone (a backfill, the automation sensor) indexes new articles; the
    enrichment that follows writes their search rows again: one row per article must remain."""
    from pipeline import steps
    from pipeline.search import build_search_index
    from pipeline.warehouse import connect
    from tests.conftest import copy_demo_page, make_settings

    sources_file, pages = html_dir_sources
    settings = make_settings(tmp_path, sources_file=sources_file)
    con = connect(settings.warehouse)
    try:
        for outlet in ("wire", "econ"):  # a first article enriched, then a new one arrives
            copy_demo_page(outlet, pages)
            steps.load_sources_step(con, settings)
            steps.ingest_pages_step(con, settings)
            steps.build_articles_step(con, settings)
            build_search_index(con)
            steps.enrich_step(con, settings)
        assert con.execute("select count(*), count(distinct article_id) from article_search"
                           ).fetchone() == (2, 2)
    finally:
        con.close()
