"""End to end: the whole graph materialized in-process into a tmp_path warehouse."""

from __future__ import annotations

import pytest

from pipeline.runner import materialize_all
from pipeline.warehouse import connect, table_counts
from tests.conftest import copy_demo_page, make_settings
from tests.seed_page import build_seed_html, seed_text

CORE_TABLES = ("sources", "pages", "articles", "article_urls", "stories", "mentions",
               "entities", "entity_aliases", "quotes", "article_topics", "rejects")


def _run(settings):
    result = materialize_all(settings)
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    with connect(settings.warehouse, read_only=True) as con:
        return table_counts(con)


def test_demo_run_fills_every_core_table(demo_con):
    counts = table_counts(demo_con)
    assert all(counts[t] > 0 for t in CORE_TABLES), counts
    n_pages = demo_con.execute("select count(*) from pages").fetchone()[0]
    assert n_pages >= 40


def test_every_page_ends_as_an_article_or_a_reject(demo_con):
    lost = demo_con.execute(
        """
        select p.page_id, p.url from pages p
        where p.page_id not in (select page_id from article_urls)
          and p.page_id not in (select page_id from rejects)
        """
    ).fetchall()
    assert lost == []


def test_rerunning_the_demo_gives_identical_row_counts(demo_run):
    with connect(demo_run.warehouse, read_only=True) as con:
        before = table_counts(con)
    after = _run(demo_run)
    assert after == before  # fetch_log too: unchanged saved pages are not read again


def test_bad_inputs_end_as_rows_with_reasons(tmp_path, html_dir_sources):
    sources, pages = html_dir_sources
    (pages / "broken.html").write_bytes(b"<html><body><div><p>\xff\xfe<<<</td></html")
    (pages / "empty.html").write_bytes(b"")
    (pages / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    (pages / "index.html").write_text(
        "<html><head><title>산업 섹션</title></head><body><ul>"
        + "".join(f"<li><a href='/news/{i}'>AI 반도체 기사 제목 {i}</a></li>" for i in range(40))
        + "</ul></body></html>", encoding="utf-8")
    copy_demo_page("econ", pages)
    settings = make_settings(tmp_path / "out", sources_file=sources, max_reject_share=1.0)
    counts = _run(settings)
    with connect(settings.warehouse, read_only=True) as con:
        reasons = dict(con.execute(
            "select regexp_extract(url, '[^/]+$'), reason from rejects").fetchall())
        ok_articles = con.execute("select count(*) from articles").fetchone()[0]
    assert counts["pages"] == 5
    assert ok_articles == 1
    assert reasons["empty.html"] == "empty"
    assert reasons["binary.html"] == "not_html"
    assert reasons["index.html"] in {"not_article", "too_short", "no_body"}
    assert reasons["broken.html"] in {"broken_html", "no_body", "too_short", "decode_error"}


def test_seed_page_comes_out_clean_dated_and_enriched(tmp_path, html_dir_sources):
    text = seed_text()
    if text is None:
        pytest.skip("../shared/seeds is absent: the seed test needs the seed document")
    sources, pages = html_dir_sources
    (pages / "seed.html").write_text(build_seed_html(text), encoding="utf-8")
    settings = make_settings(tmp_path / "out", sources_file=sources)
    _run(settings)
    with connect(settings.warehouse, read_only=True) as con:
        body, published = con.execute("select text, published_at from articles").fetchone()
        mentions = con.execute("select surface, label, canonical from mentions").fetchall()
        speakers = con.execute("select speaker, speaker_role from quotes").fetchall()
    for residue in ("가장작게", "좋아요0", "화나요0", "주요 뉴스", "비트코인", "133,339,000", "-0.34%"):
        assert residue not in body
    assert "\n작게\n" not in f"\n{body}\n" and "\n기본\n" not in f"\n{body}\n"
    assert "공식 지정되며" in body and "역할을 다하겠다" in body
    assert published.isoformat(timespec="minutes") == "2026-01-12T17:53+09:00"
    found = {(canonical, label) for _surface, label, canonical in mentions}
    for expected in [("경기테크노파크", "ORG"), ("과학기술정보통신부", "ORG"), ("경기도", "LOCATION"),
                     ("정진수", "PERSON"), ("소프트웨어진흥법", "LAW"), ("온디바이스 AI", "TECH"),
                     ("피지컬 AI", "TECH")]:
        assert expected in found, expected
    assert ("과기부", "ORG", "과학기술정보통신부") in mentions
    assert ("정진수", "원장") in speakers


def test_run_waits_for_an_analyst_holding_the_warehouse_open(tmp_path, html_dir_sources, caplog):
    import subprocess
    import sys

    sources, pages = html_dir_sources
    copy_demo_page("wire", pages)
    settings = make_settings(tmp_path / "out", sources_file=sources)
    _run(settings)
    # an analyst's shell: a read-only connection, held for three seconds
    reader = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True); "
         "print(c.execute('select count(*) from articles').fetchone()[0], flush=True); time.sleep(3)",
         str(settings.warehouse)], stdout=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "1"
    caplog.set_level("WARNING", logger="axnews.warehouse")
    counts = _run(settings)
    reader.wait(timeout=30)
    assert counts["articles"] == 1
    assert any("is locked by another process" in r.getMessage() for r in caplog.records)
