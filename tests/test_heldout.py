"""The real extractors on the held-out gold sets, and the rules that generalize to them.

The held-out sets (tests/gold/entities_heldout.txt, events_heldout*.jsonl) were written before the
rules were revised for their sentence shapes. The floors below sit a few points under the scores
reached when they were set, so that a regression in the general rules fails CI. The behaviour
tests use sentences of their own (fictional companies and people that appear in no gold file).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import datetime
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold"
ENTITY_FLOOR = 0.95  # PERSON+ORG+LOCATION micro F1 (0.990 when set)
ENTITY_ALL_FLOOR = 0.94  # all labels (0.986 when set)
EVENT_FLOOR = 0.88  # micro F1 (0.94 when set)
PUBLISHED = datetime.fromisoformat("2026-03-13T10:00:00+09:00")


def _module(name: str, filename: str):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HERE / filename)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


ev = _module("axnews_eval_entities", "eval_entities.py")


@pytest.fixture(scope="module")
def extractor():
    from pipeline.stages.enrich import EntityExtractor

    return EntityExtractor()


def mentions_of(extractor, text: str) -> set[tuple[str, str]]:
    mentions, _ = extractor.extract(text, PUBLISHED)
    return {(m.text, m.label) for m in mentions}


# ---------------------------------------------------------------- the held-out gold files


def test_heldout_entity_gold_is_well_formed():
    docs = ev.load_general(ev.HELDOUT_FILE)
    assert len(docs) >= 90
    english = sum(sum(c.isascii() and c.isalpha() for c in d.text) > len(d.text) / 2 for d in docs)
    assert english >= 10
    for doc in docs:
        assert doc.spans, doc.doc_id
        for s in doc.spans:
            assert s.label in ev.LABELS, (doc.doc_id, s)
            assert not s.text[0].isspace() and not s.text[-1].isspace(), (doc.doc_id, s)
            assert not (s.label in ev.CORE_LABELS and s.text.endswith(("은", "는", "을", "를", "의"))
                        and s.text[:-1] in {g.text for g in doc.spans}), (doc.doc_id, s)


def test_heldout_event_gold_points_at_its_sentences():
    texts = {json.loads(ln)["article"]: json.loads(ln)["text"]
             for ln in (GOLD / "events_heldout_texts.jsonl").read_text(encoding="utf-8").splitlines()
             if ln.strip()}
    gold = [json.loads(ln) for ln in (GOLD / "events_heldout.jsonl").read_text(encoding="utf-8")
            .splitlines() if ln.strip()]
    assert len(texts) >= 25 and len(gold) >= 25
    for g in gold:
        assert g["sentence_contains"] in texts[g["article"]], g
        assert g["object"], g


# ---------------------------------------------------------------- floors on the held-out sets


def test_entity_extractor_keeps_its_heldout_score(extractor):
    docs = ev.load_general(ev.HELDOUT_FILE)
    result = ev.evaluate("heldout", docs, ev.predict(extractor, [d.text for d in docs]))
    core = ev.core_f1(result.counts)
    every = ev.micro(result.counts)
    assert core >= ENTITY_FLOOR, ev.format_errors(result, 10)
    assert ev.prf(every.tp, every.fp, every.fn)[2] >= ENTITY_ALL_FLOOR


def test_event_extractor_keeps_its_heldout_score():
    events = _module("axnews_eval_events", "eval_events.py")
    gold, articles = events.heldout_set()
    result = events.evaluate_set(gold, articles)
    tp, fp, fn = (sum(result[k].values()) for k in ("tp", "fp", "fn"))
    assert events.prf(tp, fp, fn)[2] >= EVENT_FLOOR, (tp, fp, fn)


# ---------------------------------------------------------------- unknown companies


def test_company_subject_of_a_report_verb_is_an_org_and_links_later(extractor):
    found = mentions_of(extractor, "한솔바이오텍은 신약 후보 물질 세 건을 도출했다고 2일 밝혔다. "
                                   "이어 한솔바이오텍은 임상 준비에 들어갔다.")
    spans = [m for m in extractor.extract("한솔바이오텍은 신약 후보 물질 세 건을 도출했다고 2일 "
                                          "밝혔다. 이어 한솔바이오텍은 임상 준비에 들어갔다.")[0]
             if m.label == "ORG"]
    assert ("한솔바이오텍", "ORG") in found
    assert len(spans) == 2  # the second mention is linked by the document-level pass


def test_common_noun_subject_is_not_an_org(extractor):
    found = mentions_of(extractor, "공공데이터는 올해 처음으로 민간에 개방됐다고 정부가 밝혔다.")
    assert not any(label == "ORG" for _, label in found)


def test_staff_word_names_the_company_before_it(extractor):
    assert ("가람정공", "ORG") in mentions_of(extractor, "가람정공 관계자는 수주가 늘었다고 말했다.")


def test_company_cue_carries_across_a_list(extractor):
    found = mentions_of(extractor, "전북테크노파크는 기업 보라소프트, 윤정모빌리티와 협약을 맺었다.")
    assert {("보라소프트", "ORG"), ("윤정모빌리티", "ORG")} <= found


def test_names_listed_before_deung_and_a_company_word_are_orgs(extractor):
    found = mentions_of(extractor, "새싹로보틱스, 큰별랩 등 입주 기업 9곳이 시제품을 선보였다.")
    assert {("새싹로보틱스", "ORG"), ("큰별랩", "ORG")} <= found


def test_people_listed_before_deung_are_not_orgs(extractor):
    found = mentions_of(extractor, "김하진, 박도윤 등 기업 대표들이 간담회에 참석했다.")
    assert not any(label == "ORG" for _, label in found)


# ---------------------------------------------------------------- people


@pytest.mark.parametrize("name", ["황보준서", "남궁다인", "제갈민호", "선우태오", "독고하람"])
def test_four_syllable_double_surname_before_company_and_title(extractor, name):
    found = mentions_of(extractor, f"{name} 아름소프트 대표는 해외 진출을 준비한다고 말했다.")
    assert (name, "PERSON") in found
    assert ("아름소프트", "ORG") in found


def test_company_shaped_word_after_a_name_is_not_a_person(extractor):
    found = mentions_of(extractor, "정해원 하늘테크 대표는 공장 증설 계획을 밝혔다.")
    assert ("정해원", "PERSON") in found and ("하늘테크", "ORG") in found


# ---------------------------------------------------------------- English


def test_english_name_of_company_splits_into_person_and_org(extractor):
    found = mentions_of(extractor, "Song Ha-eun of Brightpath said the plant would open soon.")
    assert ("Song Ha-eun", "PERSON") in found and ("Brightpath", "ORG") in found
    assert not any(" of " in text for text, _ in found)


def test_english_name_of_a_known_ministry_keeps_the_known_org(extractor):
    mentions, _ = extractor.extract("Yoon Ji-ho of the Ministry of Science and ICT said so.")
    by_text = {m.text: m for m in mentions}
    assert by_text["Yoon Ji-ho"].label == "PERSON"
    assert by_text["Ministry of Science and ICT"].canonical == "과학기술정보통신부"


def test_english_company_listed_with_an_org_is_split(extractor):
    found = mentions_of(extractor, "The agency picked Haneul Data and Sora Labs for the pilot.")
    assert {("Haneul Data", "ORG"), ("Sora Labs", "ORG")} <= found


# ---------------------------------------------------------------- events


def events_of(extractor, text: str):
    from pipeline.stages.events import extract_events

    mentions, _ = extractor.extract(text, PUBLISHED)
    return extract_events(text, mentions, PUBLISHED)


def test_launch_takes_the_unquoted_object_as_title(extractor):
    events = events_of(extractor, "강원테크노파크는 10일 춘천시에서 수소 AI 검증센터를 개소했다.")
    launch = [e for e in events if e.type == "LAUNCH"]
    assert launch and launch[0].object == ("수소 AI 검증센터",)
    assert launch[0].title == "수소 AI 검증센터" and launch[0].agent == ("강원테크노파크",)


def test_call_title_drops_the_participants(extractor):
    events = events_of(extractor, "경북테크노파크는 스마트 물류 고도화 지원사업 참여 기업을 모집한다.")
    call = [e for e in events if e.type == "CALL"]
    assert call and call[0].object == ("스마트 물류 고도화 지원사업",)


def test_passive_launch_with_unnamed_agent(extractor):
    events = events_of(extractor, "해양 AI 실증센터가 9일 준공됐다.")
    launch = [e for e in events if e.type == "LAUNCH"]
    assert launch and launch[0].object == ("해양 AI 실증센터",) and launch[0].agent == ()


def test_coordinated_unquoted_objects_are_both_kept(extractor):
    events = events_of(extractor, "울산광역시는 조선 AI 센터와 항만 데이터 분석센터를 개소했다.")
    launch = [e for e in events if e.type == "LAUNCH"]
    assert launch and set(launch[0].object) == {"조선 AI 센터", "항만 데이터 분석센터"}


def test_recruiting_staff_is_not_a_call(extractor):
    events = events_of(extractor, "경남테크노파크는 신입 연구 직원을 모집한다.")
    assert not [e for e in events if e.type == "CALL"]
