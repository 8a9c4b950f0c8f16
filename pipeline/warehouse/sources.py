"""The `sources` table: written from the sources file, read by the pages step."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

import duckdb

from pipeline.models import Source
from pipeline.warehouse import rows as R
from pipeline.warehouse.db import replace_table
from pipeline.warehouse.sqlfiles import run_load


def write_sources(con: duckdb.DuckDBPyConnection, sources: Sequence[Source],
                  loaded_at: datetime) -> int:
    """Replace the `sources` table; returns its rows."""
    return replace_table(con, "sources", R.sources_table(list(sources), loaded_at))


def read_sources(con: duckdb.DuckDBPyConnection) -> list[Source]:
    """The sources as loaded by the last `sources` step."""
    return [Source(n, k, loc, o, ap, json.loads(opt or "{}"))
            for n, k, loc, o, ap, opt in run_load(con, "sources_read").fetchall()]
