"""The DuckLake backend behind connect(): same schema, loads and reports as a DuckDB file, and
several writer processes at once on a PostgreSQL catalog (a real cluster on 127.0.0.1)."""

from __future__ import annotations

import itertools
import multiprocessing
import os
import time
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from pipeline.settings import SQL_DIR
from pipeline.warehouse import (
    apply_schema,
    connect,
    insert_rows,
    list_reports,
    replace_where,
    run_report,
    table_counts,
)
from pipeline.warehouse.backends import (
    DATA_PATH_ENV,
    adapt_ddl,
    apply_ducklake_schema,
    extension_file,
    is_conflict,
    parse_ducklake,
    retry_on_conflict,
    shell_sql,
    warehouse_exists,
    warehouse_setting,
)
from pipeline.warehouse.db import LOCK_MARKERS
from pipeline.warehouse.state_schema import BOOKKEEPING, STATE_SCHEMA
from tests.fuzz_inputs import assert_keys_unique
from tests.pg import create_database, postgres_bin_dir, running_postgres

BACKENDS = ["duckdb-file", "ducklake-sqlite", "ducklake-postgres"]
# one table a file; table_counts names the bookkeeping ones with their schema
SCHEMA_TABLES = {f"{STATE_SCHEMA}.{path.stem}" if path.stem in BOOKKEEPING else path.stem
                 for path in (SQL_DIR / "schema").glob("*.sql")}
PAGES_BY_IDS = "page_id in (select unnest(?::varchar[]))"
KST = timezone(timedelta(hours=9))
WRITERS = 3
ROUNDS = 4
ROWS_PER_DAY = 40


@pytest.fixture(scope="module")
def postgres() -> str:
    """A private PostgreSQL cluster for this module; fails (in CI) when PostgreSQL is missing."""
    if postgres_bin_dir() is None and not os.environ.get("CI"):
        pytest.skip("PostgreSQL not installed: run scripts/install-postgres.sh")
    with running_postgres() as conninfo:
        yield conninfo


def new_warehouse(backend: str, root: Path, postgres: str | None) -> str:
    """A fresh, empty warehouse of one backend under root (data files too)."""
    if backend == "duckdb-file":
        return str(root / "warehouse.duckdb")
    if backend == "ducklake-sqlite":
        return f"ducklake:sqlite:{root / 'catalog.sqlite'}"
    conninfo = create_database(postgres, f"lake_{uuid.uuid4().hex[:10]}")
    return f"ducklake:postgres:{conninfo}"


@pytest.fixture(params=BACKENDS)
def warehouse(request, tmp_path, monkeypatch) -> str:
    """A fresh warehouse string for each backend; DuckLake data files go under tmp_path."""
    monkeypatch.setenv(DATA_PATH_ENV, str(tmp_path / "lake"))
    conninfo = request.getfixturevalue("postgres") if "postgres" in request.param else None
    return new_warehouse(request.param, tmp_path, conninfo)


# ---------------------------------------------------------------- rows


def page_rows(day: int, n: int, attempt: int = 1) -> pa.Table:
    """n `pages` rows owned by one writer's day; `attempt` marks which round wrote them."""
    ids = [f"d{day}-{i:05d}" for i in range(n)]
    fetched = datetime(2024, 5, 1 + day, 9, tzinfo=UTC)
    return pa.table({
        "page_id": ids,
        "source": [f"outlet{day}"] * n,
        "url": [f"https://news{day}.example.kr/{i}" for i in ids],
        "canonical_url": [f"https://news{day}.example.kr/{i}" for i in ids],
        "fetched_at": pa.array([fetched] * n, pa.timestamp("us", tz="UTC")),
        "ok": [True] * n,
        "attempts": pa.array([attempt] * n, pa.int32()),
    })


def at(day: int, hour: int = 9) -> datetime:
    """A publication time in May 2024, Korean time."""
    return datetime(2024, 5, day, hour, tzinfo=KST)


