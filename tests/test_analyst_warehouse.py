"""The warehouse as an analyst meets it: commented tables, views for common questions, entity
types and regions, Korean time, no bookkeeping in exports, readers that wait for a run."""

from __future__ import annotations

import subprocess
import sys
import time

import duckdb
import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.settings import SQL_DIR
from pipeline.warehouse import connect
from pipeline.warehouse.backends import DATA_PATH_ENV, adapt_ddl, connect_ducklake
from pipeline.warehouse.comments import split_comments
from pipeline.warehouse.db import stage_version
from pipeline.warehouse.state_schema import BOOKKEEPING, STATE_SCHEMA
from pipeline.warehouse.views import VIEW_ORDER

WHERE = "database_name = current_database() and schema_name = current_schema()"


def test_every_user_table_and_view_and_its_columns_carry_a_comment(demo_con):
    tables = demo_con.execute(
        f"select table_name, comment from duckdb_tables() where {WHERE} "
        f"union all select view_name, comment from duckdb_views() where {WHERE} and not internal"
    ).fetchall()
    names = {name for name, _ in tables}
    assert set(VIEW_ORDER) <= names and {"articles", "entities", "events"} <= names
    assert [name for name, comment in tables if not comment] == []
    bare = demo_con.execute(
        f"select table_name || '.' || column_name from duckdb_columns() where {WHERE} "
        "and comment is null and table_name not in (select unnest(?::varchar[]))",
        [sorted(BOOKKEEPING)]).fetchall()
    assert bare == []


def test_export_leaves_out_the_bookkeeping_tables(demo_run, tmp_path, capsys):
    out = tmp_path / "export"
    assert main(["export", "--to", str(out), "--warehouse", str(demo_run.warehouse)]) == 0
    written = {p.name.removesuffix(".parquet") for p in out.iterdir()}
    assert {"articles", "entities", "events", "mentions", "quotes"} <= written
    assert written.isdisjoint(BOOKKEEPING), written & BOOKKEEPING


def test_the_analysts_schema_holds_no_bookkeeping_table_after_a_run(demo_con):
    tables = dict(demo_con.execute(
        "select table_name, schema_name from duckdb_tables() "
        "where database_name = current_database()").fetchall())
    assert {"articles", "entities", "pages"} <= {n for n, s in tables.items() if s == "main"}
    assert {n: s for n, s in tables.items() if n in BOOKKEEPING} == dict.fromkeys(
        BOOKKEEPING, STATE_SCHEMA)  # all eight, the search index's too, and only there
    assert demo_con.execute(f"select count(*) from {STATE_SCHEMA}.processed").fetchone()[0]


# The per-stage ledgers an older version kept, before the one `processed` table.
FORMER_LEDGERS_DDL = """
create table processed_pages (page_id varchar primary key, html_key varchar not null,
                              article_id varchar, reason varchar);
create table processed_articles (article_id varchar not null, stage varchar not null);
"""


def _old_layout_ddl() -> str:
    """The schema files as they were before the move: the bookkeeping tables in `main`, the
    per-stage ledgers instead of `processed`."""
    files = [f for f in sorted((SQL_DIR / "schema").glob("*.sql")) if f.stem != "processed"]
    files.append(SQL_DIR / "search" / "search_tables.sql")
    return "\n".join(split_comments(f.read_text(encoding="utf-8"))[0] for f in files).replace(
        f"{STATE_SCHEMA}.", "") + FORMER_LEDGERS_DDL


OLD_ROWS = [
    "insert into stage_state values ('articles', 'v-old', now())",
    "insert into processed_pages values ('p1', 'k1', 'a1', null), ('p2', 'k2', null, 'too_short')",
    "insert into processed_articles values ('a1', 'enrichment'), ('a1', 'enrichment')",
    "insert into search_docs values ('a1', 'h1', 12)",
    "insert into search_postings values ('반도체', 'a1', 3)",
]


