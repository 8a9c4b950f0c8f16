"""Each SQL check passes on the demo warehouse and fails on data made bad on purpose."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

import pytest

from pipeline.settings import Settings
from pipeline.warehouse import connect, list_checks, run_check

LIMITS = Settings().check_variables()


@pytest.fixture()
def bad_con(demo_run, tmp_path):
    """A writable copy of the demo warehouse to spoil."""
    path = tmp_path / "copy.duckdb"
    shutil.copy(demo_run.warehouse, path)
    con = connect(path)
    yield con
    con.close()


def test_every_check_passes_on_the_demo(demo_con):
    for name in list_checks():
        if name == "articles_freshness":
            continue  # the demo corpus ages; freshness is a warning, asserted below
        assert run_check(demo_con, name, LIMITS).empty, name


def test_empty_body_fails_nonempty_check(bad_con):
    bad_con.execute("update articles set text = '  ' where article_id = (select min(article_id) from articles)")
    assert len(run_check(bad_con, "articles_nonempty_bodies", LIMITS)) == 1
    bad_con.execute("update articles set text = chr(10) || chr(9) || ' ' "
                    "where article_id = (select max(article_id) from articles)")
    assert len(run_check(bad_con, "articles_nonempty_bodies", LIMITS)) == 2


def test_duplicate_id_fails_unique_check(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    con.execute("drop table articles")
    con.execute("create table articles (article_id varchar, text varchar)")
    con.execute("insert into articles values ('a', 'x'), ('a', 'y')")
    assert len(run_check(con, "articles_unique_ids", LIMITS)) == 1


def test_future_date_fails_future_check(bad_con):
    future = datetime.now(UTC) + timedelta(days=3)
    bad_con.execute("update articles set published_at = ? where article_id = (select min(article_id) from articles)", [future])
    assert len(run_check(bad_con, "articles_no_future_dates", LIMITS)) == 1


def test_many_rejects_fail_reject_share_check(bad_con):
    assert run_check(bad_con, "rejects_share_under_limit", LIMITS).empty
    bad_con.execute("insert into rejects (page_id, source, url, stage, reason, detail) "
                    "select page_id, source, url, 'clean', 'too_short', '' from pages")
    assert len(run_check(bad_con, "rejects_share_under_limit", LIMITS)) == 1


def test_articles_without_entities_fail_coverage_check(bad_con):
    bad_con.execute("delete from mentions")
    assert len(run_check(bad_con, "entity_coverage", LIMITS)) == 1


def test_stale_newest_article_fails_freshness_check(bad_con):
    bad_con.execute("update articles set published_at = published_at - interval 3000 day")
    assert len(run_check(bad_con, "articles_freshness", LIMITS)) == 1
    assert run_check(bad_con, "articles_freshness", {**LIMITS, "freshness_days": 100000}).empty


def test_shifted_offsets_fail_offset_check(bad_con):
    bad_con.execute("update mentions set start_char = start_char + 1 where rowid = (select min(rowid) from mentions where field = 'text')")
    assert len(run_check(bad_con, "mentions_offsets_valid", LIMITS)) >= 1
