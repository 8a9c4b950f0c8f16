"""LAW rules: statute names built on a noun compound, and quoted statute titles."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipeline.reference import word_lists

from .organizations import ORG_NAME_SUFFIXES
from .text import Candidate, Tok, collapse
from .words import noun_compounds

if TYPE_CHECKING:
    from .context import RuleContext

_WORDS = word_lists("law_words")

# Named laws and programmes: '소프트웨어진흥법', ‘지역 AX 혁신거점 조성사업’.
LAW_WORD_SUFFIXES = _WORDS["law_suffix"]
GENERIC_LAW_WORDS = frozenset(_WORDS["generic_law_word"])
QUOTED_NAME = re.compile(r"[‘“'\"「『]([^‘’“”'\"「」『』\n]{3,40})[’”'\"」』]")
# Quoted names that are statutes (programmes, plans and strategies are not LAW).
STATUTE_NAME_SUFFIXES = _WORDS["statute_name_suffix"]
# A decree or rule written after the statute's name: not part of the LAW span.
STATUTE_TAIL = re.compile(r"\s(?:시행령|시행규칙|개정안|일부개정법률안)$")


def law_candidates(text: str, tokens: list[Tok]) -> list[Candidate]:
    """Statute names: law words built on a noun compound, and quoted statute titles.

    Only the law's name is LAW: a decree or rule written after it (``특허법 시행령``) stays outside,
    and programmes, plans and bodies named in quotes (‘…지원사업’, 「…전략」) are not laws.
    """
    out: list[Candidate] = []
    for start, end, toks in noun_compounds(tokens):
        surface = text[start:end]
        tail = STATUTE_TAIL.search(surface)
        if tail and tail.start() >= 2:
            end = start + tail.start()
            surface = text[start:end]
        if (
            len(surface) >= 3
            and surface.endswith(LAW_WORD_SUFFIXES)
            and len(toks) >= 2
            and surface not in GENERIC_LAW_WORDS
        ):
            out.append(Candidate(start, end, "LAW", surface, priority=1))
    for m in QUOTED_NAME.finditer(text):
        name = m.group(1).strip()
        start = m.start(1) + m.group(1).index(name)
        if name.endswith(STATUTE_NAME_SUFFIXES) and name not in GENERIC_LAW_WORDS:
            out.append(Candidate(start, start + len(name), "LAW", collapse(name), priority=1))
        elif name.endswith(ORG_NAME_SUFFIXES) and " " in name:
            out.append(Candidate(start, start + len(name), "ORG", collapse(name), priority=1))
    return out


def find_laws(ctx: RuleContext) -> list[Candidate]:
    """Rule: statute names (소프트웨어진흥법, ‘…에 관한 법률’)."""
    return law_candidates(ctx.text, ctx.tokens)
