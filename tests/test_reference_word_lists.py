"""Integrity checks for the rules' word lists in pipeline/reference/*.tsv (columns list, word).

Read with the csv module, not the package loader, so the on-disk format is pinned: a comment
saying what the file holds, the header, then one word a row.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from pipeline.reference import alternation, load_reference, word_list_files, word_lists

REF_DIR = Path(__file__).resolve().parents[1] / "pipeline" / "reference"
WORD_LIST_FILES = word_list_files()
PIPELINE_SOURCE = "\n".join(p.read_text(encoding="utf-8")
                            for p in (REF_DIR.parent).rglob("*.py"))


def _lines(name: str) -> list[str]:
    return (REF_DIR / f"{name}.tsv").read_text(encoding="utf-8").splitlines()


def _rows(name: str) -> list[list[str]]:
    body = [line for line in _lines(name) if not line.startswith("#")]
    return list(csv.reader(body[1:], delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.mark.parametrize("name", sorted(WORD_LIST_FILES))
def test_word_list_file_opens_with_a_comment_and_the_header(name: str) -> None:
    lines = _lines(name)
    assert lines[0].startswith("# ") and len(lines[0]) > 20, "first line: what the file holds"
    assert lines[1] == "list\tword"


@pytest.mark.parametrize("name", sorted(WORD_LIST_FILES))
def test_word_list_rows_have_two_cells_and_no_blanks(name: str) -> None:
    for row in _rows(name):
        assert len(row) == 2, row
        assert all(cell and cell == cell.strip() for cell in row), row


@pytest.mark.parametrize("name", sorted(WORD_LIST_FILES))
def test_word_lists_hold_no_duplicates(name: str) -> None:
    repeated = [key for key, n in Counter(tuple(r) for r in _rows(name)).items() if n > 1]
    assert not repeated


@pytest.mark.parametrize("name", sorted(WORD_LIST_FILES))
def test_every_list_is_read_by_the_pipeline(name: str) -> None:
    # A list no rule names is dead data (or a misspelt list name, which fails at import).
    unread = {row[0] for row in _rows(name)} - set(re.findall(r'\["(\w+)"\]', PIPELINE_SOURCE))
    assert not unread


def test_word_list_files_are_the_tsvs_beside_the_entity_tables() -> None:
    assert "person_names" in WORD_LIST_FILES and "event_words" in WORD_LIST_FILES
    assert not {"regions", "organizations", "titles"} & set(WORD_LIST_FILES)


def test_reference_version_covers_the_word_lists(tmp_path, monkeypatch) -> None:
    from pipeline import reference

    base = load_reference().version
    for name in WORD_LIST_FILES:
        (tmp_path / f"{name}.tsv").write_bytes((REF_DIR / f"{name}.tsv").read_bytes())
    for name in reference.FILES:
        (tmp_path / f"{name}.tsv").write_bytes((REF_DIR / f"{name}.tsv").read_bytes())
    monkeypatch.setattr(reference, "PACKAGE_DIR", tmp_path)
    assert load_reference().version == base
    with (tmp_path / "place_words.tsv").open("a", encoding="utf-8") as f:
        f.write("area_word\t서해안권\n")
    assert load_reference().version != base


def test_unknown_word_list_file_is_refused() -> None:
    with pytest.raises(ValueError):
        word_lists("no_such_words")


def test_alternation_matches_any_listed_word_only_whole() -> None:
    pattern = re.compile(alternation(("센터", "단지")) + "$")
    assert pattern.search("혁신센터") and pattern.search("산업단지")
    assert not pattern.search("센터장")


def test_loader_keeps_file_order() -> None:
    # First match wins in suffix tuples: the longest suffixes come first in the file.
    suffixes = word_lists("place_words")["place_suffix"]
    assert suffixes[:4] == ("특별자치도", "특별자치시", "광역시", "특별시")
    assert word_lists("text_words")["particle"][0] == "으로부터"
