"""In-text definitions and the heads of press releases.

Government releases open with ``중소벤처기업부(장관 박영선, 이하 중기부)는``: the parenthesis names
the head of the body and defines the short name the rest of the document uses. Two things follow:

- ``head_person_candidates``: the person in ``(장관 X …)``, ``(장관: X)``, ``(대표이사 X)``,
  ``(X 부위원장)`` right after a name — a title from the reference list next to a two-to-four
  syllable name inside a parenthesis;
- ``apply_definitions``: ``X(… 이하 Y)``, ``X(이하 ‘Y’)`` and ``X(Y)`` after a chosen entity make
  Y an alias of X for the rest of the document (the definition itself included). A definition in
  the text outranks the reference data: ``산업통상부(장관 김정관, 이하 '산업부')`` makes 산업부
  산업통상부 in that release whatever the tables say.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from pipeline.reference import word_lists

from .text import Candidate

if TYPE_CHECKING:
    from .context import RuleContext

NAME = r"[가-힣]{2,4}"
# What may precede the defined short name inside the parenthesis: '이하', '이하,', '이하:'.
DEFINITION = re.compile(r"이하[,:\s]\s*[‘'\"“]?([A-Za-z가-힣0-9&·\-]{2,15})[’'\"”]?\s*\)")
BARE_PAREN = re.compile(r"^\(\s*[‘'\"“]?([A-Za-z가-힣0-9&·\-]{2,12})[’'\"”]?\s*\)")
# Short names that are ordinary nouns when they stand alone: never document aliases.
COMMON_SHORT = frozenset(word_lists("organization_words")["common_short_name"])
# A particle (or nothing Hangul) after a short name: it ends the word there.
AFTER_NAME = re.compile(r"(?:[^가-힣]|$|(?:은|는|이|가|을|를|과|와|의|에|에서|에게|로|으로|도|만|과의|와의|"
                        r"이며|이다|이고|와는|과는|에서는|측|간)(?![가-힣]))")
DEFINABLE = ("ORG", "LOCATION", "LAW", "TECH")


def _title_pattern(titles: Iterable[str]) -> str:
    words = sorted({t for t in titles if t and re.fullmatch(r"[가-힣0-9]{1,8}", t)}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in words)


class HeadPatterns:
    """Compiled patterns of '(title name' and '(name title' from the title list."""

    def __init__(self, titles: Iterable[str]):
        title = _title_pattern(titles)
        # '(장관 박영선, 이하 …)', '(장관: 이창양)', '(부총리 겸 장관 배경훈, …)', '(위원장 직무대행 이상인, …)'
        self.title_first = re.compile(
            rf"\((?:[^()]{{0,30}}?,\s?)?(?:(?:{title})(?:\s?겸\s?(?:{title}))?(?:\s?직무대행)?)\s?[:：]?\s?({NAME})"
            rf"(?=\s?[,)]|\s이하)")
        # '(김소영 부위원장)', '(장영진 1차관)'
        self.name_first = re.compile(rf"\(({NAME})\s(?:{title}|[0-9]차관)\)")


def head_person_candidates(text: str, patterns: HeadPatterns) -> list[Candidate]:
    """PERSON candidates of heads named in a parenthesis after a body's name."""
    out: list[Candidate] = []
    for rx in (patterns.title_first, patterns.name_first):
        for m in rx.finditer(text):
            start, end = m.span(1)
            out.append(Candidate(start, end, "PERSON", m.group(1), priority=3, extra={"head": True}))
    return out


def document_aliases(text: str, chosen: Sequence[Candidate]) -> dict[str, tuple[str, str, int]]:
    """Short name -> (label, canonical, where its definition starts) of the text's definitions."""
    found: dict[str, tuple[str, str, int]] = {}
    for c in chosen:
        if c.label not in DEFINABLE:
            continue
        rest = text[c.end:c.end + 80]
        if not rest.startswith("("):
            continue
        close = rest.find(")")
        inside = rest[:close + 1] if close > 0 else ""
        m = DEFINITION.search(inside)
        short = m.group(1) if m else None
        if short is None and c.label in ("ORG", "LAW"):
            # 'X(Y)': Y names X when it is an acronym or shorter than X ('서울(종로구)' is not).
            bare = BARE_PAREN.match(rest)
            inner = (c.end + bare.start(1), c.end + bare.end(1)) if bare else None
            # Not when the parenthesis holds another entity ('나노종합기술원(대전)').
            if bare and not any(o.start < inner[1] and inner[0] < o.end for o in chosen) and (
                    _abbreviates(bare.group(1), text[c.start:c.end])):
                short = bare.group(1)
        if not short or short in COMMON_SHORT or short == text[c.start:c.end] or short == c.canonical:
            continue
        found.setdefault(short, (c.label, c.canonical, c.end))
    return found


def _abbreviates(short: str, name: str) -> bool:
    """'정보통신산업진흥원(NIPA)', '한국폴리텍대학(폴리텍)': an acronym of three letters or more, or a
    shorter Korean form sharing a syllable with the name ('LG전자(디바이스)' is a gloss, not a name)."""
    if short.isascii():
        return len(short) >= 3 and short[:1].isupper()
    return len(short) < len(name) and any(ch in name for ch in short[:2])


def alias_candidates(text: str, aliases: dict[str, tuple[str, str, int]]) -> list[Candidate]:
    """Every use of a defined short name from its definition on."""
    out: list[Candidate] = []
    for short, (label, canonical, at) in aliases.items():
        rx = re.compile(r"(?<![가-힣A-Za-z0-9])" + re.escape(short))
        for m in rx.finditer(text, at):
            if not AFTER_NAME.match(text, m.end()):
                continue
            out.append(Candidate(m.start(), m.end(), label, canonical, True, priority=4,
                                 extra={"defined": True}))
    return out


def apply_definitions(text: str, chosen: list[Candidate], resolve) -> list[Candidate]:
    """chosen with the document's defined short names linked (resolve: the overlap resolver)."""
    aliases = document_aliases(text, chosen)
    if not aliases:
        return chosen
    extra = alias_candidates(text, aliases)
    if not extra:
        return chosen
    at = {(c.start, c.end): c for c in extra}
    kept = [c for c in chosen if (c.start, c.end) not in at]
    return resolve(kept + extra)


def find_head_people(ctx: RuleContext) -> list[Candidate]:
    """Rule: the head named at the top of a release ('(장관 X, 이하 Y)')."""
    return head_person_candidates(ctx.text, ctx.heads)
