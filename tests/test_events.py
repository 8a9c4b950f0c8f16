"""Policy events: roles from voice and particles, dates, table rows and the SQL checks."""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest

from pipeline.stages.events import Event, event_rows, extract_events, resolve_date

ROOT = Path(__file__).resolve().parents[1]
SQL = ROOT / "sql"
KST = timezone(timedelta(hours=9))
PUBLISHED = datetime(2026, 1, 12, 17, 53, tzinfo=KST)


@pytest.fixture(scope="session")
def extractor():
    """One EntityExtractor (and Kiwi) for the session."""
    from pipeline.stages.enrich import EntityExtractor

    return EntityExtractor()


@pytest.fixture(scope="session")
def events_of(extractor):
    """text -> events, with the real entity mentions."""

    def run(text: str, published: datetime | None = PUBLISHED) -> list[Event]:
        mentions, _ = extractor.extract(text, published)
        return extract_events(text, mentions, published)

    return run


def only(events: list[Event], type_: str) -> Event:
    """The single event of a type."""
    found = [e for e in events if e.type == type_]
    assert len(found) == 1, events
    return found[0]


# ---------------------------------------------------------------- the seed

def test_seed_article_gives_the_designation_with_title_basis_and_date(events_of):
    sys.path.insert(0, str(ROOT / "tests"))
    from eval_events import seed_article

    seed = seed_article()
    if seed is None:
        pytest.skip("seed article absent (../shared/seeds)")
    text, published = seed
    event = only(events_of(text, published), "DESIGNATION")
    assert event.agent == ("과학기술정보통신부",)
    assert event.object == ("경기테크노파크",)
    assert event.title == "지역SW산업진흥기관"
    assert event.basis == "소프트웨어진흥법"
    assert event.date == "2026-01-09"
    assert event.region == "경기도"


# ---------------------------------------------------------------- roles

def test_active_designation_has_subject_as_agent_and_object_with_reul(events_of):
    event = only(events_of("과학기술정보통신부가 충남테크노파크를 지역SW산업진흥기관으로 지정했다."),
                 "DESIGNATION")
    assert event.agent == ("과학기술정보통신부",)
    assert event.object == ("충남테크노파크",)
    assert event.title == "지역SW산업진흥기관"


def test_passive_designation_takes_agent_from_ro_buteo(events_of):
    event = only(events_of("충남테크노파크가 과기부로부터 지역SW산업진흥기관으로 지정됐다."), "DESIGNATION")
    assert event.agent == ("과학기술정보통신부",)
    assert event.object == ("충남테크노파크",)


def test_coordinated_objects_are_all_selected_with_the_programme_title(events_of):
    event = only(events_of("과기부는 광주와 부산을 AI 반도체 실증 거점으로 선정했다."), "SELECTION")
    assert event.agent == ("과학기술정보통신부",)
    assert set(event.object) == {"광주광역시", "부산광역시"}
    assert event.title == "AI 반도체 실증 거점"


def test_reported_speech_source_is_not_the_agent_of_another_subject(events_of):
    text = "중소기업중앙회에 따르면 산업통상자원부가 울산테크노파크를 실증 기관으로 선정했다."
    event = only(events_of(text), "SELECTION")
    assert event.agent == ("산업통상부",)  # the name in force on 2026-01-12 (renames.tsv)
    assert "중소기업중앙회" not in event.agent + event.object


def test_reported_speech_source_is_the_dropped_subject_of_a_quoted_passive(events_of):
    text = "12일 경기테크노파크에 따르면 1월 9일부로 지역SW산업진흥기관으로 지정됐다고 밝혔다."
    event = only(events_of(text), "DESIGNATION")
    assert event.object == ("경기테크노파크",)
    assert event.agent == ()
    assert event.date == "2026-01-09"


def test_organiser_of_a_call_is_the_agent_of_the_selection(events_of):
    text = ("전남테크노파크는 산업통상자원부가 주관하는 ‘에너지 AI 실증 플랫폼 구축사업’ 공모에 "
            "최종 선정돼 국비 150억 원을 확보했다고 28일 밝혔다.")
    events = events_of(text, datetime(2025, 10, 28, 10, tzinfo=KST))
    selection = only(events, "SELECTION")
    assert selection.agent == ("산업통상부",)  # in force from 2025-10-01
    assert selection.object == ("전남테크노파크",)
    assert selection.title == "에너지 AI 실증 플랫폼 구축사업"
    funding = only(events, "FUNDING")
    assert funding.amount == 1.5e10 and funding.currency == "KRW"
    assert funding.object == ("전남테크노파크",)
    assert funding.region == "전라남도"


