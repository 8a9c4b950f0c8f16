"""What a step returns: counts and a small preview, shown as asset metadata and by the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class StepResult:
    """Counts and a small preview, shown as asset metadata and by the CLI."""

    counts: dict[str, int]
    preview: pd.DataFrame = field(default_factory=pd.DataFrame)
    by_reason: dict[str, int] = field(default_factory=dict)
