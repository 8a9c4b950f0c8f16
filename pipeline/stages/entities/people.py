"""PERSON rules: Korean names cued by a title or 씨, surnames before a title, foreign names."""

from __future__ import annotations

import re

from .companies import company_tail
from .context import ORG_OR_LOC, RuleContext
from .gazetteer import Gazetteer
from .names import (
    DOUBLE_SURNAME_FALSE,
    DOUBLE_SURNAMES,
    NAME_STOPWORDS,
    NAME_TAIL_STOP,
    SURNAMES,
    korean_name_shape,
)
from .organizations import ORG_SUFFIXES
from .text import HANGUL, PARTICLES, Candidate
from .titles import TitleIndex, title_after, title_before
from .words import Word

ANON_SSI = re.compile(
    r"(?<![A-Za-z0-9])([A-Z])(?:\s?\(\d{1,3}\))?\s?씨(?![가-힣])|(?<![A-Za-z0-9])([A-Z])(?:\s?\(\d{1,3}\))?\s?씨(?=[는가의를와에도께])"
)
MO_SSI = re.compile(r"(?<![가-힣])([가-힣]모)(?:\s?\(\d{1,3}\))?\s?씨")


def is_name_like(word: Word, gazetteer: Gazetteer, surname_only: bool = False) -> bool:
    """True when the noun part of word looks like a Korean personal name."""
    core = word.core
    core = core.removesuffix("씨")
    # Cheap tests first: the lengths and first syllables that the shape tests below accept.
    if not (len(core) == 1 if surname_only else 2 <= len(core) <= 4):
        return False
    if not surname_only and core[:1] not in SURNAMES and core[:2] not in DOUBLE_SURNAMES:
        return False
    if not HANGUL.match(core) or core in NAME_STOPWORDS or core in NAME_TAIL_STOP:
        return False
    if surname_only:
        return len(core) == 1 and core in SURNAMES
    if not korean_name_shape(core) or gazetteer.lookup(core) is not None:
        return False
    if core.endswith(ORG_SUFFIXES) and len(core) > 3:
        return False
    if len(core) >= 4 and company_tail(core) is not None:
        return False  # 하람테크 starts with a surname but ends like a company
    if len(core) == 3:
        return True  # the usual shape; Kiwi's tags for rare names are unreliable (임/채/원)
    if len(core) == 4 and core[:2] in DOUBLE_SURNAMES and not core.endswith(DOUBLE_SURNAME_FALSE):
        return True  # 남궁하윤: Kiwi may read a rare four-syllable name as a common noun
    first = word.tokens[0] if word.tokens else None
    # Two-syllable names collide with common words: trust Kiwi's proper-noun tag only.
    return first is not None and first.tag == "NNP" and first.end >= word.core_end


def name_core(word: Word) -> tuple[int, int]:
    """Offsets of the name in a word, without 씨 or particles."""
    end = word.core_end
    if word.text[: end - word.start].endswith("씨") and end - word.start > 2:
        end -= 1
    return word.start, end


def person_candidates(
    text: str, words: list[Word], titles: TitleIndex, gazetteer: Gazetteer, orgs: list[Candidate]
) -> list[Candidate]:
    """PERSON mentions cued by a title, 씨 or 모 씨, plus anonymized A씨 forms."""
    out: list[Candidate] = []
    org_at = {c.start: c for c in orgs}
    for i, word in enumerate(words):
        if not is_name_like(word, gazetteer):
            continue
        start, end = name_core(word)
        cand = title_after(text, words, i, titles, org_at) or title_before(
            words, i, titles, org_at
        )
        if cand is None and _ssi_follows(text, word, words, i):
            cand = (None, None)
        if cand is not None:
            role, affiliation = cand
            out.append(
                Candidate(
                    start,
                    end,
                    "PERSON",
                    text[start:end],
                    priority=4,
                    role=role,
                    affiliation=affiliation,
                )
            )
    for m in MO_SSI.finditer(text):
        out.append(Candidate(m.start(1), m.end(1), "PERSON", m.group(1), priority=4))
    for m in ANON_SSI.finditer(text):
        g = 1 if m.group(1) else 2
        out.append(Candidate(m.start(g), m.end(g), "PERSON", m.group(g), priority=4))
    return out


