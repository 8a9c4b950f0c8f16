"""Rules for English text: capitalized names of people, organizations and places."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipeline.reference import alternation, word_lists

from .gazetteer import Gazetteer
from .text import MONTH_ABBREVIATIONS, Candidate, collapse

if TYPE_CHECKING:
    from .context import RuleContext

_WORDS = word_lists("english_words")

# A text with a Latin word of two letters or more may name people and bodies in English.
LATIN = re.compile(r"[A-Za-z]{2,}")
CAP_WORD = r"(?:[A-Z][a-zA-Z0-9'’]*(?:-[A-Za-z0-9]+)*\.?|[A-Z]{2,}[a-z]?s?)"
CONNECTOR = r"(?:of|and|for|on|the|&|de|du)"
# Spaces only: a name never runs across a line break.
CAP_SEQ = re.compile(rf"\b{CAP_WORD}(?:(?:[ ]{CONNECTOR})*[ ]{CAP_WORD})*")
ORG_WORDS = frozenset(_WORDS["org_word"])
# Last words that make a two- or three-word capitalized name a company ('Gabi Tech', 'Hanbit
# Defense'); only as the last word, so 'Defense Secretary …' stays a title.
COMPANY_LAST_WORDS = frozenset(_WORDS["company_last_word"])
# 'Kim Min-ho of Livtech said': a person, then the organization they speak for.
PERSON_OF = re.compile(r"^(.+?) of (?:the )?(.+)$")
PLACE_WORDS = frozenset(_WORDS["place_word"])
EN_TITLES = frozenset(_WORDS["title"])
# After a name: ', the company's chief …', ' said'; before it: 'said ', 'according to '.
TITLE_AFTER = re.compile(r"^,?\s(?:the\s)?(?:[a-z-]+\s){0,3}" + alternation(_WORDS["role_after"]) + r"\b")
SAID_AFTER = re.compile(r"^,?\s" + alternation(_WORDS["speech_verb_after"]) + r"\b")
SAID_BEFORE = re.compile(alternation(_WORDS["speech_cue_before"]) + r"\s$")
ROMAN_SURNAMES = frozenset(_WORDS["roman_surname"])
HYPHEN_NAME = re.compile(
    r"\b([A-Z][a-z]{0,5})\s([A-Z][a-z]+-[a-z]+)\b|\b([A-Z][a-z]+-[a-z]+)\s([A-Z][a-z]{0,5})\b"
)
# A word of three or more letters and a full stop before a space: the end of a sentence.
SENTENCE_END = re.compile(r"\b([A-Za-z][A-Za-z'’-]{2,})\.(?=\s)")
SHORT_FORMS = frozenset(_WORDS["short_form"])
POSSESSIVE = re.compile(r"['’]s?\s")
# An unknown capitalized name is a company when the text says what it is.
COMPANY_AFTER = re.compile(
    r"^,\s(?:an?|the)\s[^,.;“”]{0,50}?\b" + alternation(_WORDS["company_kind"]) + r"\b"
)
ROLE_OF_BEFORE = re.compile(
    r"\b" + alternation(_WORDS["role_of"]) + r"\s(?:of|at)\s(?:the\s)?$"
)
SENTENCE_INITIAL = frozenset(_WORDS["sentence_initial"])
MONTH_WORDS = frozenset(_WORDS["month_word"]) | MONTH_ABBREVIATIONS


def english_candidates(text: str, gazetteer: Gazetteer) -> list[Candidate]:
    """PERSON, ORG and LOCATION mentions from capitalized sequences and their context."""
    out: list[Candidate] = []
    for m in HYPHEN_NAME.finditer(text):
        surname = m.group(1) or m.group(4)
        if surname in ROMAN_SURNAMES:
            out.append(Candidate(m.start(), m.end(), "PERSON", collapse(m.group(0)), priority=4))
    for m in CAP_SEQ.finditer(text):
        pieces = [p for s, e in _split_sentences(text, m.start(), m.end())
                  for p in _split_possessive(text, s, e)]
        for seg_start, seg_end in pieces:
            start, end = _trim(text, seg_start, seg_end)
            if end > start:
                out.extend(_classify(text, start, end, gazetteer))
    return out


def _split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a sequence where a word closes a sentence ("in November. Its director" is no name);
    initials (J.) and short forms (Dr., Inc., Co.) do not close one."""
    pieces: list[tuple[int, int]] = []
    pos = start
    for m in SENTENCE_END.finditer(text, start, end):
        stem = m.group(1)
        if stem in SHORT_FORMS or f"{stem}." in ORG_WORDS:
            continue
        pieces.append((pos, m.end()))
        pos = m.end()
    pieces.append((pos, end))
    return [(s, e) for s, e in pieces if text[s:e].strip()]


