"""ORG rules: noun compounds that end in an organization suffix, and names beside (주)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipeline.reference import word_lists

from .gazetteer import Gazetteer
from .places import NAMED_ZONE_SUFFIXES
from .text import Candidate, Tok, collapse, strip_particle
from .words import first_suffix, noun_compounds

if TYPE_CHECKING:
    from .context import RuleContext

_WORDS = word_lists("organization_words")

# Longest first: the first that ends a compound is its suffix.
ORG_SUFFIXES = _WORDS["org_suffix"]
# The file's first twelve (테크노파크 … 협회): bodies, never a company's own name.
INSTITUTION_SUFFIXES = ORG_SUFFIXES[:12]
# Suffixes strong enough to make an ORG from common nouns alone (중소벤처기업부, 고용노동부).
STRONG_SUFFIXES = frozenset(_WORDS["strong_suffix"])
# Compounds that end like an organization but name a thing or a group of people.
GENERIC_ORGS = frozenset(_WORDS["generic_org"])
SUBUNIT_SUFFIXES = _WORDS["subunit_suffix"]
# A quoted name of several words ending so names a body, not a law (laws.py).
ORG_NAME_SUFFIXES = _WORDS["quoted_org_suffix"]
# The company name next to (주) is the span; the legal-form mark stays outside it.
# Bounded and anchored at a word start: an unbounded run before "(주)" backtracks quadratically.
CORP_MARK = re.compile(
    r"(?:\(주\)|㈜)\s?([가-힣A-Za-z0-9&]{1,30})|(?<![가-힣A-Za-z0-9&])([가-힣A-Za-z0-9&]{2,30})\(주\)"
)


def org_candidates(text: str, tokens: list[Tok], gazetteer: Gazetteer) -> list[Candidate]:
    """Unknown organizations: noun compounds ending in an organization suffix, (주) forms."""
    out: list[Candidate] = []
    for start, end, toks in noun_compounds(tokens):
        surface = text[start:end]
        suffix = first_suffix(surface, ORG_SUFFIXES)
        if suffix is None or surface in GENERIC_ORGS or len(surface) <= len(suffix):
            continue
        if surface.endswith((*SUBUNIT_SUFFIXES, *NAMED_ZONE_SUFFIXES)):
            continue
        # Strip a leading generic word glued to the name (e.g. 국내 삼성전자 is two words anyway).
        has_proper = any(t.tag in ("NNP", "SL", "SH") for t in toks)
        if not has_proper and not (suffix in STRONG_SUFFIXES and len(surface) >= 5):
            continue
        if has_proper and len(surface) < 3:
            continue
        if gazetteer.lookup(surface) is not None:
            continue  # the reference matcher already links it
        out.append(Candidate(start, end, "ORG", collapse(surface), priority=1))
    for m in CORP_MARK.finditer(text):
        g = 1 if m.group(1) else 2
        name = strip_particle(m.group(g)) if g == 1 else m.group(g)
        start = m.start(g)
        out.append(Candidate(start, start + len(name), "ORG", name, priority=3))
    return out


def find_organizations(ctx: RuleContext) -> list[Candidate]:
    """Rule: noun compounds ending in an organization suffix, names beside (주)."""
    return org_candidates(ctx.text, ctx.tokens, ctx.gazetteer)
