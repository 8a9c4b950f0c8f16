"""Mentions of one document linked together: abbreviations defined in parentheses, names told
again, short forms ('김 장관') given the full name; overlaps resolved; Mention records made."""

from __future__ import annotations

import re

from pipeline.models import Mention

from .context import ORG_OR_LOC
from .english import english_surname_mentions
from .gazetteer import Entry, Gazetteer
from .text import Candidate, Tok, collapse, sentence_index_of

PAREN_ALIAS = re.compile(r"^\(([A-Za-z가-힣0-9&·\-]{2,12})\)")


def entity_id(label: str, canonical: str) -> str:
    """Stable entity id: '<LABEL>:<canonical, NFC, spaces collapsed>'."""
    return f"{label}:{collapse(canonical)}"


def person_id(name: str, affiliation: str | None) -> str:
    """A person's id: name and organization when known ('PERSON:조현석@광주테크노파크'), so two
    people of one name at different organizations stay two entities; the name alone otherwise."""
    return entity_id("PERSON", f"{name}@{collapse(affiliation)}" if affiliation else name)


def resolve_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """Keep non-overlapping candidates: longer spans first, then higher priority."""
    ordered = sorted(cands, key=lambda c: (-(c.end - c.start), -c.priority, -c.known, c.start))
    size = max((c.end for c in cands), default=0)
    taken = bytearray(size)  # one flag per character: linear, not pairwise
    kept: list[Candidate] = []
    for c in ordered:
        if c.end <= c.start or any(taken[c.start : c.end]):
            continue
        taken[c.start : c.end] = b"\x01" * (c.end - c.start)
        kept.append(c)
    kept.sort(key=lambda c: (c.start, c.end))
    return kept


def to_mention(text: str, c: Candidate, starts: list[int]) -> Mention:
    """The Mention record of a chosen candidate."""
    canonical = collapse(c.canonical) or collapse(text[c.start : c.end])
    return Mention(
        start=c.start,
        end=c.end,
        label=c.label,
        text=text[c.start : c.end],
        canonical=canonical,
        entity_id=person_id(canonical, c.affiliation) if c.label == "PERSON"
        else entity_id(c.label, canonical),
        sentence_index=sentence_index_of(starts, c.start),
        known=c.known,
        role=c.role,
        affiliation=c.affiliation,
        value=c.value,
        unit=c.unit,
    )


def link_document(
    text: str, tokens: list[Tok], chosen: list[Candidate], gazetteer: Gazetteer
) -> list[Candidate]:
    """Document-level linking: abbreviations in parentheses, repeated names, short forms."""
    extra: list[Candidate] = []
    local = Gazetteer([])
    for c in chosen:
        if c.label in ("ORG", "LOCATION", "TECH", "LAW"):
            m = PAREN_ALIAS.match(text[c.end : c.end + 16])
            if m and gazetteer.lookup(m.group(1)) is None:
                local.add(Entry(c.label, c.canonical, m.group(1), False))
        if c.label == "PERSON" and not c.extra.get("short") and len(c.canonical) >= 2:
            local.add(Entry("PERSON", c.canonical, text[c.start : c.end], False))
        if c.label == "ORG" and not c.known:
            local.add(Entry("ORG", c.canonical, text[c.start : c.end], False))
    if local.by_key:
        for c in local.find(text, tokens):
            c.known = False
            c.priority = 1
            extra.append(c)
    merged = resolve_overlaps(chosen + extra)
    if local.by_key:
        _relink_abbreviations(text, merged, local)
    return link_people(text, merged)


def _relink_abbreviations(text: str, chosen: list[Candidate], local: Gazetteer) -> None:
    """Unknown names that the text defines as an abbreviation take the full name (HBRI)."""
    for c in chosen:
        if c.known or c.label not in ORG_OR_LOC:
            continue
        entry = local.lookup(text[c.start : c.end])
        if entry is not None and entry.label in ORG_OR_LOC and entry.canonical != c.canonical:
            c.label, c.canonical = entry.label, entry.canonical


def link_people(text: str, chosen: list[Candidate]) -> list[Candidate]:
    """Give short forms and repeats the full name, role and affiliation seen in the text."""
    people: list[Candidate] = []
    info: dict[str, Candidate] = {}
    for c in chosen:
        if c.label != "PERSON":
            continue
        if c.extra.get("short"):
            match = _find_full_name(people, c)
            if match is not None:
                c.canonical = match.canonical
                c.role = c.role or match.role
                c.affiliation = c.affiliation or match.affiliation
            elif c.role:
                c.canonical = f"{c.canonical} {c.role}"
            continue
        known = info.get(c.canonical)
        if known is not None:
            c.role = c.role or known.role
            c.affiliation = c.affiliation or known.affiliation
        else:
            info[c.canonical] = c
        if c.role and known is not None and not known.role:
            known.role = c.role
        people.append(c)
    surnames = _english_surnames(people)
    if surnames:
        taken = bytearray(len(text) + 1)
        for c in chosen:
            taken[c.start : c.end] = b"\x01" * (c.end - c.start)
        for c in english_surname_mentions(text, surnames):
            if not any(taken[c.start : c.end]):
                full = info.get(c.canonical)
                if full is not None:
                    c.role, c.affiliation = full.role, full.affiliation
                chosen.append(c)
        chosen.sort(key=lambda c: (c.start, c.end))
    return chosen


def _find_full_name(people: list[Candidate], short: Candidate) -> Candidate | None:
    """The latest full name with the same surname, preferring one with the same role."""
    same = [p for p in people if p.canonical[:1] == short.canonical[:1] and len(p.canonical) >= 2]
    with_role = [p for p in same if p.role == short.role]
    pool = with_role or same
    return pool[-1] if pool else None


def _english_surnames(people: list[Candidate]) -> dict[str, str]:
    """Surname -> full name for English names ('Kim Do-yoon' -> Kim, 'Jane Smith' -> Smith)."""
    out: dict[str, str] = {}
    for p in people:
        parts = p.canonical.split()
        if len(parts) < 2 or not parts[0].isascii():
            continue
        surname = parts[0] if "-" in parts[1] else parts[-1]
        out.setdefault(surname, p.canonical)
    return out
