"""Names with time: the name of a renamed body or region in force on an article's date.

The reference tables keep one canonical per entity and list former and successor names as
aliases (산업통상부 is an alias of 산업통상자원부). ``renames.tsv`` adds when each name changed, so
a mention is linked to the name in force on the article's date — ``산업부`` is 산업통상자원부 in
a 2024 release and 산업통상부 in a November 2025 one — and every name of the lineage maps to its
last one (``current_canonical``) for reports that group an entity's years under today's name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from pipeline.reference import Rename


@dataclass
class Lineage:
    """Successor and predecessor links of renamed names, per label."""

    successor: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # -> (name, from)
    predecessor: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def from_renames(cls, renames: Iterable[Rename]) -> Lineage:
        out = cls()
        for r in renames:
            if not (r.name and r.successor and r.valid_from):
                continue
            out.successor.setdefault((r.label, r.name), (r.successor, r.valid_from))
            # A merger has several predecessors: the first listed is the one renamed.
            out.predecessor.setdefault((r.label, r.successor), (r.name, r.valid_from))
        return out

    def __bool__(self) -> bool:
        return bool(self.successor)

    def in_force(self, label: str, name: str, day: date) -> str:
        """The lineage's name on day (name itself when it has no recorded renames)."""
        iso = day.isoformat()
        seen = {name}
        while True:
            nxt = self.successor.get((label, name))
            if nxt is None or nxt[1] > iso or nxt[0] in seen:
                break
            name = nxt[0]
            seen.add(name)
        while True:
            prev = self.predecessor.get((label, name))
            if prev is None or prev[1] <= iso or prev[0] in seen:
                break
            name = prev[0]
            seen.add(name)
        return name

    def current(self, label: str, name: str) -> str:
        """The last name of the lineage (today's name)."""
        seen = {name}
        while (nxt := self.successor.get((label, name))) is not None and nxt[0] not in seen:
            name = nxt[0]
            seen.add(name)
        return name

    def rows(self) -> list[dict]:
        """(label, canonical, current_canonical) for every name of a lineage."""
        names = {k for k in self.successor} | {k for k in self.predecessor}
        return [{"label": label, "canonical": name, "current_canonical": self.current(label, name)}
                for label, name in sorted(names)]


def link_in_force(chosen: list, lineage: Lineage, published: datetime | None) -> list:
    """Candidates whose canonical is renamed get the name in force on the publication date.

    Names defined in the text itself (``이하 산업부``) keep what the text says.
    """
    if published is None or not lineage:
        return chosen
    day = published.date()
    for c in chosen:
        if c.label in ("ORG", "LOCATION") and not c.extra.get("defined"):
            c.canonical = lineage.in_force(c.label, c.canonical, day)
    return chosen
