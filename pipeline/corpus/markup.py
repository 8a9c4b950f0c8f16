"""Inline entity markup used by the hand-written gold data and the demo content.

``{{surface|LABEL}}`` or ``{{surface|LABEL|canonical}}`` marks an entity mention inside a
text. ``strip_markup`` returns the plain text and the gold spans with character offsets into it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MARKUP = re.compile(r"\{\{([^{}|]+)\|([A-Z]+)(?:\|([^{}]+))?\}\}")
# The inline format of ../shared/data/gov_press/gold: <surface:LABEL> or <surface:LABEL=canonical>.
ANGLE_MARKUP = re.compile(r"<([^<>:]+):([A-Z]+)(?:=([^<>]+))?>")


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    label: str
    text: str
    canonical: str


def strip_markup(marked: str, markup: re.Pattern[str] = MARKUP) -> tuple[str, list[GoldSpan]]:
    """Remove the markup (groups: surface, label, optional canonical); return the plain text and
    the spans it marked."""
    parts: list[str] = []
    spans: list[GoldSpan] = []
    pos = 0
    length = 0
    for m in markup.finditer(marked):
        before = marked[pos : m.start()]
        parts.append(before)
        length += len(before)
        surface, label, canonical = m.group(1), m.group(2), m.group(3)
        spans.append(GoldSpan(length, length + len(surface), label, surface, canonical or surface))
        parts.append(surface)
        length += len(surface)
        pos = m.end()
    parts.append(marked[pos:])
    return "".join(parts), spans
