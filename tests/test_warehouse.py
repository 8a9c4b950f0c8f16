"""Loads are all-or-nothing, schema is idempotent, and a held lock is waited for."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from pipeline.warehouse import connect, replace_where, table_counts
from pipeline.warehouse import rows as R


def _rejects(n: int) -> pa.Table:
    return R.to_table([{"page_id": f"p{i}", "source": "s", "url": f"u{i}", "stage": "clean",
                        "reason": "too_short", "detail": ""} for i in range(n)], R.REJECTS)


def test_schema_applies_twice_without_change(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    first = table_counts(con)
    con.close()
    assert table_counts(connect(tmp_path / "w.duckdb")) == first


def test_replace_where_is_idempotent(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    for _ in range(3):
        replace_where(con, "rejects", _rejects(5), "stage = ?", ["clean"])
    assert con.execute("select count(*) from rejects").fetchone()[0] == 5


def test_failed_load_leaves_previous_rows(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    replace_where(con, "rejects", _rejects(5), "stage = ?", ["clean"])
    broken = pa.table({"page_id": ["x"], "no_such_column": ["y"]})
    with pytest.raises(duckdb.Error):
        replace_where(con, "rejects", broken, "stage = ?", ["clean"])
    assert con.execute("select count(*) from rejects").fetchone()[0] == 5


def test_writer_waits_for_a_lock_held_by_another_process(tmp_path):
    path = tmp_path / "w.duckdb"
    connect(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb, time; c = duckdb.connect({str(path)!r}); print('held', flush=True); time.sleep(2)"],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    started = time.monotonic()
    con = connect(path, wait_seconds=30)
    waited = time.monotonic() - started
    holder.wait(timeout=10)
    assert con.execute("select 1").fetchone() == (1,)
    assert waited >= 0.5


def test_writer_gives_up_with_the_lock_error_after_its_wait(tmp_path):
    path = tmp_path / "w.duckdb"
    connect(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb, time; c = duckdb.connect({str(path)!r}); print('held', flush=True); time.sleep(5)"],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(duckdb.IOException, match="lock"):
        connect(path, wait_seconds=0.5)
    holder.kill()


def test_every_connection_caps_duckdb_memory_and_the_cap_is_configurable(tmp_path, monkeypatch):
    """Read-only ones too: an asset check joining mentions to texts took 1.2 GB at 100k pages."""
    path = tmp_path / "w.duckdb"

    def limit(con) -> int:
        (value,) = con.execute("select current_setting('memory_limit')").fetchone()
        number, unit = value.split()
        return int(float(number) * {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30}[unit])

    with connect(path) as con:
        assert 200 * 2**20 < limit(con) < 300 * 2**20
    with connect(path, read_only=True) as con:
        assert 200 * 2**20 < limit(con) < 300 * 2**20
    monkeypatch.setenv("AXNEWS_DUCKDB_MEMORY_LIMIT", "1GB")
    with connect(path, read_only=True) as con:
        assert 900 * 2**20 < limit(con) < 1100 * 2**20


def test_writers_checkpoint_later_than_duckdbs_default_and_it_is_configurable(tmp_path, monkeypatch):
    """DuckDB rewrites each changed primary-key index whole at every checkpoint: a load that
    passes 16MB of log should not checkpoint (and so rewrite the index) again and again."""
    def load_30mb(path) -> int:
        with connect(path) as con:
            con.execute("create table keyed (id varchar primary key, body varchar)")
            for batch in range(30):  # ~1 MB a commit, like the pipeline's batch loads
                con.execute(f"insert into keyed select 'k{batch}-' || i, repeat('본문 ', 100) "
                            "from range(2000) r(i)")
            wal = Path(f"{path}.wal")
            return wal.stat().st_size if wal.exists() else 0

    assert load_30mb(tmp_path / "late.duckdb") > 20e6  # all still in the log: no checkpoint yet
    monkeypatch.setenv("AXNEWS_DUCKDB_CHECKPOINT_THRESHOLD", "4MB")
    assert load_30mb(tmp_path / "early.duckdb") < 8e6
    with connect(tmp_path / "early.duckdb") as con:  # and nothing is lost either way
        assert con.execute("select count(*) from keyed").fetchone()[0] == 60_000


def test_entity_name_and_latest_role_do_not_depend_on_ties(tmp_path):
    """Two names used equally often, two roles in one article: the build picks by rule (the
    greater name, the role written last in the latest article), not by the order DuckDB's
    threads met the rows, so two builds of the same mentions give the same entities."""
    from pipeline.warehouse.sqlfiles import run_load

    con = connect(tmp_path / "w.duckdb")
    con.execute("insert into articles (article_id, page_id, source, url, title, text, language, "
                "published_at) values "
                "('a1', 'p1', 's', 'u1', 't', 'x', 'ko', '2026-03-02 09:00:00+09'), "
                "('a2', 'p2', 's', 'u2', 't', 'x', 'ko', '2026-03-01 09:00:00+09')")
    rows = [  # article, start, canonical, role, affiliation
        ("a1", 70, "金哲洙", None, None), ("a2", 5, "金哲洙", "장관", "과학기술정보통신부"),
        ("a1", 10, "김철수", "원장", "경기테크노파크"), ("a1", 40, "김철수", "국장", "경기도")]
    con.executemany(
        "insert into mentions (article_id, entity_id, field, label, start_char, end_char, "
        "surface, canonical, role, affiliation, known) values (?, 'PERSON:김철수', 'text', "
        "'PERSON', ?, ? + 3, ?, ?, ?, ?, false)",
        [(a, s, s, c, c, r, f) for a, s, c, r, f in rows])
    run_load(con, "entities")
    assert con.execute("select canonical, n_mentions, n_articles, latest_role, "
                       "latest_affiliation from entities").fetchall() == [
        ("김철수", 4, 2, "국장", "경기도")]  # 김 (U+AE40) sorts after 金 (U+91D1)