def test_agreement_lists_the_partners_as_objects(events_of):
    text = "수원시는 29일 경기테크노파크, 아주대와 AI 인재 양성 업무협약을 맺었다."
    event = only(events_of(text, datetime(2026, 10, 29, tzinfo=KST)), "AGREEMENT")
    assert event.agent == ("수원시",)
    assert set(event.object) == {"경기테크노파크", "아주대학교"}
    assert event.date == "2026-10-29"


def test_law_event_names_the_statute_it_modifies(events_of):
    event = only(events_of("22일부터 시행되는 AI 기본법은 사업자에게 새 의무를 지운다.",
                           datetime(2026, 1, 20, tzinfo=KST)), "LAW")
    assert event.object == ("인공지능 발전과 신뢰 기반 조성 등에 관한 기본법",)
    assert event.date == "2026-01-22"


def test_nominal_mention_and_speech_make_no_event(events_of):
    text = "이번 지정은 의미가 크다. 원장은 “과기부가 우리를 지정했다”고 말했다."
    assert events_of(text) == []


def test_funding_without_an_amount_is_no_event(events_of):
    assert [e for e in events_of("경기도는 성남시에 장비를 지원했다.") if e.type == "FUNDING"] == []


def test_empty_text_has_no_events():
    assert extract_events("", [], None) == []


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize(("expression", "first", "last"), [
    ("12일", date(2026, 1, 12), date(2026, 1, 12)),
    ("1월 9일부로", date(2026, 1, 9), date(2026, 1, 9)),
    ("지난해 11월", date(2025, 11, 1), date(2025, 11, 30)),
    ("다음 달", date(2026, 2, 1), date(2026, 2, 28)),
    ("올해 상반기", date(2026, 1, 1), date(2026, 6, 30)),
    ("내년", date(2027, 1, 1), date(2027, 12, 31)),
    ("2024년 6월", date(2024, 6, 1), date(2024, 6, 30)),
])
def test_date_expressions_resolve_against_the_publication_date(expression, first, last):
    assert resolve_date(expression, PUBLISHED) == (first, last)


def test_past_event_day_after_publication_day_is_last_month():
    assert resolve_date("20일", PUBLISHED, past=True) == (date(2025, 12, 20), date(2025, 12, 20))
    assert resolve_date("20일", PUBLISHED, past=False) == (date(2026, 1, 20), date(2026, 1, 20))


def test_past_event_month_after_publication_month_is_last_year():
    assert resolve_date("11월", PUBLISHED, past=True)[0] == date(2025, 11, 1)
    assert resolve_date("11월", PUBLISHED, past=False)[0] == date(2026, 11, 1)


def test_unreadable_or_unanchored_expressions_give_none():
    assert resolve_date("정기국회", PUBLISHED) is None
    assert resolve_date("12일", None) is None


def test_past_tense_predicate_never_dates_the_event_after_publication(events_of):
    event = only(events_of("과기부는 20일 충남테크노파크를 진흥기관으로 지정했다."), "DESIGNATION")
    assert event.date == "2025-12-20"


# ---------------------------------------------------------------- rows and SQL

def _sample() -> list[Event]:
    return [Event("AGREEMENT", 0, 10, "A와 B가 협약을 맺었다.", agent=("A",), object=("B", "C"),
                  date="2026-01-09", agent_ids=("ORG:A",), object_ids=("ORG:B", "ORG:C"))]


def test_event_rows_match_the_tables():
    rows, roles = event_rows("art1", _sample())
    assert rows[0]["event_index"] == 0 and rows[0]["type"] == "AGREEMENT"
    assert [(r["role"], r["name"], r["entity_id"]) for r in roles] == [
        ("agent", "A", "ORG:A"), ("object", "B", "ORG:B"), ("object", "C", "ORG:C")]
    con = _warehouse()
    _load(con, rows, roles)
    assert con.execute("select count(*) from event_roles").fetchone()[0] == 3


def _warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for name in ("articles", "entities", "events", "event_roles"):
        con.execute((SQL / "schema" / f"{name}.sql").read_text(encoding="utf-8"))
    con.execute("insert into articles (article_id, page_id, source, url, title, text, language, "
                "published_at) values ('art1', 'p', 's', 'u', 't', 'x', 'ko', "
                "timestamptz '2026-01-12 17:53:00+09')")
    return con


def _load(con, rows: list[dict], roles: list[dict]) -> None:
    for row in rows:
        con.execute(f"insert into events ({', '.join(row)}) values ({', '.join('?' * len(row))})",
                    list(row.values()))
    for role in roles:
        con.execute(f"insert into event_roles ({', '.join(role)}) values ({', '.join('?' * len(role))})",
                    list(role.values()))


def _check(con, name: str) -> list:
    return con.execute((SQL / "checks" / f"{name}.sql").read_text(encoding="utf-8")).fetchall()


