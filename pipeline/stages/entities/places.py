"""LOCATION rules: address chains, unknown place names, zones and areas, places glued to a title."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipeline.reference import word_lists

from .gazetteer import Gazetteer
from .names import NAME_STOPWORDS
from .text import HANGUL, Candidate
from .words import Word, first_suffix

if TYPE_CHECKING:
    from .context import RuleContext

_WORDS = word_lists("place_words")

# A place glued to an office title (수원시장, 경기지사, 강남구청장) is a LOCATION plus a title.
PLACE_TITLES = _WORDS["place_title"]
PLACE_SUFFIXES = _WORDS["place_suffix"]
FINE_PLACE_SUFFIXES = _WORDS["fine_place_suffix"]
COARSE_PLACE_SUFFIXES = PLACE_SUFFIXES[4:]  # what an unknown place name may end in
ZONE_SUFFIXES = _WORDS["zone_suffix"]
# The file's first ten (국가산업단지 … 국제공항): a compound ending so is a zone, not a body.
NAMED_ZONE_SUFFIXES = ZONE_SUFFIXES[:10]
# Regions named by a zone word (수도권 = the capital area); closed list, not a suffix rule.
AREA_WORDS = frozenset(_WORDS["area_word"])
ZONE_CORE = re.compile(r"[가-힣0-9·]+")


def place_candidates(text: str, words: list[Word], gazetteer: Gazetteer) -> list[Candidate]:
    """Address chains (경기 성남시 분당구) as one LOCATION; unknown NNP places (판교동)."""
    out: list[Candidate] = []
    i = 0
    n = len(words)
    while i < n:
        part = _place_part(words[i], gazetteer)
        if part is None:
            i += 1  # most words: no chain starts here
            continue
        chain: list[tuple[Word, str, bool]] = [(words[i], *part)]
        after_known = part[1]  # a known place is in the chain
        j = i + 1
        # The chain goes on through adjacent words until one has a particle or punctuation.
        while j < n and not words[j - 1].has_tail and words[j].start == words[j - 1].end + 1:
            part = _place_part(words[j], gazetteer, after_known=after_known)
            if part is None:
                break
            chain.append((words[j], *part))
            after_known = after_known or part[1]
            j += 1
        if len(chain) >= 2 and any(known for _, _, known in chain):
            first, last = chain[0][0], chain[-1][0]
            canonical = text[first.start : last.core_end]
            out.append(
                Candidate(
                    first.start,
                    last.core_end,
                    "LOCATION",
                    canonical,
                    known=all(k for _, _, k in chain),
                    priority=2,
                )
            )
            i = j
            continue
        if len(chain) == 1 and not chain[0][2]:
            word = chain[0][0]
            toks = word.tokens
            if (
                len(toks) >= 1
                and toks[0].tag == "NNP"
                and toks[0].end == word.core_end
                and word.core.endswith(FINE_PLACE_SUFFIXES)
                and 3 <= len(word.core) <= 5
            ):
                out.append(Candidate(word.start, word.core_end, "LOCATION", word.core, priority=0))
        i = j
    return out


def zone_candidates(words: list[Word], gazetteer: Gazetteer) -> list[Candidate]:
    """Named zones and areas: 남동국가산업단지, 부산항, 판교역, 수도권."""
    out: list[Candidate] = []
    for word in words:
        core = word.core
        # _is_zone needs a zone suffix: test that here first (one C-level test per word).
        if core in AREA_WORDS or (core.endswith(ZONE_SUFFIXES) and _is_zone(word, gazetteer)):
            out.append(Candidate(word.start, word.core_end, "LOCATION", core, priority=1))
    return out


def _is_zone(word: Word, gazetteer: Gazetteer) -> bool:
    """A word naming an industrial zone, port, station or district by its suffix."""
    core = word.core
    suffix = first_suffix(core, ZONE_SUFFIXES)
    if suffix is None or len(core) <= len(suffix) or not ZONE_CORE.fullmatch(core):
        return False
    stem = core[: -len(suffix)]
    entry = gazetteer.lookup(stem)
    if entry is not None and entry.label == "LOCATION":
        return True
    if len(suffix) == 1:
        return False  # 항/역 only after a known place (부산항, 판교역): 사항, 역할 are words
    inner = [t for t in word.tokens if t.start < word.core_end]
    return len(stem) >= 2 and (
        any(t.tag == "NNP" for t in inner) or len(suffix) >= 3 or any(ch.isdigit() for ch in stem)
    )


def _place_part(
    word: Word, gazetteer: Gazetteer, after_known: bool = False
) -> tuple[str, bool] | None:
    """(canonical, known) when word's noun part is a known region or an NNP place name."""
    core = word.core
    if not core:
        return None
    entry = gazetteer.lookup(core)
    if entry is not None and entry.label == "LOCATION":
        return entry.canonical, True
    if entry is not None:
        return None
    if after_known and (core in AREA_WORDS or _is_zone(word, gazetteer)):
        return core, False
    hangul = HANGUL.match(core) is not None
    if after_known and hangul and 2 <= len(core) <= 3 and core not in NAME_STOPWORDS:
        inner = [t for t in word.tokens if t.start < word.core_end]
        if inner and all(t.tag == "NNP" for t in inner):
            return core, False  # 성남시 판교, 충북 오송, 캐나다 오타와
    if not hangul or len(core) < 2 or not core.endswith(COARSE_PLACE_SUFFIXES):
        return None
    inner = [t for t in word.tokens if t.start < word.core_end]
    if inner and inner[0].tag == "NNP" and inner[-1].end >= word.core_end:
        return core, False
    return None


def glued_place_candidates(words: list[Word], gazetteer: Gazetteer) -> list[Candidate]:
    """The place part of '수원시장', '경기지사', '강남구청장'."""
    out: list[Candidate] = []
    for word in words:
        core = word.core
        if not core.endswith(PLACE_TITLES):
            continue  # one C-level test rejects most words
        for title in PLACE_TITLES:
            if core.endswith(title) and len(core) > len(title):
                entry = gazetteer.lookup(core[: -len(title)])
                if entry is not None and entry.label == "LOCATION":
                    end = word.start + len(core) - len(title)
                    out.append(
                        Candidate(word.start, end, "LOCATION", entry.canonical, True, priority=2)
                    )
                    break
    return out


def find_zones(ctx: RuleContext) -> list[Candidate]:
    """Rule: named zones and areas (남동국가산업단지, 부산항, 수도권)."""
    return zone_candidates(ctx.words, ctx.gazetteer)


def find_places(ctx: RuleContext) -> list[Candidate]:
    """Rule: address chains and unknown place names (경기 성남시 분당구, 판교동)."""
    return place_candidates(ctx.text, ctx.words, ctx.gazetteer)