def _ssi_follows(text: str, word: Word, words: list[Word], i: int) -> bool:
    """True for '김하늘 씨' or '김하늘씨는'."""
    if word.core.endswith("씨") and len(word.core) >= 3:
        return True
    if word.has_tail or i + 1 >= len(words):
        return False
    nxt = words[i + 1].text
    return nxt == "씨" or (nxt.startswith("씨") and nxt[1:] in PARTICLES) or nxt.startswith("씨,")


def short_person_candidates(text: str, words: list[Word], titles: TitleIndex) -> list[Candidate]:
    """'김 장관은' / '정 원장은': a surname alone followed by a title (linked later)."""
    out: list[Candidate] = []
    for i, word in enumerate(words[:-1]):
        core = word.core
        if word.has_tail or len(core) != 1 or core not in SURNAMES or word.end - word.start != 1:
            continue
        nxt = words[i + 1]
        title = titles.suffix(nxt.core)
        # '홍재석 전 차관': 전 after a name means "former", not a surname.
        after_name = i > 0 and not words[i - 1].has_tail and korean_name_shape(words[i - 1].core)
        if title is not None and nxt.core == title and not after_name:
            out.append(
                Candidate(
                    word.start,
                    word.end,
                    "PERSON",
                    core,
                    priority=4,
                    role=title,
                    extra={"short": True},
                )
            )
    return out


def foreign_name_candidates(
    text: str,
    words: list[Word],
    titles: TitleIndex,
    gazetteer: Gazetteer,
    org_at: dict[int, Candidate],
) -> list[Candidate]:
    """Two-word transliterated names cued by a title: '마크 헨더슨 미국 국무장관은'."""
    out: list[Candidate] = []
    part: dict[int, bool] = {}  # word index -> _foreign_part (a word is w2, then w1)

    def foreign(k: int) -> bool:
        if k not in part:
            part[k] = _foreign_part(words[k], gazetteer)
        return part[k]

    for i in range(len(words) - 1):
        w1, w2 = words[i], words[i + 1]
        if w1.has_tail or w2.start != w1.end + 1:
            continue
        if not (foreign(i) and foreign(i + 1)):
            continue
        inner = [t for w in (w1, w2) for t in w.tokens if t.start < w.core_end]
        if not inner or any(t.tag != "NNP" for t in inner):
            continue  # Kiwi tags transliterated names NNP; common words are NNG
        cue = title_after(text, words, i + 1, titles, org_at) or title_before(
            words, i, titles, org_at
        )
        if cue is not None:
            end = w2.core_end
            out.append(
                Candidate(
                    w1.start,
                    end,
                    "PERSON",
                    text[w1.start : end],
                    priority=4,
                    role=cue[0],
                    affiliation=cue[1],
                )
            )
    return out


def _foreign_part(word: Word, gazetteer: Gazetteer) -> bool:
    """A Hangul word that could be one part of a transliterated foreign name."""
    core = word.core
    return (
        2 <= len(core) <= 5
        and HANGUL.match(core) is not None
        and core not in NAME_STOPWORDS
        and not (len(core) == 3 and korean_name_shape(core))
        and not (core[:2] in DOUBLE_SURNAMES and korean_name_shape(core))
        and gazetteer.lookup(core) is None
        and not core.endswith(ORG_SUFFIXES)
    )


def find_people(ctx: RuleContext) -> list[Candidate]:
    """Rule: names cued by a title or 씨; organizations found so far give the affiliation."""
    return person_candidates(ctx.text, ctx.words, ctx.titles, ctx.gazetteer,
                             ctx.found_as(*ORG_OR_LOC))


def find_short_people(ctx: RuleContext) -> list[Candidate]:
    """Rule: a surname alone before a title ('김 장관은'), linked to the full name later."""
    return short_person_candidates(ctx.text, ctx.words, ctx.titles)


def find_foreign_people(ctx: RuleContext) -> list[Candidate]:
    """Rule: two-word transliterated names cued by a title ('마크 헨더슨 미국 국무장관은')."""
    org_at = {c.start: c for c in ctx.found_as(*ORG_OR_LOC)}
    return foreign_name_candidates(ctx.text, ctx.words, ctx.titles, ctx.gazetteer, org_at)
