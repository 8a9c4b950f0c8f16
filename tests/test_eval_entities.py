"""Tests of the entity evaluation script's scoring and of the general gold file's markup."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from pipeline.corpus.markup import strip_markup

HERE = Path(__file__).resolve().parent
GOLD_FILE = HERE / "gold" / "entities_general.txt"


def _load_eval_module():
    name = "axnews_eval_entities"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HERE / "eval_entities.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


ev = _load_eval_module()
Span = ev.Span

LABELS = {"PERSON", "ORG", "LOCATION", "LAW", "TECH", "DATE", "MONEY"}
PARTICLES = ("에서", "으로", "은", "는", "이", "가", "을", "를", "의", "에", "로", "와", "과")
# Names that must never carry a particle inside their span (the file's own surfaces are added).
KNOWN_NAMES = {
    "삼성전자", "SK하이닉스", "한국은행", "금융위원회", "기획재정부", "과학기술정보통신부",
    "더불어민주당", "국민의힘", "국회", "서울중앙지법", "서울경찰청", "네이버", "카카오", "KAIST",
    "ETRI", "한화 이글스", "토트넘", "미국", "중국", "워싱턴", "유엔", "유럽연합", "경기도", "서울",
}


def gold_lines() -> list[tuple[int, str]]:
    lines = GOLD_FILE.read_text(encoding="utf-8").splitlines()
    return [(n, line) for n, line in enumerate(lines, 1)
            if line.strip() and not line.lstrip().startswith("#")]


# ---------------------------------------------------------------- scoring


def test_perfect_match_scores_one_everywhere():
    gold = [Span(0, 3, "PERSON", "김하늘", "김하늘"), Span(5, 9, "ORG", "삼성전자", "삼성전자")]
    counts = ev.score(gold, list(gold))
    assert counts["PERSON"].tp == 1 and counts["ORG"].tp == 1
    total = ev.micro(counts)
    assert (total.fp, total.fn) == (0, 0)
    assert ev.prf(total.tp, total.fp, total.fn) == (1.0, 1.0, 1.0)
    assert ev.linking_accuracy(total) == 1.0


def test_wrong_label_is_a_false_positive_and_a_false_negative():
    gold = [Span(0, 3, "LOCATION", "경기도", "경기도")]
    pred = [Span(0, 3, "ORG", "경기도", "경기도")]
    counts = ev.score(gold, pred)
    assert (counts["ORG"].tp, counts["ORG"].fp, counts["ORG"].fn) == (0, 1, 0)
    assert (counts["LOCATION"].tp, counts["LOCATION"].fp, counts["LOCATION"].fn) == (0, 0, 1)
    assert ev.core_f1(counts) == 0.0


def test_boundary_error_counts_as_miss_plus_spurious_span():
    gold = [Span(0, 6, "ORG", "경기테크노파크", "경기테크노파크")]
    pred = [Span(0, 7, "ORG", "경기테크노파크가", "경기테크노파크")]
    counts = ev.score(gold, pred)
    assert (counts["ORG"].tp, counts["ORG"].fp, counts["ORG"].fn) == (0, 1, 1)


def test_missed_mention_lowers_recall_not_precision():
    gold = [Span(0, 3, "PERSON", "김하늘", "김하늘"), Span(10, 13, "DATE", "12일", "12일")]
    pred = [Span(0, 3, "PERSON", "김하늘", "김하늘")]
    counts = ev.score(gold, pred)
    total = ev.micro(counts)
    p, r, f = ev.prf(total.tp, total.fp, total.fn)
    assert p == 1.0 and r == 0.5 and f == pytest.approx(2 / 3)
    assert counts["DATE"].fn == 1
    # the core micro ignores DATE: PERSON alone is perfect
    assert ev.core_f1(counts) == 1.0


def test_no_predictions_gives_zero_not_an_error():
    counts = ev.score([Span(0, 2, "ORG", "국회", "국회")], [])
    assert ev.prf(counts["ORG"].tp, counts["ORG"].fp, counts["ORG"].fn) == (0.0, 0.0, 0.0)
    assert ev.linking_accuracy(counts["ORG"]) is None


def test_linking_mismatch_is_a_hit_but_not_linked():
    gold = [Span(0, 5, "ORG", "과기정통부", "과학기술정보통신부")]
    pred = [Span(0, 5, "ORG", "과기정통부", "과기정통부")]
    counts = ev.score(gold, pred)
    assert counts["ORG"].tp == 1 and counts["ORG"].linked == 0
    assert ev.linking_accuracy(counts["ORG"]) == 0.0


def test_linking_compares_canonicals_after_nfc_and_space_collapse():
    decomposed = "\u1100\u1167\u11bc\u1100\u1175\u1103\u1169"  # 경기도 as conjoining jamo
    gold = [Span(0, 3, "LOCATION", "경기도", "경기도"),
            Span(4, 12, "TECH", "온디바이스AI", "온디바이스 AI")]
    pred = [Span(0, 3, "LOCATION", "경기도", decomposed),
            Span(4, 12, "TECH", "온디바이스AI", " 온디바이스   AI ")]
    counts = ev.score(gold, pred)
    assert counts["LOCATION"].linked == 1 and counts["TECH"].linked == 1


def test_duplicate_predictions_of_one_span_count_once():
    gold = [Span(0, 2, "ORG", "국회", "국회")]
    pred = [Span(0, 2, "ORG", "국회", "국회"), Span(0, 2, "ORG", "국회", "국회")]
    counts = ev.score(gold, pred)
    assert (counts["ORG"].tp, counts["ORG"].fp) == (1, 0)


def test_mention_like_objects_and_dicts_are_accepted():
    class M:
        start, end, label, text, canonical = 0, 2, "ORG", "국회", "국회"

    counts = ev.score([Span(0, 2, "ORG", "국회", "국회")],
                      [M(), {"start": 0, "end": 2, "label": "ORG", "canonical": "국회"}])
    assert counts["ORG"].tp == 1 and counts["ORG"].fp == 0


def test_counts_merge_across_texts():
    a = ev.score([Span(0, 2, "ORG", "국회", "국회")], [Span(0, 2, "ORG", "국회", "국회")])
    b = ev.score([Span(0, 2, "ORG", "국회", "국회")], [Span(3, 5, "ORG", "정부", "정부")])
    total = ev.merge_counts([a, b])
    assert (total["ORG"].tp, total["ORG"].fp, total["ORG"].fn) == (1, 1, 1)


# ---------------------------------------------------------------- loading


def test_demo_item_offsets_point_into_the_joined_text():
    item = {"paragraphs": ["{{경기도|LOCATION}}는 밝혔다.", "{{12일|DATE}} {{김하늘|PERSON}} 씨"]}
    doc = ev.doc_from_item(item, "x")
    assert doc.text == "경기도는 밝혔다.\n12일 김하늘 씨"
    assert [doc.text[s.start:s.end] for s in doc.spans] == ["경기도", "12일", "김하늘"]


def test_demo_loader_skips_bad_files_and_items_with_warnings(tmp_path):
    good = [{"id": "a-1", "paragraphs": ["{{국회|ORG}}가 열렸다."]},
            {"id": "a-2", "kind": "section_index", "paragraphs": ["목록"]},
            {"id": "a-3", "paragraphs": "not a list"},
            "not an object"]
    (tmp_path / "good.json").write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "broken.json").write_text('[{"id": "b-1", "paragraphs": [', encoding="utf-8")
    (tmp_path / "object.json").write_text('{"id": "c-1"}', encoding="utf-8")
    docs, warnings = ev.load_demo(tmp_path)
    assert [d.doc_id for d in docs] == ["good.json:a-1"]
    joined = "\n".join(warnings)
    assert "broken.json" in joined and "object.json" in joined and "a-3" in joined
    assert "a-2" not in joined  # a non-article kind is skipped silently


def test_demo_loader_on_a_missing_folder_returns_nothing_and_warns(tmp_path):
    docs, warnings = ev.load_demo(tmp_path / "missing")
    assert docs == [] and warnings


def test_general_loader_skips_comments_and_blank_lines(tmp_path):
    path = tmp_path / "g.txt"
    path.write_text("# heading\n\n{{국회|ORG}}가 열렸다.\n", encoding="utf-8")
    docs = ev.load_general(path)
    assert len(docs) == 1 and docs[0].doc_id.endswith(":3")
    assert docs[0].spans[0].text == "국회"


# ---------------------------------------------------------------- command line


class EchoExtractor:
    """Predicts exactly the gold of the texts it was built with."""

    def __init__(self, docs, keep=True):
        self.gold = {d.text: d.spans for d in docs}
        self.keep = keep

    def extract_many(self, texts):
        return [(list(self.gold[t]) if self.keep else [], []) for t in texts]


def _gold_file(tmp_path):
    path = tmp_path / "g.txt"
    path.write_text("{{김하늘|PERSON}} {{경기도|LOCATION}}지사\n{{국회|ORG}}가 열렸다.\n",
                    encoding="utf-8")
    return path


def test_main_without_extractor_exits_zero_but_check_fails(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(ev, "load_extractor", lambda: None)
    args = ["--set", "general", "--general-file", str(_gold_file(tmp_path))]
    assert ev.main(args) == 0
    assert ev.main([*args, "--check"]) == 1
    assert "not available" in capsys.readouterr().err


def test_check_passes_on_perfect_predictions_and_fails_on_none(tmp_path, monkeypatch, capsys):
    path = _gold_file(tmp_path)
    docs = ev.load_general(path)
    args = ["--set", "general", "--general-file", str(path), "--check", "--errors", "3"]
    monkeypatch.setattr(ev, "load_extractor", lambda: EchoExtractor(docs))
    assert ev.main(args) == 0
    out = capsys.readouterr().out
    assert "2 texts, 3 gold mentions" in out and "ok" in out
    monkeypatch.setattr(ev, "load_extractor", lambda: EchoExtractor(docs, keep=False))
    assert ev.main(args) == 1
    out = capsys.readouterr().out
    assert "UNDER TARGET" in out and "PERSON FN" in out and "[김하늘]" in out


# ---------------------------------------------------------------- the general gold file


def test_general_gold_has_at_least_300_sentences():
    assert len(gold_lines()) >= 300


def test_every_gold_line_parses_into_clean_text_and_spans():
    for n, line in gold_lines():
        text, spans = strip_markup(line)
        assert "{{" not in text and "}}" not in text, f"line {n}: markup left: {text}"
        assert spans, f"line {n}: no entity marked"
        for s in spans:
            assert s.label in LABELS, f"line {n}: unknown label {s.label}"
            assert s.text, f"line {n}: empty span {s}"
            assert not s.text[0].isspace() and not s.text[-1].isspace(), (
                f"line {n}: span starts or ends with a space {s.text!r}")
            assert not _glued_particle(s, KNOWN_NAMES), f"line {n}: particle inside {s.text!r}"
            assert s.canonical == s.canonical.strip() and s.canonical, f"line {n}: {s}"


def _glued_particle(span, names) -> str | None:
    """The particle a PERSON/ORG/LOCATION span ends with when the rest is a known name."""
    if span.label not in ("PERSON", "ORG", "LOCATION"):
        return None
    return next((p for p in PARTICLES if span.text.endswith(p) and span.text[: -len(p)] in names),
                None)


def test_glued_particle_check_flags_a_particle_after_a_known_name():
    assert _glued_particle(Span(0, 5, "ORG", "기획재정부는"), KNOWN_NAMES) == "는"
    assert _glued_particle(Span(0, 4, "ORG", "기획재정부"), KNOWN_NAMES) is None
    assert _glued_particle(Span(0, 4, "DATE", "서울에"), KNOWN_NAMES) is None


def test_no_particle_is_glued_to_a_known_name_span():
    surfaces = set(KNOWN_NAMES)
    for _, line in gold_lines():
        surfaces.update(s.text for s in strip_markup(line)[1])
    for n, line in gold_lines():
        for s in strip_markup(line)[1]:
            particle = _glued_particle(s, surfaces)
            assert particle is None, f"line {n}: particle {particle!r} inside span {s.text!r}"


def test_gold_covers_every_label_and_some_english():
    labels = set()
    english = 0
    for _, line in gold_lines():
        text, spans = strip_markup(line)
        labels.update(s.label for s in spans)
        english += sum(c.isascii() and c.isalpha() for c in text) > len(text) / 2
    assert labels == LABELS
    assert english >= 25