@pytest.mark.parametrize("backend", ["duckdb-file", "ducklake-sqlite"])
def test_a_warehouse_with_bookkeeping_in_main_moves_it_with_its_rows(backend, tmp_path, monkeypatch):
    if backend == "duckdb-file":
        warehouse = str(tmp_path / "old.duckdb")
        old = duckdb.connect(warehouse)
        old.execute(_old_layout_ddl())
    else:
        monkeypatch.setenv(DATA_PATH_ENV, str(tmp_path / "lake"))
        warehouse = f"ducklake:sqlite:{tmp_path / 'catalog.sqlite'}"
        old = connect_ducklake(warehouse, read_only=False, wait_seconds=10)
        old.execute(adapt_ddl(_old_layout_ddl()))
    for statement in OLD_ROWS:
        old.execute(statement)
    old.close()

    for _ in range(2):  # the second connection finds nothing left to move
        con = connect(warehouse)
        where = "database_name = current_database()"
        in_main = {n for (n,) in con.execute(
            f"select table_name from duckdb_tables() where {where} and schema_name = 'main'"
        ).fetchall()}
        assert in_main & BOOKKEEPING == set() and {"articles", "pages"} <= in_main
        state = f"{STATE_SCHEMA}."
        assert con.execute(f"select version from {state}stage_state").fetchall() == [("v-old",)]
        assert con.execute(f"select stage, item_id, input_key, article_id, reason from "
                           f"{state}processed order by all").fetchall() == [
            ("articles", "p1", "k1", "a1", None), ("articles", "p2", "k2", None, "too_short"),
            ("enrichment", "a1", None, None, None)]
        assert not {"processed_pages", "processed_articles"} & {n for (n,) in con.execute(
            "select table_name from duckdb_tables() where " + where).fetchall()}
        assert con.execute(f"select * from {state}search_postings").fetchall() == [("반도체", "a1", 3)]
        assert con.execute(f"select comment from duckdb_tables() where {where} and "
                           f"schema_name = '{STATE_SCHEMA}' and table_name = 'processed'"
                           ).fetchone()[0].startswith("Bookkeeping")
        assert stage_version(con, "articles") == "v-old"
        con.close()


def test_entity_directory_gives_type_and_province_from_the_reference_data(demo_con):
    rows = demo_con.execute(
        "select entity_id, type, region from entity_directory "
        "where entity_id in ('ORG:과학기술정보통신부', 'ORG:경남테크노파크')").fetchall()
    found = {entity_id: (kind, region) for entity_id, kind, region in rows}
    assert found["ORG:과학기술정보통신부"] == ("ministry", None)
    assert found["ORG:경남테크노파크"] == ("technopark", "경상남도")
    people = demo_con.execute(
        "select count(*), count(region) from entity_directory where label = 'PERSON' "
        "and latest_affiliation like '%테크노파크'").fetchone()
    assert people[0] > 0 and people[1] == people[0]  # a technopark's head: its province


def test_weekly_mentions_answer_which_organizations_were_mentioned_most_with_regions(demo_con):
    frame = demo_con.execute(
        "select canonical, region, sum(n_mentions) as n from weekly_entity_mentions "
        "where label = 'ORG' and week = (select max(week) from weekly_entity_mentions) "
        "group by all order by n desc").df()
    assert len(frame) > 0 and frame["region"].notna().any()
    (weekday,) = demo_con.execute(
        "select distinct isodow(week) from weekly_entity_mentions").fetchone()
    assert weekday == 1  # weeks start on Monday


def test_quotes_and_events_views_name_speakers_parties_and_the_article_url(demo_con):
    quotes = demo_con.execute("select * from quotes_with_speakers").df()
    assert {"speaker", "role", "organization", "quote", "url"} <= set(quotes.columns)
    assert quotes["organization"].notna().any() and quotes["url"].notna().all()
    events = demo_con.execute("select * from events_with_parties").df()
    assert {"agents", "objects", "type", "url", "published_kst"} <= set(events.columns)
    assert events["agents"].notna().any() and events["url"].notna().all()


def test_views_present_times_in_korean_time(demo_con):
    offsets = demo_con.execute(
        "select distinct extract(hour from q.published_kst - timezone('UTC', a.published_at)) "
        "from quotes_with_speakers q join articles a using (article_id)").fetchall()
    assert offsets == [(9,)]


def test_two_people_of_one_name_at_different_organizations_stay_two_entities():
    from pipeline.reference import load_reference
    from pipeline.stages.enrich import EntityExtractor

    extractor = EntityExtractor(load_reference(None))
    first, _ = extractor.extract("조현석 광주테크노파크 원장은 18일 \"돕겠다\"고 말했다. "
                                 "조 원장은 이어 설명했다.")
    second, _ = extractor.extract("조현석 경기도 미래산업국장은 19일 브리핑을 열었다.")
    ids = {m.entity_id for m in [*first, *second] if m.label == "PERSON"}
    assert ids == {"PERSON:조현석@광주테크노파크", "PERSON:조현석@경기도"}
    assert {m.canonical for m in [*first, *second] if m.label == "PERSON"} == {"조현석"}


def test_a_reader_waits_for_a_run_holding_the_warehouse_instead_of_failing(tmp_path):
    path = tmp_path / "w.duckdb"
    connect(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", (f"import duckdb, time; c = duckdb.connect({str(path)!r}); "
                                "print('held', flush=True); time.sleep(3)")],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    started = time.monotonic()
    with connect(path, read_only=True) as con:  # the default wait, as every reader uses
        assert con.execute("select count(*) from articles").fetchone() == (0,)
    holder.wait(timeout=10)
    assert time.monotonic() - started >= 1


@pytest.mark.parametrize("report", ["most_quoted_people"])
def test_quoted_people_report_names_the_organization(demo_con, report):
    from pipeline.warehouse import run_report

    frame: pd.DataFrame = run_report(demo_con, report)
    assert "organization" in frame.columns and frame["organization"].notna().any()