def test_checks_pass_on_good_rows():
    con = _warehouse()
    _load(con, *event_rows("art1", _sample()))
    assert _check(con, "events_have_type_and_object") == []
    assert _check(con, "events_dates_in_bounds") == []


def test_event_without_object_fails_the_check():
    con = _warehouse()
    rows, roles = event_rows("art1", _sample())
    _load(con, rows, [r for r in roles if r["role"] != "object"])
    assert len(_check(con, "events_have_type_and_object")) == 1


def test_event_with_unknown_type_fails_the_check():
    con = _warehouse()
    rows, roles = event_rows("art1", _sample())
    rows[0]["type"] = "RUMOUR"
    _load(con, rows, roles)
    assert len(_check(con, "events_have_type_and_object")) == 1


@pytest.mark.parametrize("bad", ["1999-12-31", "2027-06-01"])
def test_event_dated_out_of_bounds_fails_the_check(bad):
    con = _warehouse()
    rows, roles = event_rows("art1", _sample())
    rows[0]["date"] = bad
    _load(con, rows, roles)
    assert len(_check(con, "events_dates_in_bounds")) == 1


def test_reports_run_and_answer_from_event_rows():
    con = _warehouse()
    funding = Event("FUNDING", 0, 5, "s", agent=("산업통상자원부",), object=("전남테크노파크",),
                    amount=1.5e10, currency="KRW", region="전라남도", date="2025-10-28")
    _load(con, *event_rows("art1", _sample() + [funding]))
    results = {p.stem: con.execute(p.read_text(encoding="utf-8")).fetchall()
               for p in (SQL / "reports").glob("*.sql")
               if p.stem in ("designations_and_selections", "funding_by_ministry",
                             "funding_by_province", "agreement_network")}
    assert results["agreement_network"][0][:3] == ("A", "B", 1)
    assert results["funding_by_ministry"][0][0] == "산업통상자원부"
    assert results["funding_by_province"][0][0] == "전라남도"
    assert results["designations_and_selections"] == []


def test_report_files_start_with_a_title_line():
    for name in ("designations_and_selections", "funding_by_ministry", "funding_by_province",
                 "agreement_network"):
        first = (SQL / "reports" / f"{name}.sql").read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("-- Title: ")


def test_event_dates_stay_within_the_checked_bounds():
    from pipeline.stages.events import bounded_dates

    published = datetime(2025, 1, 24, 8, 8, tzinfo=timezone(timedelta(hours=9)))
    assert bounded_dates("2025-03-01", "2025-03-31", published) == ("2025-03-01", "2025-03-31")
    assert bounded_dates("2026-05-22", "2026-01-31", published.replace(year=2026)) == ("2026-05-22", None)
    assert bounded_dates("2026-01-01", "2026-01-31", published) == (None, None)  # 2 years on
    assert bounded_dates(None, None, published) == (None, None)
    assert bounded_dates("2026-01-10", None, None) == ("2026-01-10", None)


def test_a_national_agencys_seat_is_not_the_region_of_its_events(events_of):
    # The agency sits in 충청북도 but funds projects anywhere: a sentence naming no place gets no
    # region rather than the seat (reports summing funding by province would count it there).
    text = "정보통신산업진흥원은 내년 지역 AI 전환 예산 가운데 80억 원을 공동 과제에 지원할 계획이다."
    funding = only(events_of(text), "FUNDING")
    assert funding.agent == ("정보통신산업진흥원",) and funding.region is None


def test_a_regional_bodys_seat_is_the_region_when_the_text_names_no_place(events_of):
    text = "부산정보산업진흥원은 지역 제조기업 열 곳에 AI 도입 비용 30억 원을 지원한다고 밝혔다."
    funding = only(events_of(text), "FUNDING")
    assert funding.region == "부산광역시"


def test_a_follow_up_sentence_without_parties_lends_its_basis_and_date(events_of):
    # Korean drops a subject both sentences share: the second sentence tells the same designation.
    text = ("대전테크노파크가 중소벤처기업부로부터 스마트제조 혁신센터로 지정됐다. "
            "3월 2일부로 중소기업기본법에 근거해 지정됐다고 밝혔다.")
    events = events_of(text, datetime(2026, 3, 5, 9, tzinfo=KST))
    assert [e.type for e in events] == ["DESIGNATION"]  # one event, not a second without parties
    assert events[0].date == "2026-03-02" and events[0].basis == "중소기업기본법"


def test_an_event_without_parties_lends_nothing_to_another_type(events_of):
    text = ("대전테크노파크는 중소벤처기업부와 업무협약을 체결했다. "
            "3월 2일부로 중소기업기본법에 근거해 지정됐다고 밝혔다.")
    events = events_of(text, datetime(2026, 3, 5, 9, tzinfo=KST))
    assert all(e.basis is None and e.date != "2026-03-02" for e in events)