SMALL_WAREHOUSE: dict[str, list[dict]] = {
    "sources": [
        {"name": "gyeonggi", "kind": "rss", "location": "https://g.example.kr/rss",
         "outlet": "경기일보", "allow_private": False, "loaded_at": at(1)},
        {"name": "jeonnam", "kind": "sitemap", "location": "https://j.example.kr/sitemap.xml",
         "outlet": "전남일보", "allow_private": False, "loaded_at": at(1)},
        {"name": "quiet", "kind": "html_dir", "location": "pages", "outlet": "조용한신문",
         "allow_private": False, "loaded_at": at(1)},
    ],
    "pages": [
        {"page_id": f"p{i}", "source": src, "url": f"https://x.example.kr/{i}",
         "canonical_url": f"https://x.example.kr/{i}", "fetched_at": at(10), "ok": ok,
         "attempts": 1, "reason": None if ok else "http_404"}
        for i, src, ok in [(1, "gyeonggi", True), (2, "jeonnam", True), (3, "gyeonggi", True),
                           (4, "jeonnam", True), (5, "quiet", False)]
    ],
    "articles": [
        {"article_id": aid, "page_id": pid, "source": src, "url": f"https://x.example.kr/{pid}",
         "title": title, "text": text, "language": "ko", "published_at": when,
         "authors": ["김기자"], "n_chars": len(text), "story_id": story}
        for aid, pid, src, title, text, when, story in [
            ("a1", "p1", "gyeonggi", "경기도, AI 실증 확대", "경기도는 인공지능 실증을 확대한다.",
             at(6), "s1"),
            ("a2", "p2", "jeonnam", "전남, AI 데이터센터", "전라남도는 데이터센터를 짓는다.",
             at(8), None),
            ("a3", "p3", "gyeonggi", "과기정통부 예산", "과학기술정보통신부는 예산 100억원을 투입한다.",
             at(14), None),
            ("a4", "p4", "jeonnam", "테크노파크 협약", "경기테크노파크와 전라남도가 협약을 맺었다.",
             at(15, 18), None),
        ]
    ],
    "article_urls": [
        {"article_id": "a1", "url": "https://x.example.kr/p1", "page_id": "p1",
         "source": "gyeonggi"},
        {"article_id": "a1", "url": "https://j.example.kr/copy", "page_id": "p2",
         "source": "jeonnam"},
        {"article_id": "a3", "url": "https://x.example.kr/p3", "page_id": "p3",
         "source": "gyeonggi"},
        {"article_id": "a4", "url": "https://x.example.kr/p4", "page_id": "p4",
         "source": "jeonnam"},
    ],
    "stories": [
        {"story_id": "s1", "article_id": "a1", "is_representative": True, "similarity": 1.0},
        {"story_id": "s1", "article_id": "a2", "is_representative": False, "similarity": 0.91},
    ],
    "entity_lineage": [
        {"label": "ORG", "canonical": name, "current_canonical": "과학기술정보통신부"}
        for name in ("미래창조과학부", "과학기술정보통신부")
    ],
    "entities": [
        {"entity_id": eid, "label": label, "canonical": name, "known": known,
         "n_mentions": n, "n_articles": k, "first_seen": first, "last_seen": at(15),
         "latest_role": role, "latest_affiliation": aff}
        for eid, label, name, known, n, k, first, role, aff in [
            ("org:msit", "ORG", "과학기술정보통신부", True, 5, 3, at(6), None, None),
            ("org:gtp", "ORG", "경기테크노파크", True, 3, 2, at(6), None, None),
            ("per:hong", "PERSON", "홍길동", False, 2, 2, at(14), "장관", "과학기술정보통신부"),
            ("loc:gg", "LOCATION", "경기도", True, 4, 3, at(6), None, None),
            ("loc:jn", "LOCATION", "전라남도", True, 2, 2, at(8), None, None),
            ("tech:ai", "TECH", "인공지능", True, 6, 4, at(6), None, None),
            ("law:ai", "LAW", "인공지능기본법", True, 2, 2, at(14), None, None),
        ]
    ],
    "mentions": [
        {"article_id": aid, "entity_id": eid, "field": "text", "label": label, "start_char": s,
         "end_char": s + len(surface), "surface": surface, "canonical": canon,
         "sentence_index": 0, "known": True, "value": value, "unit": unit}
        for aid, eid, label, s, surface, canon, value, unit in [
            ("a1", "loc:gg", "LOCATION", 0, "경기도", "경기도", None, None),
            ("a1", "org:msit", "ORG", 4, "과기정통부", "과학기술정보통신부", None, None),
            ("a1", "org:gtp", "ORG", 10, "경기테크노파크", "경기테크노파크", None, None),
            ("a2", "loc:jn", "LOCATION", 0, "전라남도", "전라남도", None, None),
            ("a2", "org:msit", "ORG", 6, "과기정통부", "과학기술정보통신부", None, None),
            ("a3", "org:msit", "ORG", 0, "과학기술정보통신부", "과학기술정보통신부", None, None),
            ("a3", "money:1", "MONEY", 14, "100억원", "100억원", 1e10, "KRW"),
            ("a3", "law:ai", "LAW", 20, "인공지능기본법", "인공지능기본법", None, None),
            ("a3", "per:hong", "PERSON", 30, "홍길동", "홍길동", None, None),
            ("a4", "org:gtp", "ORG", 0, "경기테크노파크", "경기테크노파크", None, None),
            ("a4", "loc:jn", "LOCATION", 8, "전라남도", "전라남도", None, None),
            ("a4", "law:ai", "LAW", 20, "인공지능기본법", "인공지능기본법", None, None),
        ]
    ],
    "article_topics": [
        {"article_id": aid, "topic": topic, "n_mentions": n}
        for aid, topic, n in [("a1", "인공지능", 2), ("a2", "인공지능", 1), ("a2", "데이터센터", 3),
                              ("a3", "인공지능", 1), ("a4", "인공지능", 1)]
    ],
    "quotes": [
        {"article_id": "a3", "quote_index": 0, "quote": "지역 AI 전환을 지원하겠다",
         "speaker": "홍길동", "speaker_entity_id": "per:hong", "speaker_role": "장관"},
        {"article_id": "a4", "quote_index": 0, "quote": "협력을 강화한다", "speaker": "홍길동",
         "speaker_entity_id": "per:hong", "speaker_role": "장관"},
        {"article_id": "a1", "quote_index": 0, "quote": "익명의 말", "speaker": None},
    ],
    "events": [
        {"article_id": aid, "event_index": 0, "type": kind, "start_char": 0, "end_char": 20,
         "sentence": sentence, "title": title, "date": day, "amount": amount,
         "currency": currency, "region": region}
        for aid, kind, sentence, title, day, amount, currency, region in [
            ("a1", "DESIGNATION", "경기도가 AI 실증 거점으로 지정됐다.", "AI 실증 거점",
             date(2024, 5, 6), None, None, "경기도"),
            ("a3", "FUNDING", "과기정통부는 100억원을 투입한다.", "지역 AI 실증",
             date(2024, 5, 14), 1e10, "KRW", "경기도"),
            ("a4", "AGREEMENT", "경기테크노파크와 전라남도가 협약을 맺었다.", None, None, None,
             None, "전라남도"),
        ]
    ],
    "event_roles": [
        {"article_id": aid, "event_index": 0, "role": role, "entity_id": eid, "name": name}
        for aid, role, eid, name in [
            ("a1", "agent", "org:msit", "과학기술정보통신부"), ("a1", "object", "loc:gg", "경기도"),
            ("a3", "agent", "org:msit", "과학기술정보통신부"), ("a3", "object", "loc:gg", "경기도"),
            ("a4", "agent", "org:gtp", "경기테크노파크"), ("a4", "object", "loc:jn", "전라남도"),
        ]
    ],
    "rejects": [
        {"page_id": "p5", "source": "quiet", "url": "https://x.example.kr/5", "stage": "fetch",
         "reason": "http_404", "detail": "not found"},
        {"page_id": "p2", "source": "jeonnam", "url": "https://x.example.kr/2",
         "stage": "dedupe", "reason": "duplicate", "detail": "of a1"},
    ],
}


