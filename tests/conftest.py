"""Shared fixtures: settings pointing into tmp_path, and one demo warehouse per session."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

# Runs go to an ephemeral Dagster instance, not the UI's data/dagster; days back to 2020 exist
# as partitions (tests backfill old feed days). Set before pipeline.defs is imported.
os.environ["AXNEWS_DAGSTER_INSTANCE"] = "ephemeral"
os.environ.setdefault("AXNEWS_PARTITIONS_START", "2020-01-01")
os.environ.setdefault("AXNEWS_PROGRESS", "0")

from pipeline.settings import DEMO_SOURCES, PROJECT_DIR, Settings

DEMO_DIR = PROJECT_DIR / "data" / "demo"


def make_settings(root: Path, sources_file: Path = DEMO_SOURCES, **changes) -> Settings:
    """Settings whose every output lives under root."""
    values = dict(sources_file=sources_file, warehouse=root / "warehouse.duckdb",
                  raw_dir=root / "raw", reports_dir=root / "reports",
                  inbox_dir=root / "inbox", workers=1)
    return replace(Settings(), **{**values, **changes})


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """The whole graph materialized once over the bundled demo corpus (real Dagster, real DuckDB)."""
    from pipeline.runner import materialize_all

    root = tmp_path_factory.mktemp("demo")
    settings = make_settings(root)
    result = materialize_all(settings)
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    return settings


@pytest.fixture()
def demo_con(demo_run):
    """A read-only connection to the demo warehouse."""
    from pipeline.warehouse import connect

    con = connect(demo_run.warehouse, read_only=True)
    yield con
    con.close()


@pytest.fixture()
def html_dir_sources(tmp_path):
    """Write a sources file naming one html_dir; returns (sources_file, pages_dir)."""
    pages = tmp_path / "pages"
    pages.mkdir()
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[[source]]\nname = "drop"\nkind = "html_dir"\nlocation = "pages"\noutlet = "Drop"\n',
        encoding="utf-8",
    )
    return sources, pages


def copy_demo_page(outlet: str, dest: Path) -> Path:
    """Copy the first demo page of an outlet folder into dest."""
    src = sorted((DEMO_DIR / "pages" / outlet).glob("*.html"))[0]
    return Path(shutil.copy(src, dest / src.name))
