"""Text plumbing for entity extraction: normalization, chunks, sentences, tokens, spans."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from pipeline.reference import word_lists

_WORDS = word_lists("text_words")

# Kiwi on long runs without spaces is superlinear (100K chars of one syllable: ~5 s), so chunks
# stay short and long unspaced runs are broken up in the copy that Kiwi sees.
MAX_CHUNK_CHARS = 1500
MAX_RUN_CHARS = 60
# Articles are a few thousand characters; past this we stop looking, to bound the time spent
# on a pathological input (a 1 MB text) rather than fail.
MAX_TEXT_CHARS = 200_000

PARTICLES = _WORDS["particle"]
PARTICLE_SET = frozenset(PARTICLES)
# strip_particle takes the longest particle that ends a word: one set lookup per length.
PARTICLES_BY_LENGTH = tuple(
    (n, frozenset(p for p in PARTICLES if len(p) == n))
    for n in sorted({len(p) for p in PARTICLES}, reverse=True)
)
NOUN_TAGS = frozenset({"NNG", "NNP", "NNB", "NR", "NP", "SL", "SN", "SH", "XSN", "XR"})
# Tags that glue to a preceding noun and make it part of a longer word.
GLUE_TAGS = frozenset({"NNG", "NNP", "NR", "SL", "SN", "SH", "XSN", "XR", "XSV", "XSA"})
HANGUL = re.compile(r"^[가-힣]+$")
SPACE_CHARS = frozenset(" \t\u00a0\u3000\u200b")
QUOTE_OPEN = {"“": "”", '"': '"', "「": "」", "『": "』"}
# The characters sentence_starts acts on, and per opening mark what ends its quotation.
SENTENCE_MARKS = re.compile("[" + re.escape("".join(QUOTE_OPEN)) + "\n.!?]")
QUOTE_END = {o: re.compile("[" + re.escape(c) + "\n]") for o, c in QUOTE_OPEN.items()}
# Unicode categories Cc, Cs and Co (controls, surrogates, private use) but the newline: what
# kiwi_safe blanks. Fixed ranges, so a character class instead of a per-character lookup.
KIWI_UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]"
)


class Tok(NamedTuple):
    """A Kiwi token with absolute character offsets.

    A named tuple rather than a frozen dataclass: an article has ~600 tokens and a frozen
    dataclass takes twice as long to build.
    """

    form: str
    tag: str
    start: int
    end: int

    @property
    def len(self) -> int:
        """Length in characters (the name Kiwi's own tokens use)."""
        return self.end - self.start


@dataclass
class Candidate:
    """A proposed mention before overlap resolution."""

    start: int
    end: int
    label: str
    canonical: str
    known: bool = False
    priority: int = 0  # higher wins between equally long overlapping spans
    role: str | None = None
    affiliation: str | None = None
    value: float | None = None
    unit: str | None = None
    extra: dict = field(default_factory=dict)


def nfc(text: str) -> str:
    """NFC-normalize."""
    return unicodedata.normalize("NFC", text)


def collapse(text: str) -> str:
    """NFC-normalize and collapse runs of whitespace to one space."""
    return " ".join(nfc(text).split())


@lru_cache(maxsize=1 << 16)
def compact_key(text: str) -> str:
    """The spacing- and case-insensitive lookup key of a name (cached: the same words recur)."""
    return "".join(ch for ch in nfc(text).lower() if ch not in SPACE_CHARS and not ch.isspace())


def chunk_spans(text: str, limit: int = MAX_CHUNK_CHARS) -> list[tuple[int, int]]:
    """Cut text into (start, end) pieces of at most limit chars at line, sentence or space ends."""
    spans: list[tuple[int, int]] = []
    n = min(len(text), MAX_TEXT_CHARS)
    pos = 0
    while pos < n:
        end = min(pos + limit, n)
        if end < n:
            cut = text.rfind("\n", pos, end)
            if cut <= pos:
                cut = max(text.rfind(". ", pos, end) + 1, text.rfind(" ", pos, end))
            if cut > pos + limit // 4:
                end = cut + 1
        spans.append((pos, end))
        pos = end
    return spans


def kiwi_safe(chunk: str) -> str:
    """A same-length copy of chunk that Kiwi handles in bounded time."""
    cleaned = KIWI_UNSAFE.sub(" ", chunk)
    if all(len(run) <= MAX_RUN_CHARS for run in cleaned.split()):
        return cleaned
    chars = list(cleaned)
    run = 0
    for i, ch in enumerate(chars):
        run = 0 if ch.isspace() else run + 1
        if run > MAX_RUN_CHARS:
            chars[i] = " "
            run = 0
    return "".join(chars)


def is_degenerate(chunk: str) -> bool:
    """True for a long chunk made mostly of one repeated character."""
    letters = "".join(chunk.split())  # split() drops exactly the characters isspace() is true for
    if len(letters) < 200:
        return False
    top = max(Counter(letters).values())
    return top > 0.5 * len(letters)


def sentence_starts(text: str) -> list[int]:
    """Start offsets of sentences; a quotation never splits a sentence."""
    starts = [0]
    n = min(len(text), MAX_TEXT_CHARS)
    pos = 0
    # Jump from mark to mark (regex search) rather than looking at every character.
    while (m := SENTENCE_MARKS.search(text, pos, n)) is not None:
        i = m.start()
        ch = text[i]
        if ch in QUOTE_END:
            # Inside a quotation only its closing mark or a line break matters; both are consumed.
            close = QUOTE_END[ch].search(text, i + 1, n)
            if close is None:
                break
            pos = close.end()
            continue
        if ch == "\n":
            starts.append(i + 1)
        elif (i + 1 >= n or text[i + 1] in " \t\u00a0") and (
            ch != "." or not _is_abbreviation(text, i)
        ):
            # "1.5" or "Dr. Kim" do not end a sentence.
            starts.append(i + 1)
        pos = i + 1
    return sorted(set(starts))


MONTH_ABBREVIATIONS = frozenset(_WORDS["month_abbreviation"])
ABBREVIATIONS = frozenset(_WORDS["abbreviation"]) | MONTH_ABBREVIATIONS


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the word ending at text[dot] == '.' is a known abbreviation or an initial."""
    j = dot
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:dot]
    return word in ABBREVIATIONS or (len(word) == 1 and word.isupper())


def sentence_index_of(starts: list[int], offset: int) -> int:
    """Index of the sentence that contains offset."""
    return max(0, bisect_right(starts, offset) - 1)


@lru_cache(maxsize=1 << 16)
def strip_particle(word: str) -> str:
    """The word without one trailing particle (longest match), if what stays is not empty."""
    for n, particles in PARTICLES_BY_LENGTH:
        if len(word) > n and word[-n:] in particles:
            return word[:-n]
    return word
