"""Reference-data matching: spacing- and case-insensitive, longest match, on token boundaries."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.reference import Reference

from .text import GLUE_TAGS, PARTICLE_SET, SPACE_CHARS, Candidate, Tok, compact_key, nfc

# When one key names entities of several labels, the span conventions decide:
# provinces and cities are LOCATION even when they act, so LOCATION wins over ORG.
LABEL_RANK = {"LOCATION": 5, "ORG": 4, "LAW": 3, "TECH": 2, "PERSON": 1}
SHORT_LATIN = re.compile(r"^[A-Za-z0-9&.\-]{1,3}$")
MIN_KEY_CHARS = 2
TERMINAL = ""
VERBAL_SUFFIXES = ("XSV", "XSA", "VCP")  # trie key that holds the entries ending at a node


@dataclass(frozen=True)
class Entry:
    """One alias of one reference entity."""

    label: str
    canonical: str
    alias: str
    case_sensitive: bool
    kind: str = ""  # org type, region level, tech category, law kind


def _needs_case(alias: str) -> bool:
    """Latin aliases match case-sensitively ('government' is not the Government, 'KT' not 'kt')."""
    return bool(SHORT_LATIN.match(alias)) or any("a" <= ch.lower() <= "z" for ch in alias)


def reference_entries(reference: Reference) -> list[Entry]:
    """Every (alias -> entity) entry of the reference tables, canonical names included."""
    entries: list[Entry] = []

    def add(label: str, canonical: str, names: tuple[str, ...], kind: str) -> None:
        for alias in (canonical, *names):
            alias = nfc(alias).strip()
            if len(compact_key(alias)) < MIN_KEY_CHARS:
                continue
            # Short Latin acronyms (KT, SW, AI) collide with ordinary words unless case matches.
            entries.append(Entry(label, canonical, alias, _needs_case(alias), kind))

    for region in reference.regions:
        add("LOCATION", region.name, region.aliases, region.level)
    for org in reference.organizations:
        add("ORG", org.canonical, org.aliases, org.type)
    for tech in reference.technologies:
        add("TECH", tech.canonical, tech.aliases, tech.category)
    for law in reference.laws:
        add("LAW", law.canonical, law.aliases, law.kind)
    return entries


class Gazetteer:
    """A character trie over compact alias keys."""

    def __init__(self, entries: list[Entry]):
        self.root: dict = {}
        self.by_key: dict[str, list[Entry]] = {}
        for entry in entries:
            self.add(entry)

    def add(self, entry: Entry) -> None:
        """Insert one alias."""
        key = compact_key(entry.alias)
        bucket = self.by_key.setdefault(key, [])
        if any(
            e.label == entry.label
            and e.canonical == entry.canonical
            and (not entry.case_sensitive or e.alias == entry.alias)
            for e in bucket
        ):
            return  # a case-sensitive spelling that differs (Technopark, Techno Park) is kept
        bucket.append(entry)
        bucket.sort(key=lambda e: -LABEL_RANK.get(e.label, 0))
        node = self.root
        for ch in key:
            node = node.setdefault(ch, {})
        node[TERMINAL] = key

    def lookup(self, surface: str) -> Entry | None:
        """The best entry whose alias equals surface (spacing/case-insensitive)."""
        for entry in self.by_key.get(compact_key(surface), ()):
            if not entry.case_sensitive or _same_case(surface, entry.alias):
                return entry
        return None

    def find(self, text: str, tokens: list[Tok]) -> list[Candidate]:
        """All longest alias matches in text that start and end on token boundaries."""
        folded, index, token_at_start, token_at_end, containing = _prepared(text, tokens)
        out: list[Candidate] = []
        for ci in range(len(folded)):
            start = index[ci]
            if not (start in token_at_start or _latin_word_start(text, start)):
                continue
            if _glued_before(start, token_at_end, text):
                continue
            for key, cend in self._walk(folded, ci):
                end = index[cend - 1] + 1
                entry = self._accept(text, start, end, key, containing, token_at_start)
                if entry is not None:
                    out.append(
                        Candidate(
                            start,
                            end,
                            entry.label,
                            entry.canonical,
                            True,
                            priority=2,
                            extra={"kind": entry.kind},
                        )
                    )
                    break
        return out

    def _walk(self, folded: str, ci: int) -> list[tuple[str, int]]:
        """Keys matching at folded[ci:], longest first, with their compact end offsets."""
        node = self.root
        hits: list[tuple[str, int]] = []
        j = ci
        while j < len(folded) and folded[j] in node:
            node = node[folded[j]]
            j += 1
            if TERMINAL in node:
                hits.append((node[TERMINAL], j))
        hits.reverse()
        return hits

    def _accept(
        self,
        text: str,
        start: int,
        end: int,
        key: str,
        containing: dict[int, Tok],
        token_at_start: dict[int, Tok],
    ) -> Entry | None:
        """The entry for text[start:end] when the match ends on a word boundary."""
        surface = text[start:end]
        if "\n" in surface or not _spaces_on_noun_ends(text, start, end, containing):
            return None
        first = containing.get(start)
        if first is not None and (first.tag[:1] in ("J", "E", "V") or first.tag in VERBAL_SUFFIXES):
            return None  # a particle or ending cannot start a name ('보여주는' is not 여주)
        last = containing.get(end - 1)
        if _is_latin(text[end - 1]) and not _is_hangul(text[end : end + 1]):
            # Kiwi cuts Latin words oddly ('Governm' + 'ent.'): use character classes instead.
            if _is_latin(text[end : end + 1]):
                return None
        elif last is not None and last.end > end:
            # The match ends inside a token: fine only if the rest is a particle Kiwi kept.
            if text[end : last.end] not in PARTICLE_SET:
                return None
        else:
            nxt = token_at_start.get(end)
            if nxt is not None and nxt.tag in GLUE_TAGS:
                # 경기 in 경기침체, 경기하다: the alias is only part of a longer word.
                return None
        for entry in self.by_key.get(key, ()):
            if entry.case_sensitive and not _same_case(surface, entry.alias):
                continue
            if entry.label in ("ORG", "LOCATION") and surface[:1].islower():
                continue  # 'the government' is not a name; 'the Government of X' can be
            return entry
        return None


def _is_latin(ch: str) -> bool:
    """An ASCII letter or digit."""
    return len(ch) == 1 and ch.isascii() and ch.isalnum()


def _is_hangul(ch: str) -> bool:
    """A Hangul syllable."""
    return len(ch) == 1 and "가" <= ch <= "힣"


def _latin_word_start(text: str, i: int) -> bool:
    """True where a Latin word starts."""
    return _is_latin(text[i]) and (i == 0 or not _is_latin(text[i - 1]))


def _glued_before(start: int, token_at_end: dict[int, Tok], text: str) -> bool:
    """True when a noun or Latin token ends right at start (the match would begin mid-word)."""
    prev = token_at_end.get(start)
    if prev is None or start == 0 or text[start - 1].isspace():
        return False
    return prev.tag in ("SL", "SN") and text[start].isascii() and text[start].isalnum()


def _same_case(surface: str, alias: str) -> bool:
    """Exact comparison ignoring spaces only (a capital first letter is allowed)."""
    a, b = surface.replace(" ", ""), alias.replace(" ", "")
    return a == b or (a[:1].upper() == b[:1].upper() and a[1:] == b[1:])


def _spaces_on_noun_ends(text: str, start: int, end: int, containing: dict[int, Tok]) -> bool:
    """True when every space inside the match follows a noun (not '의 성과' read as 의성)."""
    for k in range(start, end):
        if text[k] == " " and k > start:
            tok = containing.get(k - 1)
            if text[k - 1] == ",":
                continue  # a comma the alias itself holds ('Ministry of Trade, Industry and …')
            if tok is not None and tok.tag not in (
                "NNG",
                "NNP",
                "NR",
                "SL",
                "SN",
                "SH",
                "XSN",
                "NNB",
            ):
                return False
    return True


_LAST_PREPARED: list = [None, None, None]  # text, tokens, prepared: find() runs twice per text


def _prepared(text: str, tokens: list[Tok]) -> tuple:
    """Folded text, its offsets and token lookups, reused while the same text is matched again."""
    if _LAST_PREPARED[0] is text and _LAST_PREPARED[1] is tokens:
        return _LAST_PREPARED[2]
    folded, index = _compact_with_index(text)
    token_at_start = {t.start: t for t in tokens}
    token_at_end: dict[int, Tok] = {}
    containing: dict[int, Tok] = {}
    for t in tokens:
        token_at_end[t.end] = t
        for k in range(t.start, t.end):
            containing[k] = t
    prepared = (folded, index, token_at_start, token_at_end, containing)
    _LAST_PREPARED[:] = [text, tokens, prepared]
    return prepared


def _compact_with_index(text: str) -> tuple[str, list[int]]:
    """Text lowercased with spaces removed, and each compact char's offset in text."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch in SPACE_CHARS or ch == " ":
            continue
        low = ch.lower()
        chars.append(low if len(low) == 1 else ch)
        index.append(i)
    return "".join(chars), index
