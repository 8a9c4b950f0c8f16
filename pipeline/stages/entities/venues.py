"""Industrial complexes and venues, as LOCATION (the gov_press conventions tag both).

- Complexes: one word ending in 산업단지 or 산단 (오창산업단지, 창원국가산업단지, 구미산단), or a name
  and a numbered complex (영일만 4산업단지). Generic kinds (스마트그린산단, 노후 산단, 국가산업단지
  alone) are not names.
- Venues: where something is held, a name ending in 호텔, 회관, 타워, 캠퍼스, 청사 or 컨벤션센터
  right before 에서 (정부서울청사에서, 엘타워에서, 조선팰리스 호텔에서).

Candidates carry the lowest priority: a reference match or another reading of the same span wins.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipeline.reference import alternation, word_lists

from .text import Candidate, collapse

if TYPE_CHECKING:
    from .context import RuleContext

COMPLEX = re.compile(
    r"(?<![가-힣A-Za-z0-9])(?:([가-힣]{2,8}) ([0-9]{1,2}))?([가-힣A-Za-z0-9]{0,12}?)"
    r"(?:국가|일반|첨단|도시첨단)?(?:산업단지|산단)"
    r"(?=[^가-힣]|$|(?:에서|에|의|은|는|이|가|을|를|과|와|로|으로|도|내)(?![가-힣]))")
_WORDS = word_lists("place_words")
VENUE_HEADS = alternation(_WORDS["venue_head"])
VENUE = re.compile(
    r"(?<![가-힣A-Za-z0-9])([가-힣A-Za-z][가-힣A-Za-z0-9]{0,14}" + VENUE_HEADS
    + r"|[가-힣A-Za-z][가-힣A-Za-z0-9]{1,14} 호텔)(?=에서(?![가-힣]))")
VENUE_HEAD = re.compile(VENUE_HEADS + "$")
# Kinds and modifiers, not names: '스마트그린산단', '노후거점산업단지', '연계산단'.
GENERIC_PREFIX = re.compile("^" + alternation(_WORDS["generic_zone_prefix"]) + "?$")


# '서울시내 호텔에서', '인근 호텔에서': where, not which.
NEARBY = re.compile(alternation(_WORDS["nearby_word"]) + "$")


def venue_candidates(text: str) -> list[Candidate]:
    """LOCATION candidates of named industrial complexes and venues."""
    out: list[Candidate] = []
    for m in COMPLEX.finditer(text):
        name, number, stem = m.group(1), m.group(2), m.group(3)
        if number:  # '영일만 4산업단지'
            start = m.start(1)
        elif GENERIC_PREFIX.match(stem):
            continue
        else:
            start = m.start(3)
        if not name and not stem:
            continue
        out.append(Candidate(start, m.end(), "LOCATION", collapse(text[start:m.end()]), priority=0,
                             extra={"kind": "district"}))
    for m in VENUE.finditer(text):
        surface = m.group(1)
        stem = VENUE_HEAD.sub("", surface).strip()
        if not VENUE_HEAD.search(surface) or GENERIC_PREFIX.match(stem) or NEARBY.search(stem):
            continue
        out.append(Candidate(m.start(1), m.end(1), "LOCATION", collapse(surface), priority=0,
                             extra={"kind": "district"}))
    return out


def find_venues(ctx: RuleContext) -> list[Candidate]:
    """Rule: industrial complexes and venues where something is held."""
    return venue_candidates(ctx.text)
