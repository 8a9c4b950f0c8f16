"""Materialize the whole asset graph in-process, as `axnews run` and `make demo` do."""

from __future__ import annotations

import os
import tempfile
import tomllib
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg

from pipeline.defs.assets import ALL_ASSETS
from pipeline.defs.checks import ALL_CHECKS
from pipeline.defs.partitions import INGEST_TIMEZONE
from pipeline.defs.resources import build_resources
from pipeline.settings import PROJECT_DIR, Settings


def one_off_sources_file(
    base: Path | None, urls_file: Path | None, html_dir: Path | None, allow_private: bool,
    out_dir: Path,
) -> Path:
    """Write a sources file: the base file's entries (unless None) plus one-off entries."""
    lines: list[str] = []
    if base is not None:
        doc = tomllib.loads(base.read_text(encoding="utf-8"))
        if doc.get("fetch"):
            lines.append("[fetch]\n" + "\n".join(
                f"{k} = {_toml_value(v)}" for k, v in doc["fetch"].items()) + "\n")
        for entry in doc.get("source", []):
            location = str(entry["location"])
            if "://" not in location:
                entry = {**entry, "location": str((base.parent / location).resolve())}
            lines.append(_toml_table(entry))
    if urls_file is not None:
        lines.append(_toml_table({"name": f"urls:{urls_file.name}", "kind": "urls",
                                  "location": str(urls_file.resolve()),
                                  "allow_private": allow_private}))
    if html_dir is not None:
        lines.append(_toml_table({"name": f"html_dir:{html_dir.name}", "kind": "html_dir",
                                  "location": str(html_dir.resolve()),
                                  "allow_private": allow_private}))
    out_dir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix="sources-", suffix=".toml", dir=out_dir)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
    return Path(name)


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _toml_table(entry: dict) -> str:
    body = "\n".join(f"{k} = {_toml_value(v)}" for k, v in entry.items())
    return f"[[source]]\n{body}\n"


def today_partition() -> str:
    """Today's daily partition key in the ingest timezone."""
    return datetime.now(ZoneInfo(INGEST_TIMEZONE)).date().isoformat()


def materialize_all(settings: Settings, instance: dg.DagsterInstance | None = None,
                    partition_key: str | None = None):
    """Run every asset once for a day (default today); returns Dagster's result."""
    if instance is None and os.environ.get("DAGSTER_HOME"):
        instance = dg.DagsterInstance.get()  # runs then show in `make ui`
    return dg.materialize(
        [*ALL_ASSETS, *ALL_CHECKS], resources=build_resources(settings), instance=instance,
        partition_key=partition_key or today_partition(), raise_on_error=False,
    )


def with_one_offs(settings: Settings, urls_file: Path | None, html_dir: Path | None,
                  only: bool, allow_private: bool) -> Settings:
    """Settings whose sources file adds (or, with only, is just) the one-off inputs."""
    if urls_file is None and html_dir is None:
        return settings
    tmp_dir = PROJECT_DIR / "data" / "tmp"
    sources = one_off_sources_file(None if only else settings.sources_file, urls_file,
                                   html_dir, allow_private, tmp_dir)
    # The user named these inputs: a high share of bad ones, or of articles naming no entity
    # (any page can be such an article), is their news, not a broken run.
    return replace(settings, sources_file=sources, max_reject_share=1.0,
                   max_articles_without_entities=1.0)
