"""Model backend for PERSON/ORG/LOCATION (pipeline.stages.entities.model_backend).

The label and span logic is tested as plain functions. The model tests need the ``model`` extra
(transformers, torch) and skip without it; they build a tiny BERT token classifier in tmp_path,
so nothing is downloaded.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from pipeline.stages.entities.model_backend import (
    MODEL_LABELS,
    TokenTag,
    _keep_central,
    aggregate,
    load_label_map,
    map_label,
    model_version,
    split_tag,
)

PUBLISHED = datetime(2026, 1, 12, 9, 0)
KO = "김철수 과기부 장관은 2026년 3월 서울에서 클라우드 사업에 500억원을 투자한다고 밝혔다."
KO_TAIL = "딥로직스와 과기부는 수원시에서 협약을 맺었다."
EN = (
    "Jane Smith of Samsung Electronics met officials in Seoul on March 3, 2026 "
    "about a $2 billion GPU deal with Acme."
)
LABELS = ["O", "B-PS", "I-PS", "B-OG", "I-OG", "B-LC", "I-LC", "B-DT", "I-DT", "B-CORP", "I-CORP"]
# Word pieces of the test sentences and the label the tiny model gives each; every other word
# is [UNK] and tagged O. '과기부는' is one piece so that the model's span carries a particle.
PIECES = {
    "김": "B-PS",
    "##철수": "I-PS",
    "과기부": "B-OG",
    "과기부는": "B-OG",
    "딥": "B-OG",
    "##로직스": "I-OG",
    "##와": "O",
    "서울": "B-LC",
    "##에서": "O",
    "장관": "O",
    "##은": "O",
    "Jane": "B-PS",
    "Smith": "I-PS",
    "Samsung": "B-OG",
    "Electronics": "I-OG",
    "Seoul": "B-LC",
    "March": "B-DT",
    "Acme": "B-CORP",
    ",": "O",
    ".": "O",
    "$": "O",
}
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
WINDOW = 16  # tokens per window, so that a few sentences need several windows


def tags(text: str, pieces: list[tuple[str, str]]) -> list[TokenTag]:
    """Token tags for (surface, label) pieces found left to right in text."""
    out, pos = [], 0
    for surface, label in pieces:
        start = text.index(surface, pos)
        pos = start + len(surface)
        out.append(TokenTag(start, pos, label, 0.9))
    return out


def found(text: str, spans) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in spans]


# ------------------------------------------------------------------ labels and spans, no torch
def test_tags_split_into_marker_and_type_in_every_scheme():
    assert split_tag("B-PS") == ("B", "PS")
    assert split_tag("I-ORG") == ("I", "ORG")
    assert split_tag("PER_B") == ("B", "PER")  # Naver 2018 puts the marker last
    assert split_tag("U-LOC") == ("S", "LOC") and split_tag("L-LOC") == ("E", "LOC")
    assert split_tag("LOC") == ("I", "LOC")  # plain IO labels
    assert split_tag("O") == ("O", "") and split_tag("-") == ("O", "")


def test_default_table_covers_klue_naver_and_conll_types():
    table = load_label_map(None)
    assert map_label("B-PS", table)[2] == "PERSON" and map_label("I-OG", table)[2] == "ORG"
    assert map_label("B-LC", table)[2] == "LOCATION" and map_label("LOC_I", table)[2] == "LOCATION"
    assert map_label("B-PER", table)[2] == "PERSON" and map_label("B-GPE", table)[2] == "LOCATION"
    # Dates and amounts are the rules' work; MISC has no label here.
    assert {map_label(t, table)[2] for t in ("B-DT", "B-QT", "B-MISC", "B-CORP")} == {None}


def test_json_label_map_adds_to_the_default_and_rejects_unknown_labels(tmp_path):
    path = tmp_path / "labels.json"
    path.write_text(json.dumps({"CORP": "ORG", "B-MISC": "LOCATION", "LC": None}), "utf-8")
    table = load_label_map(path)
    assert map_label("I-CORP", table)[2] == "ORG"
    assert map_label("B-MISC", table)[2] == "LOCATION" and map_label("I-MISC", table)[2] is None
    assert map_label("B-LC", table)[2] is None and map_label("B-PS", table)[2] == "PERSON"
    path.write_text(json.dumps({"PS": "HUMAN"}), "utf-8")
    with pytest.raises(ValueError, match="HUMAN"):
        load_label_map(path)


def test_bio_pieces_join_into_one_span_and_a_particle_stays_out():
    text = "삼성전자는 김철수 대표를"
    pieces = [("삼성", "B-OG"), ("전자", "I-OG"), ("는", "O"), ("김", "B-PS"), ("철수", "I-PS")]
    spans = aggregate(text, tags(text, pieces), load_label_map(None))
    assert found(text, spans) == [("삼성전자", "ORG"), ("김철수", "PERSON")]


def test_bioes_and_io_labels_and_b_on_a_later_word_piece():
    table = load_label_map(None)
    text = "Jane Smith and Kim Lee visited Busan"
    bioes = [("Jane", "B-PER"), ("Smith", "E-PER"), ("Kim", "B-PER"), ("Lee", "E-PER"),
             ("Busan", "S-LOC")]
    assert found(text, aggregate(text, tags(text, bioes), table)) == [
        ("Jane Smith", "PERSON"), ("Kim Lee", "PERSON"), ("Busan", "LOCATION")]
    io = [("Jane", "PER"), ("Smith", "PER"), ("visited", "O"), ("Bu", "LOC"), ("san", "LOC")]
    assert found(text, aggregate(text, tags(text, io), table)) == [
        ("Jane Smith", "PERSON"), ("Busan", "LOCATION")]
    # A model trained on first pieces only may tag a later piece B: it stays in the word.
    glued = [("Bu", "B-LOC"), ("san", "B-LOC")]
    assert found(text, aggregate(text, tags(text, glued), table)) == [("Busan", "LOCATION")]


def test_a_new_b_tag_or_a_line_break_starts_a_new_span():
    table = load_label_map(None)
    text = "서울 부산\n대구"
    pieces = [("서울", "B-LC"), ("부산", "B-LC"), ("대구", "I-LC")]
    assert found(text, aggregate(text, tags(text, pieces), table)) == [
        ("서울", "LOCATION"), ("부산", "LOCATION"), ("대구", "LOCATION")]


def test_overlapping_windows_keep_the_tag_seen_farthest_from_a_window_edge():
    best: dict = {}
    special = [1, 0, 0, 0, 1]  # [CLS] three tokens [SEP]
    # Window one: (5, 9) in the middle, (10, 12) at its edge; window two the other way round.
    _keep_central(best, [(0, 0), (0, 4), (5, 9), (10, 12), (0, 0)], special,
                  ["O", "O", "B-PS", "O", "O"], [1.0] * 5)
    _keep_central(best, [(0, 0), (5, 9), (10, 12), (13, 15), (0, 0)], special,
                  ["O", "O", "B-LC", "O", "O"], [1.0] * 5)
    assert {key: tag.label for key, (_, tag) in best.items()} == {
        (0, 4): "O", (5, 9): "B-PS", (10, 12): "B-LC", (13, 15): "O"}


# ------------------------------------------------------------------ a tiny model on disk
@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    """A 2-layer BERT token classifier whose tag depends only on the word piece (PIECES)."""
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    import torch
    from transformers import BertConfig, BertForTokenClassification, BertTokenizerFast

    folder = tmp_path_factory.mktemp("ner_model")
    vocab = SPECIALS + list(PIECES)
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    # from_pretrained reads vocab.txt in transformers 4 and 5 alike (5 drops vocab_file=).
    tokenizer = BertTokenizerFast.from_pretrained(
        folder, do_lower_case=False, model_max_length=WINDOW
    )
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
        id2label=dict(enumerate(LABELS)),
        label2id={label: i for i, label in enumerate(LABELS)},
    )
    torch.manual_seed(0)
    model = BertForTokenClassification(config)
    with torch.no_grad():
        # Each piece's embedding is one-hot at its label's index; zeroed residual branches let
        # it pass the layers unchanged, and the classifier reads the index back. No training.
        embeddings = model.bert.embeddings
        embeddings.word_embeddings.weight.zero_()
        for i, piece in enumerate(vocab):
            embeddings.word_embeddings.weight[i, LABELS.index(PIECES.get(piece, "O"))] = 1.0
        embeddings.position_embeddings.weight.zero_()
        embeddings.token_type_embeddings.weight.zero_()
        for layer in model.bert.encoder.layer:
            for dense in (layer.attention.output.dense, layer.output.dense):
                dense.weight.zero_()
                dense.bias.zero_()
        model.classifier.weight.zero_()
        model.classifier.bias.zero_()
        model.classifier.weight[:, : len(LABELS)] = torch.eye(len(LABELS))
    tokenizer.save_pretrained(folder)
    model.save_pretrained(folder)
    return folder


def test_backend_spans_have_character_offsets_into_the_text(model_dir):
    from pipeline.stages.entities.model_backend import TokenTagger

    tagger = TokenTagger(model_dir)
    ko, en, empty = tagger.tag([KO, EN, "  "])
    assert found(KO, ko) == [("김철수", "PERSON"), ("과기부", "ORG"), ("서울", "LOCATION")]
    assert KO[ko[0].start : ko[0].end] == "김철수" and ko[0].start == 0
    assert found(EN, en) == [
        ("Jane Smith", "PERSON"), ("Samsung Electronics", "ORG"), ("Seoul", "LOCATION")]
    assert empty == [] and all(0.5 < s.score <= 1 for s in ko + en)


def test_long_text_is_tagged_in_overlapping_windows(model_dir):
    from pipeline.stages.entities.model_backend import TokenTagger

    tagger = TokenTagger(model_dir, batch_size=2)
    long_text = "\n".join([KO, EN] * 4)
    tokenizer = tagger._model()[0]
    windows = tokenizer(long_text, truncation=True, max_length=WINDOW, stride=4,
                        return_overflowing_tokens=True)["input_ids"]
    assert tagger.window() == (WINDOW, 4) and len(windows) > 5
    (spans,) = tagger.tag([long_text])
    ko, en = TokenTagger(model_dir, max_length=64).tag([KO, EN])  # one window each
    assert len(ko) == 3 and len(en) == 3
    assert found(long_text, spans) == (found(KO, ko) + found(EN, en)) * 4


def test_windows_padded_on_the_left_give_the_same_spans(model_dir):
    from pipeline.stages.entities.model_backend import TokenTagger

    texts = [KO, EN, "\n".join([EN, KO] * 2)]
    right = TokenTagger(model_dir, batch_size=4)
    left = TokenTagger(model_dir, batch_size=4)
    left._model()[0].padding_side = "left"
    assert left.tag(texts) == right.tag(texts)


def test_json_map_turns_a_model_type_into_an_org(model_dir, tmp_path):
    from pipeline.stages.entities.model_backend import TokenTagger

    assert ("Acme", "ORG") not in found(EN, TokenTagger(model_dir).tag([EN])[0])
    path = tmp_path / "labels.json"
    path.write_text(json.dumps({"CORP": "ORG"}), encoding="utf-8")
    (spans,) = TokenTagger(model_dir, label_map=path).tag([EN])
    acme = [s for s in spans if EN[s.start : s.end] == "Acme"]
    assert [(s.label, s.model_label) for s in acme] == [("ORG", "CORP")]


def test_model_version_changes_with_the_label_map_or_the_model_files(model_dir, tmp_path):
    version = model_version(model_dir)
    assert version == model_version(model_dir) and len(version) == 16
    assert model_version(model_dir, {"CORP": "ORG"}) != version
    copy = tmp_path / "copy"
    copy.mkdir()
    for f in model_dir.iterdir():
        (copy / f.name).write_bytes(f.read_bytes())
    assert model_version(copy) == version
    config = json.loads((copy / "config.json").read_text(encoding="utf-8"))
    config["id2label"]["9"] = "B-OG"
    (copy / "config.json").write_text(json.dumps(config), encoding="utf-8")
    assert model_version(copy) != version


@pytest.fixture(scope="module")
def model_extractor(model_dir):
    from pipeline.stages.enrich import EntityExtractor

    return EntityExtractor(model_path=model_dir)


def mention(mentions, surface: str, label: str):
    return next((m for m in mentions if m.text == surface and m.label == label), None)


def test_extractor_takes_people_orgs_and_places_from_the_model(model_extractor):
    text = f"{KO}\n{KO_TAIL}"
    mentions, _ = model_extractor.extract(text, PUBLISHED)
    assert all(text[m.start : m.end] == m.text for m in mentions)
    # The model's spans replace the rules' people, orgs and places; names the reference data
    # lists (수원시, which this toy model misses) stay, linked as before.
    assert [m.text for m in mentions if m.label in MODEL_LABELS] == [
        "김철수", "과기부", "서울", "딥로직스", "과기부", "수원시"]
    person = mention(mentions, "김철수", "PERSON")
    assert person is not None and person.role == "장관"
    assert person.affiliation == "과학기술정보통신부"
    # The model's '과기부는' loses its particle and links to the reference entity.
    orgs = [m for m in mentions if m.label == "ORG"]
    assert [m.text for m in orgs] == ["과기부", "딥로직스", "과기부"]
    assert orgs[0].canonical == "과학기술정보통신부" and orgs[0].known
    assert orgs[2].start == text.index("과기부는") and orgs[2].canonical == "과학기술정보통신부"
    assert not orgs[1].known and orgs[1].entity_id == "ORG:딥로직스"
    place = mention(mentions, "서울", "LOCATION")
    assert place is not None and place.canonical == "서울특별시" and place.known


def test_extractor_with_a_model_still_finds_tech_money_and_dates_by_rules(model_extractor):
    mentions, _ = model_extractor.extract(KO, PUBLISHED)
    assert mention(mentions, "클라우드", "TECH") is not None
    money = mention(mentions, "500억원", "MONEY")
    assert money is not None and money.value == 5e10
    assert any(m.label == "DATE" and m.text.startswith("2026년 3월") for m in mentions)


def test_extractor_with_a_model_links_english_names_to_the_reference(model_extractor):
    mentions, _ = model_extractor.extract(EN, PUBLISHED)
    org = mention(mentions, "Samsung Electronics", "ORG")
    assert org is not None and org.canonical == "삼성전자" and org.known
    assert mention(mentions, "Jane Smith", "PERSON") is not None
    assert mention(mentions, "Seoul", "LOCATION").canonical == "서울특별시"
    assert mention(mentions, "GPU", "TECH") is not None
    assert mention(mentions, "$2 billion", "MONEY") is not None
    # Acme is a CORP to this model: unmapped, so neither the model nor the rules name it.
    assert not any(m.text == "Acme" for m in mentions)
