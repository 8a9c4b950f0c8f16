"""What every entity rule reads: one text, its analysis, the reference indexes, and the
candidates of the rules that ran before it (entities/registry.py sets the order)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only: the rule modules import this module, not the other way
    from .aliases import HeadPatterns
    from .gazetteer import Gazetteer
    from .tech import TechIndex
    from .text import Candidate, Tok
    from .titles import TitleIndex
    from .words import Word

ORG_OR_LOC = ("ORG", "LOCATION")


@dataclass(slots=True)
class RuleContext:
    """One text as the rules see it; found grows as the registry's rules run, in order."""

    text: str
    tokens: list[Tok]
    words: list[Word]
    published: datetime | None
    gazetteer: Gazetteer
    titles: TitleIndex
    tech: TechIndex
    heads: HeadPatterns
    found: list[Candidate] = field(default_factory=list)

    def found_as(self, *labels: str) -> list[Candidate]:
        """The candidates found so far with one of labels, in the order they were found."""
        return [c for c in self.found if c.label in labels]
