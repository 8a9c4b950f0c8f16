"""Words (eojeol) of a text with their Kiwi tokens and noun parts: what the Korean rules read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import Tok, strip_particle

ORG_NOUN_TAGS = frozenset({"NNG", "NNP", "SL", "SH", "SN", "XSN"})
CORE_TAGS = ORG_NOUN_TAGS | {"XPN", "NR"}
# Kiwi misreads rare names as adverbs or determiners (임/NNP 채/MAG 원/NNG): then the word is
# cut at its particle by spelling instead.
MISREAD_TAGS = frozenset({"MAG", "MM", "MAJ", "IC", "VV", "VA", "XR"})
LEAD_PUNCT = "(“‘\"'[<「『·"
WORD = re.compile(r"\S+")
CORE_RUN = re.compile(r"[가-힣A-Za-z0-9·]+")  # a word's noun part when its tokens do not tell
_LAST_COMPOUNDS: list = [None, None]  # tokens, runs: the law and org rules read the same runs


@dataclass(slots=True, init=False)
class Word:
    """A whitespace-delimited word (eojeol) with its tokens and its noun part; read-only.

    Slotted and not frozen: the rules build ~600 words per article and read them thousands of
    times, and a frozen dataclass is twice as slow to build (object.__setattr__ per field).
    """

    start: int
    end: int
    text: str
    tokens: tuple[Tok, ...]
    core_end: int  # end of the leading noun part (particles and punctuation excluded)
    # Derived from the fields above once, not at every use.
    core: str = field(repr=False, compare=False)  # the noun part of the word
    has_tail: bool = field(repr=False, compare=False)  # a particle or punctuation follows it

    def __init__(self, start: int, end: int, text: str, tokens: tuple[Tok, ...], core_end: int):
        self.start = start
        self.end = end
        self.text = text
        self.tokens = tokens
        self.core_end = core_end
        self.core = text[: core_end - start]
        self.has_tail = core_end < end


def split_words(text: str, tokens: list[Tok]) -> list[Word]:
    """Words of text (leading brackets and quote marks cut off) with tokens and noun parts."""
    words: list[Word] = []
    # Plain int lists: the two scans below read every token's offsets.
    tok_starts = [t.start for t in tokens]
    tok_ends = [t.end for t in tokens]
    n = len(tokens)
    ti = 0
    for m in WORD.finditer(text):
        start, end = m.span()
        while start < end - 1 and text[start] in LEAD_PUNCT:
            start += 1
        while ti < n and tok_ends[ti] <= start:
            ti += 1
        tj = ti
        while tj < n and tok_starts[tj] < end:
            tj += 1
        toks = tuple(tokens[ti:tj])
        words.append(Word(start, end, text[start:end], toks, _core_end(start, end, text, toks)))
        ti = tj
    return words


def _core_end(start: int, end: int, text: str, toks: tuple[Tok, ...]) -> int:
    """End of the leading run of noun tokens of a word, or of its Hangul/Latin prefix."""
    if toks and toks[0].start <= start:
        for t in toks[1:]:
            if t.tag in MISREAD_TAGS:
                break
        else:
            core = start
            for t in toks:
                if t.tag in CORE_TAGS or t.tag == "NNB" and t.form in ("내", "외"):
                    if t.start > core + 1:
                        break
                    core = max(core, t.end)
                else:
                    break
            if core > start:
                return min(core, end)
    m = CORE_RUN.match(text, start, end)
    return start + (len(strip_particle(m.group(0))) if m else 0)


def noun_compounds(tokens: list[Tok]) -> list[tuple[int, int, list[Tok]]]:
    """Maximal runs of adjacent noun tokens (no space between them); callers only read them."""
    if _LAST_COMPOUNDS[0] is tokens:
        return _LAST_COMPOUNDS[1]
    runs: list[tuple[int, int, list[Tok]]] = []
    current: list[Tok] = []
    end = -1  # end of the run's last token
    for t in tokens:
        if t.tag in ORG_NOUN_TAGS:
            if current and end == t.start:
                current.append(t)
            else:
                if current:
                    runs.append((current[0].start, end, current))
                current = [t]
            end = t.end
        elif current:
            runs.append((current[0].start, end, current))
            current = []
    if current:
        runs.append((current[0].start, end, current))
    _LAST_COMPOUNDS[:] = [tokens, runs]
    return runs


def first_suffix(word: str, suffixes: tuple[str, ...]) -> str | None:
    """The first of suffixes that word ends with; one C-level test rejects most words."""
    if not word.endswith(suffixes):
        return None
    return next(s for s in suffixes if word.endswith(s))
