"""Where an event happens (the province of its places or of a regional body's seat), and
whether a body funds or invests."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from pipeline.models import Mention
from pipeline.reference import Reference

from ..entities.text import collapse
from .analysis import Predicate, Sentence
from .triggers import (
    TriggerRule,
)

# Organization types that fund rather than invest (reference organizations.tsv).
PUBLIC_TYPES = frozenset({"ministry", "agency", "government", "legislature", "technopark"})
_REGION_INDEXES: dict[str, RegionIndex] = {}


@dataclass(frozen=True)
class RegionIndex:
    """Place name -> province, regional organization's canonical -> its province, org -> type."""

    place: dict[str, str]
    seat: dict[str, str]
    org_type: dict[str, str]
    programme: dict[str, str]  # compact alias -> name of a programme or policy (laws.tsv)

    def programme_name(self, title: str | None) -> str | None:
        """The reference name of a programme written as title, else title."""
        return self.programme.get(_compact(title), title) if title else title


def region_index(reference: Reference | None = None) -> RegionIndex:
    """The index of the given reference data (the packaged data when None), cached by version."""
    ref = reference if reference is not None else _packaged_reference()
    found = _REGION_INDEXES.get(ref.version)
    if found is not None:
        return found
    parent = {r.name: (r.level, r.parent) for r in ref.regions}
    place: dict[str, str] = {}
    for r in ref.regions:
        name, level, up = r.name, r.level, r.parent
        for _ in range(3):
            if level in ("province", "country") or not up:
                break
            name = up
            level, up = parent.get(up, ("province", ""))
        if level == "province":
            place[r.name] = name
            for alias in r.aliases:  # '부산 해운대구' is read word by word
                place.setdefault(alias, name)
    programme = {_compact(alias): law.canonical for law in ref.laws
                 if law.kind in ("programme", "policy") for alias in (law.canonical, *law.aliases)}
    # Only a regional body's seat tells where its events happen (경기테크노파크, 부산정보산업진흥원:
    # a place in the name); a national body's seat does not (NIPA funds every province from 충북).
    regional = re.compile("|".join(re.escape(n) for n in sorted(place, key=len, reverse=True)
                                   if len(n) >= 2))
    seat = {o.canonical: o.region for o in ref.organizations
            if o.region and regional.search(o.canonical)}
    index = RegionIndex(place, seat,
                        {o.canonical: o.type for o in ref.organizations}, programme)
    _REGION_INDEXES[ref.version] = index
    return index


def _compact(text: str) -> str:
    """Comparison key of a name: no spaces, brackets or glosses' parentheses, lowercased."""
    return re.sub(r"[\s()]", "", collapse(text)).lower()


@lru_cache(maxsize=1)
def _packaged_reference() -> Reference:
    from pipeline.reference import load_reference

    return load_reference()


def find_region(agents: Sequence[Mention], objects: Sequence[Mention], sent: Sentence,
                index: RegionIndex) -> str | None:
    """Province of the places the event's own sentence names (objects' first); else, when the text
    names no place, the seat of a regional object, else of a regional agent."""
    places = [m for m in objects if m.label == "LOCATION"] + [
        m for m in sent.mentions if m.label == "LOCATION"]
    for m in places:
        for name in (m.canonical, *reversed(m.canonical.split())):
            if name in index.place:
                return index.place[name]
    for m in list(objects) + list(agents):
        if m.label == "ORG" and m.canonical in index.seat:
            return index.seat[m.canonical]
    return None


def funding_type(rule: TriggerRule, pred: Predicate, agents: Sequence[Mention], index: RegionIndex) -> str:
    """'…억원을 투자한다': public bodies fund (FUNDING), companies invest (INVESTMENT)."""
    if rule.type != "FUNDING" or pred.lemma != "투자" or not agents:
        return rule.type
    public = all(m.label == "LOCATION" or index.org_type.get(m.canonical) in PUBLIC_TYPES for m in agents)
    return rule.type if public else "INVESTMENT"