def _split_possessive(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut "Korea's Ministry of Science" into "Korea" and "Ministry of Science"."""
    pieces: list[tuple[int, int]] = []
    pos = start
    for m in POSSESSIVE.finditer(text, start, end):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, end))
    return [(s, e) for s, e in pieces if e > s]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop sentence-initial words, titles and month names at the edges of a sequence."""
    words = list(re.finditer(r"\S+", text[start:end]))
    while words and (
        words[0].group(0) in SENTENCE_INITIAL
        or words[0].group(0) in MONTH_WORDS
        or words[0].group(0).lower() in ("of", "and", "for", "on", "the", "&")
    ):
        words.pop(0)
    while words and (
        words[-1].group(0).lower() in ("of", "and", "for", "on", "the", "&", "de", "du")
        or words[-1].group(0) in MONTH_WORDS
    ):
        words.pop()
    if not words:
        return start, start
    s, e = start + words[0].start(), start + words[-1].end()
    while e > s and text[e - 1] in ".’'":
        if text[e - 1] == "." and text[s:e].split()[-1].rstrip(".") + "." in ORG_WORDS:
            break
        e -= 1
    return s, e


def _classify(text: str, start: int, end: int, gazetteer: Gazetteer) -> list[Candidate]:
    """Label one capitalized sequence from its words and its neighbours."""
    surface = text[start:end]
    words = surface.split()
    entry = gazetteer.lookup(surface)
    if entry is not None:
        return []  # the reference matcher handles it
    split = _person_of_org(text, start, end, gazetteer)
    if split is not None:
        return split
    if _is_org_name(surface, gazetteer):
        cut = surface.find(" and ")
        left, right = surface[:cut], surface[cut + 5 :]
        if (
            cut > 0
            and _is_org_name(right, gazetteer)
            and (_is_org_name(left, gazetteer) or _plain_name(left))
        ):
            # "Gyeonggi Techno Park and Chungnam Techno Park" names two organizations, and so
            # does "Garam Data and Bitsro Labs": a name listed with an organization is one too.
            # "Gyeonggi Techno Park and Chungnam Techno Park" names two organizations.
            return [
                Candidate(start + a, start + b, "ORG", collapse(surface[a:b]), priority=1)
                for a, b in ((0, cut), (cut + 5, len(surface)))
                if gazetteer.lookup(surface[a:b]) is None
            ]
        return [Candidate(start, end, "ORG", collapse(surface), priority=1)]
    after, before = text[end : end + 80], text[max(0, start - 40) : start]
    if len(words) <= 4 and (COMPANY_AFTER.match(after) or ROLE_OF_BEFORE.search(before)):
        return [Candidate(start, end, "ORG", collapse(surface), priority=1)]
    if words[-1] in PLACE_WORDS and len(words) >= 2:
        return [Candidate(start, end, "LOCATION", collapse(surface), priority=1)]
    if words[0] in EN_TITLES and len(words) >= 2:
        title_end = start + len(words[0]) + 1
        return _person(text, title_end, end, role=words[0].rstrip("."))
    if not 2 <= len(words) <= 3 or not all(w[0].isupper() and not w.isupper() for w in words):
        return []
    after, before = text[end : end + 60], text[max(0, start - 30) : start]
    if TITLE_AFTER.match(after) or SAID_AFTER.match(after) or SAID_BEFORE.search(before):
        return _person(text, start, end, role=None)
    if re.search(rf"(?:{'|'.join(re.escape(t) for t in EN_TITLES)})\s$", before):
        return _person(text, start, end, role=before.split()[-1].rstrip("."))
    return []


def _is_org_name(surface: str, gazetteer: Gazetteer | None = None) -> bool:
    """True for a capitalized sequence with an organization word, a company last word
    ('Gabi Tech') or a known organization's name."""
    words = surface.split()
    if any(w.rstrip(",") in ORG_WORDS for w in words) or "Techno Park" in surface:
        return True
    if 2 <= len(words) <= 3 and words[-1] in COMPANY_LAST_WORDS and _plain_name(surface):
        return True
    if gazetteer is not None:
        entry = gazetteer.lookup(surface)
        return entry is not None and entry.label == "ORG"
    return False


def _plain_name(surface: str) -> bool:
    """Two or three capitalized words without connectors ('Garam Data')."""
    words = surface.split()
    return (
        1 <= len(words) <= 3
        and all(w[:1].isupper() for w in words)
        and not any(w.lower() in ("of", "and", "for", "on", "the", "&", "de", "du") for w in words)
    )


def _person_name(surface: str) -> bool:
    """A romanized Korean name ('Kim Min-ho') or two or three capitalized words with a surname."""
    m = HYPHEN_NAME.fullmatch(surface)
    if m is not None:
        return (m.group(1) or m.group(4)) in ROMAN_SURNAMES
    words = surface.split()
    return (
        _plain_name(surface)
        and len(words) >= 2
        and (words[0] in ROMAN_SURNAMES or words[-1] in ROMAN_SURNAMES)
    )


def _person_of_org(text: str, start: int, end: int, gazetteer: Gazetteer) -> list[Candidate] | None:
    """'Kim Min-ho of Livtech said': PERSON + ORG (the organization left to the reference
    matcher when it knows it); None when the sequence is not a person 'of' something."""
    m = PERSON_OF.match(text[start:end])
    if m is None or not _person_name(m.group(1)):
        return None
    out = [Candidate(start, start + len(m.group(1)), "PERSON", collapse(m.group(1)), priority=3)]
    org = m.group(2)
    org_start = start + m.start(2)
    if gazetteer.lookup(org) is None and (_is_org_name(org) or _plain_name(org)):
        out.append(Candidate(org_start, end, "ORG", collapse(org), priority=1))
    return out


def _person(text: str, start: int, end: int, role: str | None) -> list[Candidate]:
    """A PERSON candidate when the span looks like a personal name."""
    surface = text[start:end]
    words = surface.split()
    if not words or len(words) > 4 or any(w in ORG_WORDS or w in PLACE_WORDS for w in words):
        return []
    return [Candidate(start, end, "PERSON", collapse(surface), priority=3, role=role)]


def english_surname_mentions(text: str, people: dict[str, str]) -> list[Candidate]:
    """Later bare-surname mentions ('Kim said') of a person named in full earlier."""
    out: list[Candidate] = []
    if not people:
        return out
    pattern = re.compile(
        r"\b("
        + "|".join(re.escape(s) for s in sorted(people, key=len, reverse=True))
        + r")\b(?!\s[A-Z])"
    )
    for m in pattern.finditer(text):
        out.append(
            Candidate(
                m.start(), m.end(), "PERSON", people[m.group(1)], priority=2, extra={"short": True}
            )
        )
    return out


def find_english_names(ctx: RuleContext) -> list[Candidate]:
    """Rule: capitalized English names, in a text that has Latin words."""
    return english_candidates(ctx.text, ctx.gazetteer) if LATIN.search(ctx.text) else []
