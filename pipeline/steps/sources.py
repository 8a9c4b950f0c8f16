"""The `sources` step: the sources file (plus one-off sources) into the `sources` table."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pandas as pd

from pipeline.models import Source
from pipeline.settings import Settings
from pipeline.sources import load_sources
from pipeline.steps.result import StepResult
from pipeline.warehouse.sources import write_sources


def load_sources_step(con: duckdb.DuckDBPyConnection, settings: Settings,
                      extra: list[Source] | tuple = (), only_extra: bool = False) -> StepResult:
    """Replace the `sources` table with the sources file (plus one-off sources)."""
    sources = list(extra) if only_extra else load_sources(settings.sources_file) + list(extra)
    # one row per name: a one-off source named like a file's entry replaces it
    sources = list({s.name: s for s in sources}.values())
    write_sources(con, sources, datetime.now(UTC))
    preview = pd.DataFrame([{"name": s.name, "kind": s.kind, "outlet": s.outlet} for s in sources])
    return StepResult({"sources": len(sources)}, preview)
