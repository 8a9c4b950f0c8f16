"""Full-text search: Kiwi morphemes in BM25 postings tables over small tmp_path warehouses."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pytest

from pipeline.search import (
    SearchHit,
    add_search_parser,
    build_search_index,
    morphemes,
    search,
)
from pipeline.warehouse import connect, insert_rows

ARTICLES = [
    # article_id, source, published_at, language, title, text
    ("a-chip-many", "daily", datetime(2025, 3, 1, 9, tzinfo=UTC), "ko",
     "경북 반도체 클러스터 본격 가동",
     ("경상북도는 반도체의 설계부터 생산까지 잇는 반도체 클러스터를 가동한다. "
      "지역 반도체 기업 스무 곳이 입주하며 반도체를 시험할 장비도 갖춘다.")),
    ("a-chip-once", "wire", datetime(2025, 1, 10, 9, tzinfo=UTC), "ko",
     "대구, 로봇 실증센터 착공",
     ("대구시는 로봇 실증센터를 착공했다. 센터는 로봇 부품 기업과 반도체를 다루는 "
      "기업의 실증을 돕고 지역 제조 현장의 인공지능 전환을 지원한다.")),
    ("a-datacenter", "daily", datetime(2024, 11, 5, 9, tzinfo=UTC), "ko",
     "광주 AI 데이터센터 증설",
     "광주광역시는 AI 데이터센터를 증설해 지역 기업에 GPU 자원을 제공한다."),
    ("a-english", "herald", datetime(2025, 2, 20, 9, tzinfo=UTC), "en",
     "Gyeongbuk bets on a semiconductor cluster",
     ("North Gyeongsang Province said the semiconductor cluster will host twenty firms "
      "and an AI testbed for local manufacturers.")),
    ("a-farm", "wire", None, "ko",
     "전남 스마트팜 확산",
     "전라남도는 스마트팜 보급을 늘리고 농가에 센서와 자동화 설비를 지원한다."),
    ("a-samsung", "wire", datetime(2025, 2, 1, 9, tzinfo=UTC), "ko",
     "삼성전자, 지역 협력사와 AI 공정 도입",
     "삼성전자는 지역 협력사와 함께 반도체 공정에 AI를 도입한다고 밝혔다."),
]
SOURCES = [("daily", "Regional Daily"), ("wire", "연합와이어"), ("herald", "Korea Herald")]
MENTIONS = [
    # article_id, entity_id, label, surface, canonical
    ("a-chip-many", "LOCATION:경상북도", "LOCATION", "경상북도", "경상북도"),
    ("a-samsung", "ORG:삼성전자", "ORG", "삼성전자", "삼성전자"),
    ("a-chip-once", "LOCATION:대구광역시", "LOCATION", "대구시", "대구광역시"),
]
ALIASES = [("ORG:삼성전자", "Samsung Electronics")]


def _articles_table(rows) -> pa.Table:
    return pa.table({
        "article_id": [r[0] for r in rows],
        "page_id": [f"p-{r[0]}" for r in rows],
        "source": [r[1] for r in rows],
        "url": [f"https://example.org/{r[0]}" for r in rows],
        "title": [r[4] for r in rows],
        "text": [r[5] for r in rows],
        "language": [r[3] for r in rows],
        "published_at": pa.array([r[2] for r in rows], pa.timestamp("us", tz="UTC")),
    })


def _make_warehouse(path: Path, articles=ARTICLES):
    """A warehouse with the schema, a few articles, sources, mentions and aliases."""
    con = connect(path)
    insert_rows(con, "articles", _articles_table(articles))
    insert_rows(con, "sources", pa.table({
        "name": [n for n, _ in SOURCES], "kind": ["html_dir"] * len(SOURCES),
        "location": ["pages"] * len(SOURCES), "outlet": [o for _, o in SOURCES],
        "loaded_at": pa.array([datetime.now(UTC)] * len(SOURCES),
                              pa.timestamp("us", tz="UTC")),
    }))
    insert_rows(con, "mentions", pa.table({
        "article_id": [m[0] for m in MENTIONS], "entity_id": [m[1] for m in MENTIONS],
        "label": [m[2] for m in MENTIONS], "start_char": [0] * len(MENTIONS),
        "end_char": [len(m[3]) for m in MENTIONS], "surface": [m[3] for m in MENTIONS],
        "canonical": [m[4] for m in MENTIONS],
    }))
    insert_rows(con, "entity_aliases", pa.table({
        "entity_id": [a[0] for a in ALIASES], "alias": [a[1] for a in ALIASES]}))
    return con


@pytest.fixture()
def indexed(tmp_path):
    """An open warehouse connection with the search index built."""
    con = _make_warehouse(tmp_path / "warehouse.duckdb")
    build_search_index(con)
    yield con
    con.close()


def _ids(hits: list[SearchHit]) -> list[str]:
    return [h.article_id for h in hits]


def test_particles_reduce_to_the_noun():
    assert morphemes("반도체의 반도체를") == "반도체 반도체"


def test_english_words_are_lower_cased_without_stopwords():
    assert morphemes("The AI Semiconductor") == "ai semiconductor"


def test_noun_finds_articles_whatever_its_particle(indexed):
    ids = _ids(search(indexed, "반도체"))
    assert "a-chip-many" in ids  # 반도체의, 반도체를
    assert "a-chip-once" in ids  # only 반도체를
    assert "a-datacenter" not in ids and "a-farm" not in ids


def test_query_with_particle_matches_like_bare_noun(indexed):
    assert _ids(search(indexed, "반도체를")) == _ids(search(indexed, "반도체"))


def test_article_with_more_occurrences_ranks_first(indexed):
    hits = search(indexed, "반도체")
    assert hits[0].article_id == "a-chip-many"
    assert hits[0].score > hits[-1].score


def test_hit_carries_outlet_source_title_and_date(indexed):
    hit = search(indexed, "스마트팜")[0]
    assert (hit.article_id, hit.source, hit.outlet) == ("a-farm", "wire", "연합와이어")
    assert hit.title == "전남 스마트팜 확산" and hit.published_at is None
    dated = search(indexed, "데이터센터")[0]
    assert dated.published_at.date() == date(2024, 11, 5)


def test_since_drops_older_and_undated_articles(indexed):
    ids = _ids(search(indexed, "반도체", since=date(2025, 2, 1)))
    assert "a-chip-many" in ids and "a-samsung" in ids
    assert "a-chip-once" not in ids  # 2025-01-10
    assert search(indexed, "스마트팜", since=date(2000, 1, 1)) == []  # no date


def test_source_filter_accepts_name_or_outlet(indexed):
    by_name = _ids(search(indexed, "반도체", source="wire"))
    by_outlet = _ids(search(indexed, "반도체", source="연합와이어"))
    assert set(by_name) == {"a-chip-once", "a-samsung"}
    assert by_outlet == by_name
    assert _ids(search(indexed, "semiconductor", source="korea herald")) == ["a-english"]


def test_entity_filter_accepts_canonical_surface_and_alias(indexed):
    assert _ids(search(indexed, "반도체", entity="대구광역시")) == ["a-chip-once"]
    assert _ids(search(indexed, "반도체", entity="대구시")) == ["a-chip-once"]
    assert _ids(search(indexed, "반도체", entity="Samsung Electronics")) == ["a-samsung"]
    assert search(indexed, "반도체", entity="없는기관") == []


def test_snippet_marks_matched_word_before_its_particle(indexed):
    hit = next(h for h in search(indexed, "반도체") if h.article_id == "a-chip-once")
    assert "«반도체»를" in hit.snippet
    assert len(hit.snippet) <= 180


def test_snippet_of_long_text_is_a_window_around_the_match(tmp_path):
    filler = "지역 산업 정책을 설명하는 긴 문장이다. " * 30
    article = ("a-long", "daily", None, "ko", "긴 기사", filler + "여기서 양자컴퓨터를 처음 다룬다. " + filler)
    con = _make_warehouse(tmp_path / "w.duckdb", [article])
    build_search_index(con)
    snippet = search(con, "양자컴퓨터")[0].snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "«양자컴퓨터»를" in snippet  # Kiwi splits it in two; the marks merge
    assert len(snippet.replace("«", "").replace("»", "")) <= 162


def test_english_query_matches_case_insensitively(indexed):
    hits = search(indexed, "Semiconductor CLUSTER")
    assert hits[0].article_id == "a-english"
    assert "«semiconductor»" in hits[0].snippet
    assert {"a-datacenter", "a-english", "a-samsung"} <= set(_ids(search(indexed, "ai")))


def test_rebuilding_twice_gives_the_same_results(tmp_path):
    con = _make_warehouse(tmp_path / "w.duckdb")
    assert build_search_index(con) == len(ARTICLES)
    first = search(con, "반도체 AI")
    assert build_search_index(con) == len(ARTICLES)
    assert search(con, "반도체 AI") == first
    assert con.execute("select count(*) from article_search").fetchone()[0] == len(ARTICLES)


def test_unchanged_rows_touch_no_postings_and_rows_added_elsewhere_are_indexed(indexed, monkeypatch):
    """The enrichment stage writes search rows itself: the postings follow the rows, not the call."""
    import pipeline.search as search_module
    import pipeline.warehouse.search_index as index_module
    from pipeline.warehouse import rows as R

    ran: list[str] = []
    real = index_module.search_sql
    monkeypatch.setattr(index_module, "search_sql", lambda name: ran.append(name) or real(name))
    build_search_index(indexed)
    assert "add_new_articles" not in ran and "remove_gone_articles" not in ran  # nothing changed
    title, text = "양자 센서", "양자컴퓨터 연구소가 문을 연다."
    insert_rows(indexed, "articles", _articles_table([("a-quantum", "daily", None, "ko", title, text)]))
    kiwi = search_module._kiwi()
    row = search_module.search_row("a-quantum", title, text, kiwi.tokenize(title), kiwi.tokenize(text))
    insert_rows(indexed, "article_search", R.to_table([row], R.SEARCH))  # as enrichment does
    ran.clear()
    assert build_search_index(indexed) == len(ARTICLES) + 1
    assert "add_new_articles" in ran and "remove_gone_articles" not in ran
    assert _ids(search(indexed, "양자컴퓨터")) == ["a-quantum"]


def test_rebuild_picks_up_new_articles(indexed):
    new = ("a-quantum", "daily", None, "ko", "양자 센서", "양자컴퓨터 연구소가 문을 연다.")
    insert_rows(indexed, "articles", _articles_table([new]))
    assert search(indexed, "양자컴퓨터") == []
    assert build_search_index(indexed) == len(ARTICLES) + 1
    assert _ids(search(indexed, "양자컴퓨터")) == ["a-quantum"]


def test_rebuild_tokenizes_only_new_or_changed_articles(indexed, monkeypatch):
    import pipeline.search as search_module

    tokenized: list[str] = []
    real = search_module.morphemes_many
    monkeypatch.setattr(search_module, "morphemes_many",
                        lambda texts: tokenized.extend(texts) or real(texts))
    assert build_search_index(indexed) == len(ARTICLES)
    assert tokenized == []
    indexed.execute("update articles set text = '스마트팜 대신 수직농장을 짓는다.' "
                    "where article_id = 'a-farm'")
    indexed.execute("delete from articles where article_id = 'a-datacenter'")
    assert build_search_index(indexed) == len(ARTICLES) - 1
    assert len(tokenized) == 1 and "수직농장" in tokenized[0]
    assert _ids(search(indexed, "수직농장")) == ["a-farm"]
    assert search(indexed, "GPU") == []  # only the deleted article said GPU
    assert build_search_index(indexed, full=True) == len(ARTICLES) - 1
    assert len(tokenized) == 1 + len(ARTICLES) - 1


def test_empty_or_unmatched_query_returns_nothing(indexed):
    assert search(indexed, "") == []
    assert search(indexed, "   ") == []
    assert search(indexed, "the of") == []
    assert search(indexed, "블록체인") == []


def test_limit_caps_the_hits(indexed):
    assert len(search(indexed, "반도체", limit=2)) == 2


def test_search_text_is_queryable_from_plain_sql(indexed):
    plain = indexed.execute(
        "select article_id from article_search "
        "where list_contains(string_split(search_text, ' '), '반도체') order by 1").fetchall()
    assert [r[0] for r in plain] == ["a-chip-many", "a-chip-once", "a-samsung"]


def test_sql_macros_in_the_file_give_the_commands_results(tmp_path):
    """Any DuckDB shell on the warehouse file can search: the macros are stored in it."""
    import duckdb

    path = tmp_path / "w.duckdb"
    con = _make_warehouse(path)
    build_search_index(con)
    expected = search(con, "반도체 AI", source="wire")
    con.close()
    shell = duckdb.connect(str(path), read_only=True)  # no pipeline code on this connection
    rows = shell.execute("select article_id, score from search_articles('반도체 ai', "
                         "source := 'wire')").fetchall()
    # every query word must be in the article: a-chip-once says 인공지능, not AI
    assert rows == [(h.article_id, h.score) for h in expected] and rows[0][0] == "a-samsung"
    assert len(rows) == 1
    ranked = shell.execute("select article_id from search_bm25('반도체') "
                           "order by score desc, article_id").fetchall()
    assert ranked[0][0] == "a-chip-many" and len(ranked) == 3
    assert shell.execute("select count(*) from search_bm25('반도체 클라우드')").fetchone()[0] == 0
    assert shell.execute("select count(*) from search_articles('반도체', max_hits := 1)"
                         ).fetchone()[0] == 1
    shell.close()


def test_missing_index_is_reported_by_the_command(tmp_path, capsys):
    import argparse

    _make_warehouse(tmp_path / "w.duckdb").close()
    parser = argparse.ArgumentParser()
    add_search_parser(parser.add_subparsers())
    args = parser.parse_args(["search", "반도체", "--warehouse", str(tmp_path / "w.duckdb")])
    assert args.func(args) == 2
    assert "no search index" in capsys.readouterr().err


def test_command_prints_json_lines_read_only(tmp_path, capsys):
    import argparse

    con = _make_warehouse(tmp_path / "w.duckdb")
    build_search_index(con)
    con.close()
    parser = argparse.ArgumentParser()
    add_search_parser(parser.add_subparsers())
    args = parser.parse_args(["search", "반도체", "--since", "2025-02-01", "--source", "wire",
                              "--format", "json", "--warehouse", str(tmp_path / "w.duckdb")])
    assert args.func(args) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["rank"], r["article_id"]) for r in records] == [(1, "a-samsung")]
    assert records[0]["outlet"] == "연합와이어" and "«반도체»" in records[0]["snippet"]


def test_command_prints_a_table(tmp_path, capsys):
    import argparse

    con = _make_warehouse(tmp_path / "w.duckdb")
    build_search_index(con)
    con.close()
    parser = argparse.ArgumentParser()
    add_search_parser(parser.add_subparsers())
    args = parser.parse_args(["search", "데이터센터", "--warehouse", str(tmp_path / "w.duckdb")])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "2024-11-05" in out and "Regional Daily" in out and "«데이터센터»" in out


def test_search_command_and_options_have_help():
    import argparse

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    add_search_parser(sub)
    search_parser = sub.choices["search"]
    assert search_parser.description
    assert all(action.help for action in search_parser._actions)


def test_numbers_and_dotted_words_stay_searchable(tmp_path):
    article = ("a-plan", "daily", None, "ko", "2030 계획", "정부는 2030년까지 5G 특화망에 3.5조 원을 쓴다.")
    con = _make_warehouse(tmp_path / "w.duckdb", ARTICLES + [article])
    build_search_index(con)
    assert _ids(search(con, "2030년")) == ["a-plan"]
    assert _ids(search(con, "3.5조")) == ["a-plan"]
    assert "«2030»년" in search(con, "2030")[0].snippet


def test_ducklake_warehouse_indexes_and_ranks_like_the_file(tmp_path, indexed):
    """One engine on both backends: the same articles give the same hits and the same scores."""
    lake = _make_warehouse(f"ducklake:sqlite:{tmp_path / 'lake.sqlite'}")
    assert build_search_index(lake) == len(ARTICLES)
    for query in ("반도체", "로봇 실증", "semiconductor cluster", "AI 데이터센터", "반도체 AI"):
        from_lake, from_file = search(lake, query), search(indexed, query)
        assert from_lake and from_lake == from_file, query
    assert "«반도체" in search(lake, "반도체")[0].snippet
    lake.close()


# ---------------------------------------------------------------- incremental = full rebuild

BACKENDS = ["duckdb-file", "ducklake-sqlite", "ducklake-postgres"]
WORDS = ["반도체", "클러스터", "인공지능", "데이터센터", "로봇", "실증", "스마트팜", "양자컴퓨터",
         "수소", "배터리", "자율주행", "클라우드", "지원", "예산", "협약", "기업", "지역", "센서",
         "semiconductor", "cluster", "robot", "battery", "cloud", "startup"]
PARTICLES = ["의", "를", "을", "는", "은", "에", "와", "과", "도", ""]


@pytest.fixture(scope="module")
def postgres():
    """A private PostgreSQL cluster for this module (tests/pg.py); fails in CI when missing."""
    import os

    from tests.pg import postgres_bin_dir, running_postgres

    if postgres_bin_dir() is None and not os.environ.get("CI"):
        pytest.skip("PostgreSQL not installed: run scripts/install-postgres.sh")
    with running_postgres() as conninfo:
        yield conninfo


def _warehouse_of(backend: str, root: Path, name: str, request) -> str | Path:
    import uuid

    if backend == "duckdb-file":
        return root / f"{name}.duckdb"
    if backend == "ducklake-sqlite":
        return f"ducklake:sqlite:{root / name}.sqlite"
    from tests.pg import create_database

    conninfo = create_database(request.getfixturevalue("postgres"), f"s_{uuid.uuid4().hex[:10]}")
    return f"ducklake:postgres:{conninfo}"


def _generated(rng, n: int, prefix: str) -> list[tuple]:
    """n articles of random words with particles: many shared terms, lengths from 0 to ~60."""
    out = []
    for i in range(n):
        words = [rng.choice(WORDS) + rng.choice(PARTICLES) for _ in range(rng.randint(0, 60))]
        out.append((f"{prefix}{i:03d}", rng.choice(["daily", "wire"]), None, "ko",
                    " ".join(rng.sample(WORDS, 2)), " ".join(words) + "."))
    return out


def _index_state(con) -> dict[str, set]:
    return {t: set(con.execute(f"select * from {t}").fetchall())
            for t in ("axnews_state.search_docs", "axnews_state.search_terms",
                      "axnews_state.search_postings")}


def _rankings(con) -> dict[str, list]:
    """Pairs of words covering every word: (article_id, score) in rank order, all hits."""
    queries = [f"{a} {b}" for a, b in zip(WORDS, WORDS[3:] + WORDS[:3])]
    return {q: [(h.article_id, h.score) for h in search(con, q, limit=1000)] for q in queries}


@pytest.mark.parametrize("backend", BACKENDS)
def test_increments_give_the_index_and_ranking_of_a_full_rebuild(backend, tmp_path, request,
                                                                 monkeypatch):
    """Additions, in-place changes (title or text) and deletions, over three increments, postings
    added 7 articles at a time; a term's last article deleted; an article emptied. Then the same
    articles indexed in one go."""
    import random

    import pipeline.warehouse.search_index as search_module
    from pipeline.warehouse.backends import DATA_PATH_ENV

    monkeypatch.setenv(DATA_PATH_ENV, str(tmp_path / "lake"))
    monkeypatch.setattr(search_module, "POSTINGS_CHUNK", 7)
    rng = random.Random(19)
    con = _make_warehouse(_warehouse_of(backend, tmp_path, "incremental", request),
                          _generated(rng, 30, "a"))
    build_search_index(con)
    insert_rows(con, "articles", _articles_table(_generated(rng, 10, "b")))
    con.execute("delete from articles where article_id in ('a000', 'a001', 'a002', 'a003')")
    con.execute("update articles set text = '스마트팜 스마트팜 센서를 단다.' where article_id = 'a004'")
    con.execute("update articles set title = '전혀 다른 제목' where article_id = 'a005'")
    build_search_index(con)
    rare = ("c-rare", "daily", None, "ko", "희귀", "초전도체 연구가 시작됐다.")
    insert_rows(con, "articles", _articles_table([rare] + _generated(rng, 5, "c")))
    build_search_index(con)
    assert _ids(search(con, "초전도체")) == ["c-rare"]
    con.execute("delete from articles where article_id in ('c-rare', 'b000', 'b001')")
    con.execute("update articles set text = '' where article_id = 'a006'")
    con.execute("update articles set text = '배터리 배터리 배터리 클라우드.' where article_id = 'b002'")
    assert build_search_index(con) == 30 - 4 + 10 + 5 - 2
    incremental, ranked = _index_state(con), _rankings(con)
    assert search(con, "초전도체") == []
    assert ("초전도체",) not in {(t,) for t, _ in incremental["axnews_state.search_terms"]}

    final = con.execute("select article_id, source, published_at, language, title, text "
                        "from articles order by article_id").fetchall()
    fresh = _make_warehouse(_warehouse_of(backend, tmp_path, "full", request), final)
    monkeypatch.setattr(search_module, "POSTINGS_CHUNK", 10_000)
    build_search_index(fresh)
    assert _index_state(fresh) == incremental
    assert _rankings(fresh) == ranked
    assert sum(len(v) for v in ranked.values()) > 100
    build_search_index(con, full=True)  # the same warehouse rebuilt from scratch
    assert _index_state(con) == incremental and _rankings(con) == ranked
    con.close()
    fresh.close()
