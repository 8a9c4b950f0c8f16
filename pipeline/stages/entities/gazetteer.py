"""Reference-data matching: spacing- and case-insensitive, longest match, on token boundaries."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.reference import Reference

from .text import GLUE_TAGS, PARTICLE_SET, SPACE_CHARS, Candidate, Tok, compact_key, nfc

# When one key names entities of several labels, the span conventions decide:
# provinces and cities are LOCATION even when they act, so LOCATION wins over ORG.
STATUTE_KINDS = frozenset({"law", "decree", "ordinance"})
PROGRAMME = "PROGRAMME"  # matched to hold its span, dropped before mentions are made
LABEL_RANK = {"LOCATION": 5, "ORG": 4, "LAW": 3, PROGRAMME: 3, "TECH": 2, "PERSON": 1}
SHORT_LATIN = re.compile(r"^[A-Za-z0-9&.\-]{1,3}$")
MIN_KEY_CHARS = 2
TERMINAL = ""
VERBAL_SUFFIXES = ("XSV", "XSA", "VCP")  # trie key that holds the entries ending at a node
LOOKUP_CACHE_SIZE = 100_000  # surfaces remembered by Gazetteer.lookup
_UNSEEN = object()
# Tags a space inside a match may follow (a noun ends there).
SPACE_BEFORE_TAGS = frozenset({"NNG", "NNP", "NR", "SL", "SN", "SH", "XSN", "NNB"})
# Where a Latin word starts: an ASCII letter or digit after anything else.
LATIN_WORD_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]")


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
        # Programmes and policies named after or under a law (지역SW산업진흥기관, …지원사업) are
        # not LAW mentions: only statutes, decrees and ordinances are. Programmes still match
        # (as PROGRAMME, never a mention label) so that 규제자유특구 is not read as a place.
        label = "LAW" if law.kind in STATUTE_KINDS else PROGRAMME
        add(label, law.canonical, law.aliases, law.kind)
    return entries


class Gazetteer:
    """A character trie over compact alias keys."""

    def __init__(self, entries: list[Entry]):
        self.root: dict = {}
        self.by_key: dict[str, list[Entry]] = {}
        # surface -> lookup() answer: the rules look up the same words several times each.
        self._looked_up: dict[str, Entry | None] = {}
        for entry in entries:
            self.add(entry)

    def add(self, entry: Entry) -> None:
        """Insert one alias."""
        self._looked_up.clear()
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
        found = self._looked_up.get(surface, _UNSEEN)
        if found is _UNSEEN:
            found = self._lookup(surface)
            if len(self._looked_up) >= LOOKUP_CACHE_SIZE:
                self._looked_up.clear()  # bounded, in a long-lived worker
            self._looked_up[surface] = found
        return found

    def _lookup(self, surface: str) -> Entry | None:
        for entry in self.by_key.get(compact_key(surface), ()):
            if not entry.case_sensitive or _same_case(surface, entry.alias):
                return entry
        return None

    def find(self, text: str, tokens: list[Tok]) -> list[Candidate]:
        """All longest alias matches in text that start and end on token boundaries.

        Keys are compact (no spaces, lowercased): the trie is walked over the lowercased text,
        stepping over the characters compact keys drop.
        """
        lowered, starts, token_at_start, token_at_end, containing = _prepared(text, tokens)
        out: list[Candidate] = []
        root = self.root
        n = len(text)
        for start in starts:  # where a token or a Latin word starts
            node = root.get(lowered[start])
            if node is None:
                continue  # no key starts with this character (nor with a space)
            if start in token_at_end and _glued_before(start, token_at_end, text):
                continue
            # The keys that match at start with their end offsets, shortest first (the walk is
            # inline: it runs for most tokens and mostly finds nothing).
            hits: list[tuple[str, int]] = []
            j = start + 1
            while True:
                if TERMINAL in node:
                    hits.append((node[TERMINAL], j))
                while j < n and text[j] in SPACE_CHARS:
                    j += 1
                if j == n:
                    break
                node = node.get(lowered[j])
                if node is None:
                    break
                j += 1
            for key, end in reversed(hits):
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

    def _accept(
        self,
        text: str,
        start: int,
        end: int,
        key: str,
        containing: list[Tok | None],
        token_at_start: dict[int, Tok],
    ) -> Entry | None:
        """The entry for text[start:end] when the match ends on a word boundary."""
        surface = text[start:end]
        if "\n" in surface or not _spaces_on_noun_ends(text, start, end, containing):
            return None
        first = containing[start]
        if first is not None and (first.tag[:1] in ("J", "E", "V") or first.tag in VERBAL_SUFFIXES):
            return None  # a particle or ending cannot start a name ('보여주는' is not 여주)
        last = containing[end - 1]
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


def _spaces_on_noun_ends(
    text: str, start: int, end: int, containing: list[Tok | None]
) -> bool:
    """True when every space inside the match follows a noun (not '의 성과' read as 의성)."""
    k = text.find(" ", start + 1, end)
    while k >= 0:
        tok = containing[k - 1]
        # A comma the alias itself holds is fine ('Ministry of Trade, Industry and …').
        if text[k - 1] != "," and tok is not None and tok.tag not in SPACE_BEFORE_TAGS:
            return False
        k = text.find(" ", k + 1, end)
    return True


_LAST_PREPARED: list = [None, None, None]  # text, tokens, prepared: find() runs twice per text


def _prepared(text: str, tokens: list[Tok]) -> tuple:
    """Lowercased text and token lookups, reused while the same text is matched again.

    starts: the offsets, in order, where a match may begin (a token or a Latin word starts).
    """
    if _LAST_PREPARED[0] is text and _LAST_PREPARED[1] is tokens:
        return _LAST_PREPARED[2]
    token_at_start = {t.start: t for t in tokens}
    begins = set(token_at_start)
    begins.update(m.start() for m in LATIN_WORD_START.finditer(text))
    starts = sorted(begins)
    token_at_end = {t.end: t for t in tokens}
    # containing[k]: the last token that covers offset k (a list: one slice write per token).
    containing: list[Tok | None] = [None] * (len(text) + 1)
    for t in tokens:
        containing[t.start : t.end] = (t,) * (t.end - t.start)
    prepared = (_lowered(text), starts, token_at_start, token_at_end, containing)
    _LAST_PREPARED[:] = [text, tokens, prepared]
    return prepared


def _lowered(text: str) -> str | list[str]:
    """Each character of text lowercased, at its offset (one whose lowercase is longer stays)."""
    lowered = text.lower()
    # The whole text lowered at once is the same when no character lowers to several (then the
    # lengths differ) and there is no capital sigma (lowered by its context).
    if len(lowered) == len(text) and "Σ" not in text:
        return lowered
    return [low if len(low := ch.lower()) == 1 else ch for ch in text]
