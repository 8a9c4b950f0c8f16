"""Character features for the PERSON/ORG/LOCATION sequence tagger.

One feature list per character of the text. The same function serves training (KLUE sentences)
and tagging (article bodies), from the Kiwi tokens and reference-gazetteer matches that the
entity extractor computes anyway, so tagging adds no second Kiwi pass.

Features (chosen by cross-validation on KLUE-NER, see docs/quality-ner.md):
- characters at -3..+3, bigrams around the character, one trigram, character class;
- the character's place in its space-separated word (B/I/E/S);
- Kiwi: part of speech of the covering morpheme with the place in it, the morpheme itself when
  short, the particle or ending that follows the noun run of the word;
- the reference gazetteer: place in a matched alias and its label (organisations, regions ...);
- titles: the next or previous word is a title (김철수 장관, 원장 정진수) or 씨;
- a cluster id of the covering noun (morpheme clusters shipped with the model), when given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from pipeline.stages.entities.text import strip_particle

PAD = "_"
_WORD = re.compile(r"\S+")  # \s is str.isspace, as char_class's "S"
# Character classes: Hangul syllable, Latin, digit, space, Hanja, other.
_CLASS_CACHE: dict[str, str] = {}


def char_class(ch: str) -> str:
    """One-letter class of a character (cached: texts reuse few characters)."""
    c = _CLASS_CACHE.get(ch)
    if c is None:
        if "가" <= ch <= "힣":
            c = "H"
        elif ch.isascii() and ch.isalpha():
            c = "U" if ch.isupper() else "L"
        elif ch.isdigit():
            c = "D"
        elif ch.isspace():
            c = "S"
        elif "\u4e00" <= ch <= "\u9fff":
            c = "C"
        else:
            c = "P"
        _CLASS_CACHE[ch] = c
    return c


def text_features(
    text: str,
    tokens: Sequence[tuple[str, str, int, int]],
    gazetteer: Sequence[tuple[int, int, str]] = (),
    titles: frozenset[str] | set[str] = frozenset(),
    clusters: Mapping[str, str] | None = None,
) -> list[tuple[str, ...]]:
    """Feature strings of every character of text.

    tokens: Kiwi (form, tag, start, end) with offsets into text; gazetteer: (start, end, label)
    of reference matches; titles: the title words; clusters: 'form/tag' -> 'id,id,id'.
    Built column by column (one comprehension per feature, 3x faster than per character);
    each character's features are a tuple.
    """
    n = len(text)
    if n == 0:
        return []
    chars = list(text)
    classes = [char_class(c) for c in chars]

    # Words: runs of non-space characters.
    word_place = [""] * n
    word_id = [-1] * n
    words = [m.span() for m in _WORD.finditer(text)]
    for w, (start, end) in enumerate(words):
        word_id[start:end] = [w] * (end - start)
        _mark(word_place, start, end, "")

    # Kiwi: the first token that covers each character.
    pos = [""] * n
    form = [""] * n
    cover = [-1] * n  # index into kept of the covering token
    kept: list[str] = []  # cluster ids of each covering token
    # What follows each word's leading noun run (a particle, a suffix, an ending).
    after_nouns = ["-"] * len(words)
    seen_nonnoun = [False] * len(words)
    for f, tag, start, end in tokens:
        if start >= n or end <= start or pos[start]:
            continue  # past the text, or another analysis of the same characters (했 -> 하 + 었)
        end = min(end, n)
        w = word_id[start]
        if w >= 0 and not seen_nonnoun[w] and tag[:1] != "N" and tag not in ("SL", "SN", "SH"):
            seen_nonnoun[w] = True
            after_nouns[w] = tag if tag[:1] in "JEXV" else "x"
            if tag[:1] == "J" and len(f) <= 2:
                after_nouns[w] = tag + "/" + f
        _mark(pos, start, end, tag + "-")
        if len(f) <= 3 and tag[:1] != "S":
            form[start:end] = [f] * (end - start)
        if clusters is not None:
            cover[start:end] = [len(kept)] * (end - start)
            kept.append(clusters.get(f + "/" + tag, ",,"))

    gaz = [""] * n
    for start, end, label in gazetteer:
        if 0 <= start < end <= n:
            _mark(gaz, start, end, label + "-")

    # Titles next to a word (the word after, or before, is a title or 씨).
    near_title = ["-"] * len(words)
    if titles:
        for w, (start, end) in enumerate(words):
            core = _core(text, start, end)
            if core in titles or core == "씨":
                if w > 0:
                    near_title[w - 1] = "n"
                if w + 1 < len(words):
                    near_title[w + 1] = "p" if near_title[w + 1] == "-" else "np"

    pad = [PAD] * 3
    p = pad + chars + pad
    c0, cm1, cp1, cm2, cp2, cm3, cp3 = (p[3:-3], p[2:-4], p[4:-2], p[1:-5], p[5:-1], p[:-6], p[6:])
    an = [after_nouns[w] if w >= 0 else "" for w in word_id]
    tn = [near_title[w] if w >= 0 else "" for w in word_id]
    pos_prev = ["^", *pos[:-1]]
    pos_next = [*pos[1:], "$"]
    columns = [
        ["c=" + a for a in c0],
        ["c-1=" + a for a in cm1],
        ["c+1=" + a for a in cp1],
        ["c-2=" + a for a in cm2],
        ["c+2=" + a for a in cp2],
        ["c-3=" + a for a in cm3],
        ["c+3=" + a for a in cp3],
        ["b-1=" + a + b for a, b in zip(cm1, c0)],
        ["b+1=" + a + b for a, b in zip(c0, cp1)],
        ["b-2=" + a + b for a, b in zip(cm2, cm1)],
        ["b+2=" + a + b for a, b in zip(cp1, cp2)],
        ["t0=" + a + b + c for a, b, c in zip(cm1, c0, cp1)],
        ["k=" + a for a in classes],
        ["w=" + a for a in word_place],
        ["m=" + a for a in pos],
        ["mc=" + a + b for a, b in zip(pos, c0)],
        ["mf=" + a for a in form],
        ["m-1=" + a for a in pos_prev],
        ["m+1=" + a for a in pos_next],
        ["an=" + a for a in an],
        ["tn=" + a for a in tn],
        ["g=" + a for a in gaz],
    ]
    rows = zip(*columns)
    if clusters is None:
        return list(rows)
    # Each token's nine cluster features: its own ids, its neighbours' (cached per id string).
    parts = [_cluster_parts(v) for v in kept]
    blank = _cluster_parts(None)
    per_token = [
        own[0] + (parts[t - 1][1] if t else blank[1])
        + (parts[t + 1][2] if t + 1 < len(parts) else blank[2])
        for t, own in enumerate(parts)
    ]
    per_token.append(blank[0] + blank[1] + blank[2])  # cover -1: no token
    return list(map(tuple.__add__, rows, map(per_token.__getitem__, cover)))

_CLUSTER_NAMES = tuple(tuple(f"{name}.{level}=" for level in range(3)) for name in ("cl", "cl-1", "cl+1"))
_CLUSTER_PARTS: dict[str | None, tuple[tuple[str, ...], ...]] = {}


def _cluster_parts(ids: str | None) -> tuple[tuple[str, ...], ...]:
    """The three cluster features of a token's ids ('id,id,id'; None: no token) as seen from
    the token itself, from the next token and from the previous one (cached: ids repeat)."""
    parts = _CLUSTER_PARTS.get(ids)
    if parts is None:
        values = ids.split(",") if ids is not None else ["", "", ""]
        parts = tuple(tuple(prefix + v for prefix, v in zip(names, values)) for names in _CLUSTER_NAMES)
        _CLUSTER_PARTS[ids] = parts
    return parts


def _mark(out: list[str], start: int, end: int, prefix: str) -> None:
    """Write prefix + B/I/E (or S for one character) over out[start:end]."""
    if end - start == 1:
        out[start] = prefix + "S"
    else:
        out[start] = prefix + "B"
        out[start + 1 : end - 1] = [prefix + "I"] * (end - start - 2)
        out[end - 1] = prefix + "E"


def _core(text: str, start: int, end: int) -> str:
    """A word without trailing punctuation and particle (장관은 -> 장관)."""
    return strip_particle(text[start:end].rstrip(".,;:!?)'\"”’」』》〉"))
