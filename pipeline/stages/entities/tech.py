"""TECH mentions as government releases write them.

Releases gloss loanwords with a Korean rendering and put the loanword in parentheses:
``지능형(스마트)공장``, ``자체가동(온디바이스) 인공지능(AI)``, ``인터넷기반자원공유(클라우드)``,
``인공지능(AI) 반도체``. Reading each ``A(B)`` as B gives the taxonomy's spelling (스마트공장,
온디바이스 AI, 클라우드, AI 반도체); the mention spans the glossed text as written. Kinds are
written as glued compounds of a head noun (제조로봇, 하역로봇, 전력반도체): with a head of
``tech_usage.tsv`` the whole word is the mention. Bare field names (인공지능, AI, 소프트웨어) are
never mentions by themselves (``use = field``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.reference import Reference, alternation, word_lists

from .text import Candidate, collapse

if TYPE_CHECKING:
    from .context import RuleContext

GLOSS = re.compile(r"([가-힣]+)\(([가-힣A-Za-z0-9][가-힣A-Za-z0-9\- ]{0,14})\)")
# What a glossed reading must not be: numbers, marks like (주), dates.
NOT_GLOSS = re.compile(r"^(?:주|재|사|사단|재단|[0-9 ]+|[월화수목금토일])$")
HANGUL = re.compile(r"[가-힣]")
# A kind glued to its head: '제조로봇', '이족보행로봇' (2+ Hangul before the head, no particle end).
MODIFIER = r"[가-힣]{2,8}"
# Modifiers that make a name or a place, not a kind ('한국로봇산업협회', '용인 반도체 클러스터').
NOT_KIND_START = re.compile("^" + alternation(word_lists("tech_words")["not_kind_start"]))
PARTY_AFTER = re.compile(r"(?:이|가|은|는|社|\(주\)|㈜)(?:\s|$)")
PARTICLE_END = re.compile(r"(?:은|는|이|가|을|를|과|와|의|에|로|도|및|등)$")


@dataclass(frozen=True)
class TechTerm:
    canonical: str
    field_only: bool


class TechIndex:
    """Aliases of the taxonomy compiled for glossed and glued forms."""

    def __init__(self, reference: Reference):
        usage = {collapse(u.term): u.use for u in reference.tech_usage}
        self.terms: dict[str, TechTerm] = {}
        for tech in reference.technologies:
            field_only = usage.get(collapse(tech.canonical)) == "field"
            for alias in (tech.canonical, *tech.aliases):
                key = _key(alias)
                if len(key) >= 2 and key not in self.terms:
                    self.terms[key] = TechTerm(tech.canonical, field_only)
        heads = [u for u, use in usage.items() if use == "head"]
        aliases = sorted({a for t in reference.technologies for a in (t.canonical, *t.aliases)
                          if len(_key(a)) >= 2}, key=len, reverse=True)
        # Spaces inside an alias match any spacing, and none ('스마트 공장', '스마트공장').
        parts = [r"\s?".join(re.escape(ch) for ch in alias.replace(" ", "")) for alias in aliases]
        self.pattern = re.compile("(?:" + "|".join(parts) + ")") if parts else None
        self.head_pattern = (re.compile(rf"(?<![가-힣])({MODIFIER})(?:{'|'.join(map(re.escape, heads))})")
                             if heads else None)

    def lookup(self, surface: str) -> TechTerm | None:
        return self.terms.get(_key(surface))


def _key(text: str) -> str:
    return re.sub(r"\s+", "", collapse(text)).lower()


def _is_boundary_ok(text: str, start: int, end: int) -> bool:
    """A Latin alias must not sit inside a Latin word; a Hangul one must start a word."""
    before = text[start - 1:start]
    after = text[end:end + 1]
    if text[start].isascii() and text[start].isalnum() and before.isascii() and before.isalnum():
        return False
    if text[end - 1].isascii() and text[end - 1].isalnum() and after.isascii() and after.isalnum():
        return False
    return not (HANGUL.match(text[start]) and HANGUL.match(before or " "))


def _readings(text: str) -> tuple[str, list[int], list[int]]:
    """text with every gloss A(B) read as B; for each character its start and end in text."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for m in GLOSS.finditer(text):
        inner = m.group(2).strip()
        if NOT_GLOSS.match(inner) or not inner:
            continue
        for i in range(pos, m.start()):
            out.append(text[i])
            starts.append(i)
            ends.append(i + 1)
        for k, ch in enumerate(inner):
            out.append(ch)
            starts.append(m.start() if k == 0 else m.start(2) + k)
            ends.append(m.end() if k == len(inner) - 1 else m.start(2) + k + 1)
        pos = m.end()
    for i in range(pos, len(text)):
        out.append(text[i])
        starts.append(i)
        ends.append(i + 1)
    return "".join(out), starts, ends


def tech_candidates(text: str, index: TechIndex) -> list[Candidate]:
    """TECH candidates: taxonomy aliases in the text and in its glossed reading, and head kinds."""
    if index.pattern is None:
        return []
    out: list[Candidate] = []
    if "(" in text:
        reading, starts, ends = _readings(text)
    else:  # no gloss to read: the text is its own reading (most texts, and long ones)
        reading, starts, ends = text, None, None
    for m in index.pattern.finditer(reading):
        term = index.lookup(m.group())
        if term is None or term.field_only:
            continue
        start, end = ((starts[m.start()], ends[m.end() - 1]) if starts is not None
                      else (m.start(), m.end()))
        if not _is_boundary_ok(text, start, end) and not _is_boundary_ok(reading, m.start(), m.end()):
            continue
        canonical = term.canonical
        out.append(Candidate(start, end, "TECH", canonical, True, priority=3, extra={"gloss": True}))
    if index.head_pattern is not None:
        for m in index.head_pattern.finditer(text):
            modifier = m.group(1)
            if NOT_KIND_START.match(modifier) or PARTICLE_END.search(modifier):
                continue
            surface = m.group()
            term = index.lookup(surface)
            if term is None and PARTY_AFTER.match(text, m.end()):
                continue  # '하람반도체가 …에 선정됐다': a company named after its field acts
            canonical = term.canonical if term is not None else surface
            # Any other reading of the same span (a company, a place) wins over a guessed kind.
            out.append(Candidate(m.start(), m.end(), "TECH", canonical, term is not None,
                                 priority=3 if term is not None else 0))
    return out


def find_tech(ctx: RuleContext) -> list[Candidate]:
    """Rule: technology terms, glossed and glued forms included."""
    return tech_candidates(ctx.text, ctx.tech)
