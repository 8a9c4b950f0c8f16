"""Reader of the KLUE-NER v1.1 TSV format: one character a line with its BIO tag."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# KLUE types -> our labels; dates, times and quantities are left to the rules.
KLUE_LABELS = {"PS": "PERSON", "OG": "ORG", "LC": "LOCATION"}


@dataclass(frozen=True)
class Sentence:
    """One labelled sentence: its id, text and (start, end, KLUE type) spans."""

    sid: str
    text: str
    spans: tuple[tuple[int, int, str], ...]

    @property
    def is_news(self) -> bool:
        """News sentences (wikitree ids) against movie reviews (nsmc ids)."""
        return not self.sid.endswith("nsmc")


def read_klue(path: Path | str) -> list[Sentence]:
    """Sentences of a KLUE-NER file; spans keep the PS/LC/OG types only."""
    out: list[Sentence] = []
    sid = ""
    chars: list[str] = []
    tags: list[str] = []

    def close() -> None:
        if chars:
            out.append(Sentence(sid, "".join(chars), tuple(spans_of(tags))))
        chars.clear()
        tags.clear()

    for line in Path(path).read_text(encoding="utf-8").split("\n"):
        if line.startswith("## "):
            head = line[3:].split("\t", 1)
            if len(head) == 2 and head[0].startswith("klue-ner"):
                close()
                sid = head[0]
            continue
        if not line:
            close()
            continue
        ch, _, tag = line.rpartition("\t")
        if len(ch) != 1:
            continue
        chars.append(ch)
        tags.append(tag)
    close()
    return out


def spans_of(tags: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, type) of BIO tags, kept to PS/LC/OG; an I without a B opens a span."""
    spans: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        marker, _, t = tag.partition("-")
        if kind and (marker != "I" or t != kind):
            spans.append((start, i, kind))
            kind = ""
        if marker in ("B", "I") and not kind and t in KLUE_LABELS:
            start, kind = i, t
    return spans


def bio_tags(n: int, spans: tuple[tuple[int, int, str], ...] | list) -> list[str]:
    """BIO tags of n characters from (start, end, type) spans."""
    tags = ["O"] * n
    for start, end, kind in spans:
        tags[start] = "B-" + kind
        for i in range(start + 1, end):
            tags[i] = "I-" + kind
    return tags