def fill_small_warehouse(con: duckdb.DuckDBPyConnection) -> None:
    """Load the hand-made rows above through insert_rows, one table at a time."""
    for table, rows in SMALL_WAREHOUSE.items():
        insert_rows(con, table, pa.Table.from_pylist(rows))


def comparable(rows: list[tuple]) -> list[tuple]:
    """Rows in a fixed order, so ties a report leaves unordered compare equal."""
    return sorted(rows, key=repr)


def _plain(value):
    """None for a missing value (NaN and NaT never equal themselves), else the value."""
    try:
        return None if pd.isna(value) is True else value
    except (TypeError, ValueError):
        return value


def report_rows(warehouse: str, without: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """Every report's rows on a warehouse, read through a read-only connection; NaN as None
    (NaN never equals NaN), the columns `without` left out."""
    con = connect(warehouse, read_only=True)
    try:
        frames = {name: run_report(con, name) for name in list_reports()}
    finally:
        con.close()
    return {name: comparable([tuple(_plain(v) for v in row) for row in
                              frame.drop(columns=[c for c in without if c in frame.columns])
                              .itertuples(index=False, name=None)])
            for name, frame in frames.items()}


# ---------------------------------------------------------------- pure parts


def test_adapt_ddl_drops_keys_ducklake_rejects_and_keeps_not_null():
    ddl = ("create table if not exists t (\n    id varchar primary key, -- the primary key\n"
           "    code varchar unique,\n    n integer not null default 1,\n"
           "    primary key (id, n)\n);\ncreate unique index t_code on t (code);\n")
    adapted = adapt_ddl(ddl)
    assert "primary" not in adapted.lower() and "unique" not in adapted.lower()
    assert "index" not in adapted.lower()
    assert "id varchar not null," in adapted
    assert "n integer not null default 1" in adapted
    con = duckdb.connect()
    con.execute(adapted)
    assert con.execute("select count(*) from t").fetchone() == (0,)


def test_every_schema_file_adapts_to_create_if_not_exists_without_keys():
    for path in sorted((SQL_DIR / "schema").glob("*.sql")) or pytest.fail("no schema files"):
        adapted = adapt_ddl(path.read_text(encoding="utf-8"))
        assert "create table if not exists" in adapted
        assert "primary key" not in adapted.lower(), path.name


def test_ducklake_uri_needs_a_catalog_kind_and_location():
    assert parse_ducklake("ducklake:postgres:dbname=a host=127.0.0.1").kind == "postgres"
    assert Path(parse_ducklake("ducklake:sqlite:rel/cat.sqlite").location).is_absolute()
    for bad in ("ducklake:mysql:x", "ducklake:sqlite:", "ducklake:postgres"):
        with pytest.raises(ValueError):
            parse_ducklake(bad)


def test_warehouse_setting_keeps_ducklake_uris_and_resolves_files(tmp_path):
    uri = "ducklake:postgres:dbname=axnews host=127.0.0.1 port=5432"
    assert warehouse_setting(uri) == uri
    assert warehouse_setting("data/w.duckdb") == Path("data/w.duckdb").resolve()
    assert not warehouse_exists(f"ducklake:sqlite:{tmp_path / 'none.sqlite'}")
    assert not warehouse_exists(tmp_path / "none.duckdb")
    with pytest.raises(ValueError):
        warehouse_setting("ducklake:duckdb:x")


def test_extension_files_carry_the_names_duckdb_loads_them_by():
    assert extension_file("postgres").name == "postgres_scanner.duckdb_extension"
    assert extension_file("sqlite").name == "sqlite_scanner.duckdb_extension"
    assert extension_file("ducklake").stat().st_size > 0


def test_conflict_hidden_behind_a_failed_rollback_is_still_a_conflict():
    try:
        try:
            raise duckdb.TransactionException("Transaction conflict - attempting to insert")
        except duckdb.Error:
            raise duckdb.TransactionException("cannot rollback - no transaction is active")
    except duckdb.Error as exc:
        assert is_conflict(exc)
    assert not is_conflict(duckdb.CatalogException("Table with name nope does not exist"))
    assert not is_conflict(duckdb.ConstraintException(
        'Duplicate key "page_id: p1" violates primary key constraint'))
    assert not is_conflict(duckdb.IOException('Could not set lock on file "w.duckdb": '
                                              "Conflicting lock is held"))


def test_retry_on_conflict_reruns_until_the_transaction_wins_and_not_other_errors():
    calls = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise duckdb.TransactionException("Transaction conflict - another transaction")
        return "done"

    assert retry_on_conflict(flaky) == "done" and len(calls) == 3
    with pytest.raises(duckdb.CatalogException):
        retry_on_conflict(lambda: (_ for _ in ()).throw(duckdb.CatalogException("missing")))


# ---------------------------------------------------------------- both backends


def test_schema_applies_twice_and_loads_behave_the_same(warehouse):
    connect(warehouse).close()
    con = connect(warehouse)  # second time: create-if-not-exists over existing tables
    try:
        if warehouse.startswith("ducklake:"):
            apply_ducklake_schema(con)
        else:
            apply_schema(con)
        counts = table_counts(con)
        assert set(counts) == SCHEMA_TABLES and set(counts.values()) == {0}

        insert_rows(con, "pages", page_rows(0, 5))
        insert_rows(con, "pages", page_rows(1, 3))
        insert_rows(con, "pages", page_rows(1, 0))  # empty: a no-op
        replaced = replace_where(con, "pages", page_rows(0, 2, attempt=2), PAGES_BY_IDS,
                                 [page_rows(0, 5).column("page_id").to_pylist()])
        assert replaced == 2
        assert table_counts(con)["pages"] == 5
        assert con.execute(
            "select source, count(*), max(attempts) from pages group by 1 order by 1"
        ).fetchall() == [("outlet0", 2, 2), ("outlet1", 3, 1)]
        with pytest.raises(duckdb.Error):  # all or nothing: a failing insert keeps the old rows
            replace_where(con, "pages", pa.table({"page_id": ["x"], "nope": [1]}), "true")
        assert table_counts(con)["pages"] == 5
    finally:
        con.close()


def test_read_only_connection_reads_but_refuses_writes(warehouse):
    con = connect(warehouse)
    insert_rows(con, "pages", page_rows(0, 3))
    con.close()
    reader = connect(warehouse, read_only=True)
    try:
        assert table_counts(reader)["pages"] == 3
        with pytest.raises(duckdb.Error, match="read-only"):
            reader.execute("delete from pages")
    finally:
        reader.close()


def test_pending_rows_come_a_page_at_a_time_each_from_a_fresh_query(warehouse):
    from pipeline.warehouse.sqlfiles import pending_rows

    con = connect(warehouse)
    try:
        insert_rows(con, "pages", page_rows(0, 5))
        con.execute("update pages set html_key = page_id")
        n, pages = pending_rows(con, "pages_to_process", "pages_to_process_rows", page_size=2)
        assert n == 5
        first = next(pages)
        assert [r[0] for r in first] == ["d0-00000", "d0-00001"]
        # a write between pages is seen by the next page: no snapshot held from the first query
        con.execute("delete from pages where page_id = 'd0-00003'")
        assert [[r[0] for r in page] for page in pages] == [["d0-00002"], ["d0-00004"]]
    finally:
        con.close()


@pytest.fixture(scope="module")
def file_reports(tmp_path_factory) -> dict[str, list[tuple]]:
    """The reports' rows on a DuckDB file holding the small warehouse: the reference."""
    path = tmp_path_factory.mktemp("reference") / "warehouse.duckdb"
    con = connect(path)
    fill_small_warehouse(con)
    con.close()
    return report_rows(str(path))


def test_every_report_runs_and_gives_the_same_rows_on_each_backend(warehouse, file_reports):
    empty = [name for name, rows in file_reports.items() if not rows]
    assert not empty, f"the small warehouse should feed every report: {empty}"
    con = connect(warehouse)
    fill_small_warehouse(con)
    con.close()
    assert report_rows(warehouse) == file_reports


def test_sqlite_catalog_keeps_parquet_files_beside_it_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv(DATA_PATH_ENV, raising=False)
    catalog = tmp_path / "cat.sqlite"
    con = connect(f"ducklake:sqlite:{catalog}")
    insert_rows(con, "pages", page_rows(0, 50))  # more rows than DuckLake would inline
    con.close()
    assert list((tmp_path / "cat.sqlite.files").rglob("*.parquet"))


def test_shell_sql_opens_the_warehouse_read_only_in_a_fresh_duckdb(tmp_path):
    warehouse = f"ducklake:sqlite:{tmp_path / 'cat.sqlite'}"
    con = connect(warehouse)
    insert_rows(con, "pages", page_rows(0, 3))
    con.close()
    shell = duckdb.connect()
    for statement in shell_sql(warehouse).split(";\n"):
        if statement.strip():
            shell.execute(statement)
    assert shell.execute("select count(*) from pages").fetchone() == (3,)


# ---------------------------------------------------------------- several writer processes


def write_day(warehouse: str, day: int, barriers: dict, results) -> None:
    """One writer process: replace its day's pages ROUNDS times on one connection.

    It first tries to connect without waiting (refused while another process holds a DuckDB
    file), then, if refused, connects waiting for the lock as the pipeline does.
    """
    outcome = {"day": day, "error": None, "refused": None, "tries": 0}
    try:
        barriers["ready"].wait(timeout=60)  # the parent holds its connection open by now
        try:
            con = connect(warehouse, wait_seconds=0)
        except duckdb.IOException as exc:
            outcome["refused"], con = str(exc), None
        barriers["probed"].wait(timeout=60)
        outcome["waiting_since"] = time.time()
        con = con or connect(warehouse, wait_seconds=60)
        outcome["opened"] = time.time()
        if "connected" in barriers:
            barriers["connected"].wait(timeout=60)  # all connected before anyone writes
        for attempt in range(1, ROUNDS + 1):
            rows = page_rows(day, ROWS_PER_DAY, attempt)
            ids = rows.column("page_id").to_pylist()

            def replace_once(rows: pa.Table = rows, ids: list[str] = ids) -> int:
                outcome["tries"] += 1
                return replace_where(con, "pages", rows, PAGES_BY_IDS, [ids])

            retry_on_conflict(replace_once, wait_seconds=60)
        con.close()
        outcome["closed"] = time.time()
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which asserts on it
        outcome["error"] = f"{type(exc).__name__}: {exc}"
    results.put(outcome)


def run_writers(warehouse: str, holder: duckdb.DuckDBPyConnection, hold_seconds: float,
                together: bool) -> list[dict]:
    """Run WRITERS spawned writer processes, one day each, while `holder` (a read-write
    connection of this process, like an analyst's shell) stays open until every writer has
    tried to connect once, plus `hold_seconds`. `together`: writers start writing only when all
    are connected. Returns their outcomes by day."""
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    barriers = {"ready": ctx.Barrier(WRITERS + 1), "probed": ctx.Barrier(WRITERS + 1)}
    if together:
        barriers["connected"] = ctx.Barrier(WRITERS)
    procs = [ctx.Process(target=write_day, args=(warehouse, day, barriers, results))
             for day in range(WRITERS)]
    for proc in procs:
        proc.start()
    try:
        barriers["ready"].wait(timeout=120)
        barriers["probed"].wait(timeout=60)
        time.sleep(hold_seconds)
    finally:
        holder.close()
    outcomes = [results.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(timeout=30)
    return sorted(outcomes, key=lambda o: o["day"])


def assert_union_of_days(warehouse: str) -> None:
    """The pages table holds every writer's last round exactly once."""
    con = connect(warehouse, read_only=True)
    try:
        assert con.execute(
            "select count(*), count(distinct page_id), min(attempts), max(attempts) from pages"
        ).fetchone() == (WRITERS * ROWS_PER_DAY, WRITERS * ROWS_PER_DAY, ROUNDS, ROUNDS)
        assert con.execute("select count(distinct source) from pages").fetchone() == (WRITERS,)
    finally:
        con.close()


def test_three_writer_processes_share_a_ducklake_postgres_warehouse(postgres, tmp_path,
                                                                     monkeypatch):
    monkeypatch.setenv(DATA_PATH_ENV, str(tmp_path / "lake"))
    warehouse = new_warehouse("ducklake-postgres", tmp_path, postgres)
    outcomes = run_writers(warehouse, connect(warehouse), hold_seconds=0, together=True)
    assert [(o["error"], o["refused"]) for o in outcomes] == [(None, None)] * WRITERS
    # all three held connections at the same time, beside our open one: nobody waited
    assert max(o["opened"] for o in outcomes) < min(o["closed"] for o in outcomes)
    assert_union_of_days(warehouse)


def test_duckdb_file_refuses_concurrent_writers_and_connect_waits_them_in_turn(tmp_path):
    warehouse = str(tmp_path / "warehouse.duckdb")
    held = 0.5
    outcomes = run_writers(warehouse, connect(warehouse), hold_seconds=held, together=False)
    assert all(any(m in (o["refused"] or "") for m in LOCK_MARKERS) for o in outcomes), outcomes
    assert [o["error"] for o in outcomes] == [None] * WRITERS
    assert all(o["opened"] - o["waiting_since"] >= held * 0.8 for o in outcomes)
    turns = sorted(outcomes, key=lambda o: o["opened"])
    for before, after in itertools.pairwise(turns):
        assert after["opened"] >= before["closed"], "file writers must not overlap"
    assert_union_of_days(warehouse)


# ---------------------------------------------------------------- the whole demo


SEARCH_QUERIES = ("반도체", "인공지능 실증", "테크노파크 협약")
RUN_TIME_COLUMNS = ("last_fetch",)  # when the run read its pages: differs between two runs


def warehouse_outputs(warehouse: str) -> dict:
    """What a user sees of a warehouse: every report, row counts, search hits (as sets: the file
    ranks by BM25, DuckLake by plain term counts)."""
    from pipeline.search import search

    con = connect(warehouse, read_only=True)
    try:
        counts = table_counts(con)
        hits = {q: sorted(h.article_id for h in search(con, q, limit=1000))
                for q in SEARCH_QUERIES}
    finally:
        con.close()
    counts.pop("axnews_state.stage_state", None)  # the file also records its fts index's fingerprint
    return {"reports": report_rows(warehouse, without=RUN_TIME_COLUMNS), "counts": counts,
            "hits": hits}


@pytest.fixture(scope="module")
def demo_file_outputs(demo_run) -> dict:
    """The demo on a DuckDB file (the session's demo run): the reference."""
    return warehouse_outputs(str(demo_run.warehouse))


@pytest.mark.parametrize("backend", ["ducklake-sqlite", "ducklake-postgres"])
def test_axnews_run_builds_the_whole_demo_on_ducklake_as_on_a_file(
        backend, request, tmp_path, monkeypatch, demo_file_outputs):
    from pipeline.cli import main

    monkeypatch.setenv(DATA_PATH_ENV, str(tmp_path / "lake"))
    monkeypatch.setenv("AXNEWS_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setenv("AXNEWS_REPORTS_DIR", str(tmp_path / "reports"))
    conninfo = request.getfixturevalue("postgres") if "postgres" in backend else None
    warehouse = new_warehouse(backend, tmp_path, conninfo)
    assert main(["run", "--warehouse", warehouse, "--workers", "1", "--quiet"]) == 0
    outputs = warehouse_outputs(warehouse)
    assert outputs["counts"]["articles"] > 40 and all(outputs["hits"].values())
    con = connect(warehouse, read_only=True)
    try:
        assert_keys_unique(con)  # DuckLake enforces no primary key: the loads must
    finally:
        con.close()
    differ = [name for name, rows in demo_file_outputs["reports"].items()
              if outputs["reports"][name] != rows]
    assert not differ, differ
    assert outputs == demo_file_outputs
    assert (tmp_path / "reports" / "axnews-report.html").stat().st_size > 10_000
    assert {p.stem for p in (tmp_path / "reports").glob("*.csv")} == set(list_reports())
    # a second run changes nothing
    assert main(["run", "--warehouse", warehouse, "--workers", "1", "--quiet"]) == 0
    assert warehouse_outputs(warehouse) == demo_file_outputs
