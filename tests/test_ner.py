"""The shipped PERSON/ORG/LOCATION CRF (pipeline.ner) and its use by the entity extractor."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ner.crf import MODEL_DIR, MODEL_FILE, CrfTagger
from pipeline.ner.evaluate import folds_of, score
from pipeline.ner.features import text_features
from pipeline.ner.klue import Sentence, bio_tags, read_klue, spans_of
from pipeline.stages.enrich import EntityExtractor
from tests.seed_page import seed_text

KLUE_SAMPLE = """## 컬럼명 : CHAR\tNE_TAG
## klue-ner-v1_dev_00001-wikitree\t<김:PS>씨는 <서울:LC>에
김\tB-PS
씨\tO
는\tO
 \tO
서\tB-LC
울\tI-LC
에\tO

## klue-ner-v1_dev_00002-nsmc\t<2시간:QT> 봤다
2\tB-QT
시\tI-QT
간\tI-QT
 \tO
봤\tO
다\tO
"""


@pytest.fixture(scope="module")
def extractor() -> EntityExtractor:
    return EntityExtractor()


def test_klue_reader_keeps_person_place_org_spans(tmp_path: Path):
    path = tmp_path / "sample.tsv"
    path.write_text(KLUE_SAMPLE, encoding="utf-8")
    news, review = read_klue(path)
    assert news.text == "김씨는 서울에" and news.is_news and not review.is_news
    assert news.spans == ((0, 1, "PS"), (4, 6, "LC"))
    assert review.spans == ()  # quantities are left to the rules
    assert spans_of(bio_tags(len(news.text), news.spans)) == list(news.spans)


def test_spans_of_opens_a_span_on_a_stray_inside_tag():
    assert spans_of(["O", "I-OG", "I-OG", "B-PS", "I-LC"]) == [
        (1, 3, "OG"), (3, 4, "PS"), (4, 5, "LC")]


def test_features_one_list_per_character_with_gazetteer_and_title_cues():
    text = "정진수 원장은 경기테크노파크"
    tokens = [("정진수", "NNP", 0, 3), ("원장", "NNG", 4, 6), ("은", "JX", 6, 7),
              ("경기테크노파크", "NNP", 8, 15)]
    feats = text_features(text, tokens, [(8, 15, "ORG")], {"원장"})
    assert len(feats) == len(text)
    assert "tn=n" in feats[0] and "tn=p" in feats[8] and "an=JX/은" in feats[4]
    assert "g=ORG-B" in feats[8] and "g=ORG-E" in feats[14] and "g=ORG-I" in feats[10]
    assert "m=NNP-B" in feats[0] and "w=B" in feats[0] and "c+1=진" in feats[0]
    assert len({len(f) for f in feats}) == 1  # every character has every feature


def test_folds_split_news_and_reviews_evenly():
    sentences = [Sentence(f"x-{'nsmc' if i % 3 else 'wikitree'}", "가", ()) for i in range(30)]
    fold = folds_of(sentences, 5)
    for k in range(5):
        members = [s for s, f in zip(sentences, fold) if f == k]
        assert sum(s.is_news for s in members) == 2 and len(members) == 6


def test_score_counts_exact_spans_only():
    s = Sentence("a-wikitree", "김철수 서울", ((0, 3, "PS"), (4, 6, "LC")))
    counts = score([s], [[(0, 3, "PS"), (4, 5, "LC")]], news=True)
    assert counts["PS"] == (1, 0, 0) and counts["LC"] == (0, 1, 1) and counts["all"] == (1, 1, 1)


def test_shipped_model_is_small_and_loads():
    path = MODEL_DIR / MODEL_FILE
    assert path.is_file() and path.stat().st_size < 30_000_000
    assert (MODEL_DIR / "README.md").read_text(encoding="utf-8").count("CC BY-SA 4.0") >= 1
    tagger = CrfTagger()
    assert tagger.tag("", []) == []


def test_extractor_uses_the_shipped_model_by_default(extractor):
    assert extractor.crf is not None
    assert EntityExtractor(ner="rules").crf is None
    with pytest.raises(ValueError):
        EntityExtractor(ner="bert")


UNLISTED = ("앤더슨 실바는 이마트와 롯데백화점의 행사에 참석했다. "
            "김민준 대표는 부산에서 투자 계획을 밝혔다. 한강홍수통제소는 박 씨를 조사했다.")


def test_model_finds_unlisted_people_companies_and_places(extractor):
    # None of these names is in the reference data.
    tokens = extractor._tokenize_all([UNLISTED])[0]
    spans = extractor.crf.tag(UNLISTED, tokens, [], extractor.title_set)
    found = {(UNLISTED[s.start : s.end], s.label) for s in spans}
    assert {("앤더슨 실바", "PERSON"), ("김민준", "PERSON"), ("부산", "LOCATION"),
            ("이마트", "ORG"), ("롯데백화점", "ORG"), ("한강홍수통제소", "ORG")} <= found
    assert all(0.0 < s.score <= 1.0 for s in spans)


def test_extractor_adds_the_people_the_rules_miss(extractor):
    rules = {(m.text, m.label) for m in EntityExtractor(ner="rules").extract(UNLISTED)[0]}
    mentions, _ = extractor.extract(UNLISTED)
    found = {(m.text, m.label) for m in mentions}
    assert ("앤더슨 실바", "PERSON") not in rules and ("앤더슨 실바", "PERSON") in found
    assert ("김민준", "PERSON") in found and ("부산", "LOCATION") in found
    assert next(m for m in mentions if m.text == "김민준").role == "대표"
    assert rules - found == set()  # the rules' spans stay


def test_replace_mode_takes_the_model_spans():
    replaced = EntityExtractor(merge="replace")
    found = {(m.text, m.label) for m in replaced.extract(UNLISTED)[0]}
    assert {("이마트", "ORG"), ("롯데백화점", "ORG"), ("한강홍수통제소", "ORG"),
            ("박", "PERSON")} <= found  # KLUE marks the surname before 씨


def test_reference_names_keep_their_canonical_under_the_model(extractor):
    mentions, _ = extractor.extract("과기부는 15일 경기테크노파크를 지역SW산업진흥기관으로 지정했다.")
    abbrev = next(m for m in mentions if m.text == "과기부")
    assert abbrev.label == "ORG" and abbrev.canonical == "과학기술정보통신부" and abbrev.known


def test_english_text_keeps_the_english_rules(extractor):
    text = "Samsung Electronics CEO Han Jong-hee met officials in Seoul on Monday."
    assert not EntityExtractor._uses_model(extractor, text)
    rules = EntityExtractor(ner="rules").extract(text)[0]
    assert [(m.text, m.label) for m in extractor.extract(text)[0]] == [
        (m.text, m.label) for m in rules]


def test_shipped_model_tags_the_seed_page_people_and_organizations(extractor):
    text = seed_text()
    if text is None:
        pytest.skip("../shared/seeds is absent")
    tagger = extractor.crf
    tokens = extractor._tokenize_all([text])[0]
    spans = tagger.tag(text, tokens, [], extractor.title_set)  # the model alone, no reference
    found = {(text[s.start : s.end], s.label) for s in spans}
    assert ("정진수", "PERSON") in found
    assert any(label == "ORG" and surface.startswith("경기테크노파크") for surface, label in found)
    assert any(label == "LOCATION" and surface.startswith("경기도") for surface, label in found)


def test_model_tags_whole_word_windows_around_open_names_only(extractor):
    from pipeline.stages.enrich import _open_windows

    text = "ICT 기업 A 과제와 관련해 " + "가" * 60 + " 그리고 올해 이 회사 대표 김민준은 계획을 밝혔다."
    tokens = extractor._tokenize_all([text])[0]
    free = bytearray(len(text) + 1)
    windows = _open_windows(text, tokens, free, 0, len(text), 10)
    assert len(windows) == 1  # acronyms and single letters open no window
    start, end = windows[0]
    assert text[start:end] == "올해 이 회사 대표 김민준은 계획을 밝혔다."  # whole words, 10 characters each side
    taken = bytearray(free)
    taken[text.index("김민준")] = 1
    assert _open_windows(text, tokens, taken, 0, len(text), 10) == []  # a rule span holds it
    assert _open_windows(text, tokens, free, 0, len(text), None) == [(0, len(text))]
