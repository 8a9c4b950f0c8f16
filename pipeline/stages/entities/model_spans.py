"""Model spans as candidates: trimmed like rule spans (particles, titles, legal-form marks),
linked to the reference data, and given a person's role and affiliation by the title rules."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.reference import word_lists

from .gazetteer import Gazetteer
from .model_backend import Span
from .names import SURNAMES, korean_name_shape
from .text import Candidate, collapse
from .titles import TitleIndex, title_after, title_before
from .words import LEAD_PUNCT, Word

_WORDS = word_lists("organization_words")

TRAIL_PUNCT = ".,;:!?·…\"'“”‘’」』》〉]>"
POSSESSIVE_END = ("'s", "’s")
# Legal-form marks kept outside organisation spans (the gold conventions).
CORP_MARKS = _WORDS["corp_mark"]


def model_candidates(
    text: str,
    spans: Sequence[Span],
    words: list[Word],
    gazetteer: Gazetteer,
    titles: TitleIndex,
) -> list[Candidate]:
    """Candidates from model spans: trimmed like rule spans, linked to the reference data."""
    out: list[Candidate] = []
    for span in spans:
        if span.end > len(text):
            continue
        cand = _candidate(text, span, words, gazetteer, titles)
        if cand is not None:
            out.append(cand)
    org_at = {c.start: c for c in out if c.label in ("ORG", "LOCATION")}
    index = {w.start: i for i, w in enumerate(words)}
    for c in out:
        if c.label == "PERSON":
            _add_role(text, c, words, index, titles, org_at)
    return out


def _candidate(
    text: str, span: Span, words: list[Word], gazetteer: Gazetteer, titles: TitleIndex
) -> Candidate | None:
    """One model span as a candidate: reference-linked when its surface is a known alias."""
    start, end = _strip_corp_mark(text, span.start, span.end)
    start, end = _strip_edges(text, start, end)
    extra = {"model": span.model_label, "score": round(span.score, 4)}
    entry = gazetteer.lookup(text[start:end]) if end > start else None
    role = None
    if entry is None:
        start, end = _strip_particle(text, start, end, words)
        if span.label == "PERSON":
            start, end, role = _strip_title(text, start, end, titles)
        if end <= start:
            return None
        entry = gazetteer.lookup(text[start:end])
    if entry is not None:
        # The reference data types what it knows (a province acting as a body stays LOCATION).
        return Candidate(
            start,
            end,
            entry.label,
            entry.canonical,
            True,
            priority=3,
            extra={**extra, "kind": entry.kind},
        )
    if span.label == "PERSON" and _anonymised_after(text, start, end):
        end += 1  # 김모(45)씨: '김모' is the name as this project marks it
    surface = text[start:end]
    if span.label == "PERSON" and len(surface) == 1 and surface in SURNAMES:
        extra["short"] = True  # '김 장관': linked to the full name by link_people
    return Candidate(start, end, span.label, collapse(surface), priority=3, role=role, extra=extra)


def _strip_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """Span without surrounding spaces, quote marks, brackets or a possessive 's."""
    while start < end and (text[start].isspace() or text[start] in LEAD_PUNCT):
        start += 1
    while end > start:
        last = text[end - 1]
        unopened = last == ")" and "(" not in text[start : end - 1]
        if last.isspace() or last in TRAIL_PUNCT or unopened:
            end -= 1
        elif text[start:end].endswith(POSSESSIVE_END) and end - start > 2:
            end -= 2
        else:
            break
    return start, end


def _strip_corp_mark(text: str, start: int, end: int) -> tuple[int, int]:
    """Span without a legal-form mark before or after the name ((주)해온세미 -> 해온세미)."""
    surface = text[start:end]
    for mark in CORP_MARKS:
        if surface.startswith(mark) and len(surface) > len(mark):
            start += len(mark)
            while start < end and text[start] == " ":
                start += 1
            break
        if surface.endswith(mark) and len(surface) > len(mark):
            end -= len(mark)
            while end > start and text[end - 1] == " ":
                end -= 1
            break
    return start, end


def _anonymised_after(text: str, start: int, end: int) -> bool:
    """True for a lone surname followed by 모 and no other syllable (김모씨, 김모(45))."""
    return (
        end - start == 1
        and text[start] in SURNAMES
        and text[end : end + 1] == "모"
        and not ("가" <= text[end + 1 : end + 2] <= "힣" and text[end + 1 : end + 2] != "씨")
    )


def _strip_particle(text: str, start: int, end: int, words: list[Word]) -> tuple[int, int]:
    """Cut a particle glued to the span's last word ('과기부는' -> '과기부'), as Kiwi reads it."""
    word = next((w for w in words if w.start < end <= w.end), None)
    if word is None or end <= word.core_end or word.core_end <= max(start, word.start):
        return start, end
    return start, word.core_end


def _strip_title(
    text: str, start: int, end: int, titles: TitleIndex
) -> tuple[int, int, str | None]:
    """Cut a title or 씨 before or after a name ('김철수 장관', '원장 정진수', '김철수씨')."""
    role: str | None = None
    parts = text[start:end].split(" ")
    if len(parts) > 1 and (parts[-1] == "씨" or titles.suffix(parts[-1]) == parts[-1]):
        role = None if parts[-1] == "씨" else parts[-1]
        end = start + len(" ".join(parts[:-1]))
    elif len(parts) > 1 and titles.suffix(parts[0]) == parts[0]:
        role = parts[0]
        start += len(parts[0]) + 1
    else:
        core = text[start:end]
        title = titles.suffix(core)
        if core.endswith("씨") and korean_name_shape(core[:-1]):
            end -= 1
        elif title and len(core) > len(title) and korean_name_shape(core[: -len(title)]):
            role, end = title, end - len(title)
    return start, end, role


def _add_role(
    text: str,
    person: Candidate,
    words: list[Word],
    index: dict[int, int],
    titles: TitleIndex,
    org_at: dict[int, Candidate],
) -> None:
    """Role and affiliation from the words around a person, by the rules used for rule names."""
    first = index.get(person.start)
    last = next((i for i, w in enumerate(words) if w.start < person.end <= w.end), None)
    if first is None or last is None or words[last].core_end != person.end:
        return
    cue = title_after(text, words, last, titles, org_at) or title_before(
        words, first, titles, org_at
    )
    if cue is not None:
        person.role = person.role or cue[0]
        person.affiliation = person.affiliation or cue[1]
