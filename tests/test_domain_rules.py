"""Government-release shapes: heads and in-text definitions, glossed TECH, statutes only as LAW,
names in force by date, and events as releases phrase them (sentences written for these tests,
in the style of the releases; people are fictional)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from pipeline.reference import Rename, load_reference
from pipeline.stages.entities.lineage import Lineage
from pipeline.stages.events import extract_events, sentence_spans

KST = timezone(timedelta(hours=9))
BEFORE_2025_REORG = datetime(2024, 5, 2, tzinfo=KST)
AFTER_2025_REORG = datetime(2025, 11, 20, tzinfo=KST)


@pytest.fixture(scope="module")
def extractor():
    from pipeline.stages.enrich import EntityExtractor

    return EntityExtractor()


def spans(extractor, text, published=None, label=None):
    mentions, _ = extractor.extract(text, published)
    return [(m.text, m.label, m.canonical) for m in mentions if label is None or m.label == label]


# ---------------------------------------------------------------- heads and definitions


def test_head_person_and_defined_short_name(extractor):
    text = ("중소벤처기업부(장관 김하늘, 이하 중기부)는 3일 지역 제조기업 지원 계획을 밝혔다. "
            "중기부는 올해 예산을 늘린다.")
    found = spans(extractor, text, BEFORE_2025_REORG)
    assert ("김하늘", "PERSON", "김하늘") in found
    assert found.count(("중기부", "ORG", "중소벤처기업부")) == 2


def test_colon_and_name_first_heads(extractor):
    text = "산업통상자원부(장관: 박바다)와 금융위원회(최구름 부위원장)는 4일 간담회를 열었다."
    people = {s[0] for s in spans(extractor, text, BEFORE_2025_REORG, "PERSON")}
    assert {"박바다", "최구름"} <= people


def test_a_definition_in_the_text_outranks_the_tables(extractor):
    text = "산업통상부(장관 이노을, 이하 '산업부')는 15일 협약을 맺었다. 산업부는 후속 조치를 낸다."
    short = [s for s in spans(extractor, text, AFTER_2025_REORG, "ORG") if s[0] == "산업부"]
    assert short and all(canonical == "산업통상부" for _, _, canonical in short)


def test_an_entity_in_parentheses_is_not_an_alias(extractor):
    text = "나노종합기술원(대전)과 한국나노기술원(수원)의 장비를 늘린다."
    found = spans(extractor, text)
    assert ("대전", "LOCATION", "대전광역시") in found
    assert not any(s[0] == "대전" and s[1] == "ORG" for s in found)


# ---------------------------------------------------------------- TECH


def test_glossed_tech_reads_as_its_loanword(extractor):
    text = "지능형(스마트)공장 보급과 자체가동(온디바이스) 인공지능(AI) 개발을 함께 지원한다."
    tech = spans(extractor, text, label="TECH")
    assert ("지능형(스마트)공장", "TECH", "스마트공장") in tech
    assert ("자체가동(온디바이스) 인공지능(AI)", "TECH", "온디바이스 AI") in tech


def test_kinds_glued_to_a_head_and_bare_fields(extractor):
    tech = spans(extractor, "항만에 하역로봇과 전력반도체 시험장을 만든다. 인공지능(AI) 확산도 돕는다.",
                 label="TECH")
    surfaces = {s[0] for s in tech}
    assert {"하역로봇", "전력반도체"} <= surfaces
    assert not surfaces & {"인공지능", "인공지능(AI)", "AI"}


def test_a_company_named_after_its_field_is_not_a_kind(extractor):
    tech = spans(extractor, "하람반도체가 실증 사업에 선정됐다.", label="TECH")
    assert not any(s[0] == "하람반도체" for s in tech)


# ---------------------------------------------------------------- LAW


def test_only_statutes_are_law(extractor):
    text = ("특허법 시행령을 고치고, ‘스마트공장 구축 지원사업’과 규제자유특구 운영을 함께 살핀다.")
    found = spans(extractor, text)
    laws = [s for s in found if s[1] == "LAW"]
    assert laws == [("특허법", "LAW", "특허법")]
    assert not any(s[0] == "규제자유특구" for s in found)


# ---------------------------------------------------------------- names in force


def test_lineage_names_in_force_and_current():
    lineage = Lineage.from_renames(load_reference().renames)
    assert lineage.in_force("ORG", "산업통상자원부", date(2025, 9, 30)) == "산업통상자원부"
    assert lineage.in_force("ORG", "산업통상자원부", date(2025, 10, 1)) == "산업통상부"
    assert lineage.in_force("LOCATION", "강원특별자치도", date(2023, 6, 10)) == "강원도"
    assert lineage.in_force("ORG", "과학기술정보통신부", date(2015, 1, 1)) == "미래창조과학부"
    assert lineage.current("ORG", "지식경제부") == "산업통상부"
    rows = {(r["canonical"], r["current_canonical"]) for r in lineage.rows()}
    assert ("산업통상자원부", "산업통상부") in rows


def test_lineage_without_renames_keeps_names():
    lineage = Lineage.from_renames([Rename("갑", "ORG", "을", "2020-01-01")])
    assert lineage.in_force("ORG", "병", date(2021, 1, 1)) == "병"
    assert lineage.in_force("ORG", "을", date(2019, 1, 1)) == "갑"


def test_short_names_link_by_the_articles_date(extractor):
    text = "산업부는 반도체 지원을 늘린다."
    assert ("산업부", "ORG", "산업통상자원부") in spans(extractor, text, BEFORE_2025_REORG)
    assert ("산업부", "ORG", "산업통상부") in spans(extractor, text, AFTER_2025_REORG)
    assert ("강원", "LOCATION", "강원도") in spans(extractor, "강원 지역 기업을 돕는다.",
                                                 datetime(2022, 3, 2, tzinfo=KST))


# ---------------------------------------------------------------- events


def events_of(extractor, text, published=BEFORE_2025_REORG):
    mentions, _ = extractor.extract(text, published)
    return extract_events(text, mentions, published, reference=extractor.reference)


def test_signing_ceremony_and_launch_ceremony(extractor):
    evs = events_of(extractor, "특허청(청장 오가람)과 카카오엔터프라이즈(대표 정나래)는 9일 업무협약식을 개최했다.")
    assert any(e.type == "AGREEMENT" and {"특허청", "카카오엔터프라이즈"} <= set(e.agent + e.object)
               for e in evs)
    evs = events_of(extractor, "금융위원회는 5일 「금융 데이터 협의회」 발족식을 개최하였다.")
    launch = [e for e in evs if e.type == "LAUNCH"]
    assert launch and launch[0].agent == ("금융위원회",) and launch[0].object == ("금융 데이터 협의회",)


def test_selection_of_unnamed_parties_keeps_what_was_selected(extractor):
    evs = events_of(extractor, "중소벤처기업부(장관 김하늘, 이하 중기부)는 7일 신규 주관대학 5곳을 선정했다고 밝혔다.")
    selection = [e for e in evs if e.type == "SELECTION"]
    assert selection and selection[0].agent == ("중소벤처기업부",)
    assert selection[0].object and "주관대학" in selection[0].object[0]


def test_public_bodies_fund_and_companies_invest(extractor):
    evs = events_of(extractor, "산업통상자원부는 올해 로봇 과제에 500억 원을 투자한다.")
    assert [e.type for e in evs if e.amount] == ["FUNDING"]
    evs = events_of(extractor, "GS건설은 향후 3년간 공장 부지에 총 1,000억원을 투자할 계획이다.")
    invest = [e for e in evs if e.type == "INVESTMENT"]
    assert invest and invest[0].agent == ("GS건설",) and invest[0].amount == 100_000_000_000


def test_region_from_the_events_own_places(extractor):
    evs = events_of(extractor, "정보통신산업진흥원은 부산 해운대구에 실증 센터를 개소했다.")
    launch = [e for e in evs if e.type == "LAUNCH"]
    assert launch and launch[0].region == "부산광역시"


def test_dotted_dates_do_not_end_sentences():
    text = "산업부는 12. 8.(목) 오후 2시에 센터 개소식을 개최한다. 다음 문장이다."
    assert len(sentence_spans(text)) == 2


def test_events_use_the_given_reference_data(extractor, tmp_path: Path):
    (tmp_path / "organizations.tsv").write_text(
        "canonical\ttype\taliases\tregion\n부산정보산업진흥원\tagency\tBIPA\t전라남도\n", encoding="utf-8")
    reference = load_reference(tmp_path)  # the packaged data seats it in 부산광역시
    text = "부산정보산업진흥원은 실증 센터를 개소했다."
    mentions, _ = extractor.extract(text, BEFORE_2025_REORG)
    launch = [e for e in extract_events(text, mentions, BEFORE_2025_REORG, reference=reference)
              if e.type == "LAUNCH"]
    assert launch and launch[0].region == "전라남도"


def test_industrial_complexes_and_venues_are_places(extractor):
    text = "GS건설은 포항 영일만 4산업단지에 공장을 짓고, 서울 더케이호텔에서 협약식을 열었다. 서울시내 호텔에서 만났다."
    places = {s[0] for s in spans(extractor, text, label="LOCATION")}
    assert {"영일만 4산업단지", "더케이호텔"} <= places
    assert not any("호텔" in p and "시내" in p for p in places)
    assert not any(p.endswith("산단") for p in spans(extractor, "스마트그린산단 사업을 넓힌다.", label="LOCATION"))


def test_reports_group_a_lineage_under_its_current_name():
    import duckdb

    from pipeline.steps.enrichment import load_lineage
    from pipeline.warehouse.db import apply_schema

    con = duckdb.connect()
    apply_schema(con)
    load_lineage(con, None)
    con.execute("insert into entities values ('ORG:산업통상자원부', 'ORG', '산업통상자원부', true, 2, 2, "
                "null, null, null, null), ('ORG:산업통상부', 'ORG', '산업통상부', true, 1, 1, null, null, "
                "null, null)")
    con.execute("insert into articles (article_id, page_id, source, url, title, text, language, "
                "published_at) values ('a1', 'p1', 's', 'u1', 't', 'x', 'ko', '2024-05-02 12:00:00+09'), "
                "('a2', 'p2', 's', 'u2', 't', 'x', 'ko', '2025-11-20 12:00:00+09')")
    con.execute("insert into mentions (article_id, entity_id, label, start_char, end_char, surface, "
                "canonical) values ('a1', 'ORG:산업통상자원부', 'ORG', 0, 3, '산업부', '산업통상자원부'), "
                "('a2', 'ORG:산업통상부', 'ORG', 0, 3, '산업부', '산업통상부')")
    current = dict(con.execute("select canonical, current_canonical from entity_lineage "
                               "where current_canonical = '산업통상부'").fetchall())
    assert current["산업통상자원부"] == "산업통상부" and current["산업통상부"] == "산업통상부"
    report = (Path(__file__).resolve().parents[1] / "sql" / "reports" / "entity_lineage.sql").read_text()
    rows = con.execute(report).fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [("산업통상부", 2024, "산업통상자원부"),
                                                  ("산업통상부", 2025, "산업통상부")]


def test_a_trigger_with_a_parenthesis_before_its_verb(extractor):
    evs = events_of(extractor, "국토교통부(장관 한마루)는 하역로봇 기술을 우수 물류신기술로 지정(제4호, 제5호)한다고 밝혔다.")
    designation = [e for e in evs if e.type == "DESIGNATION"]
    assert designation and designation[0].agent == ("국토교통부",)
