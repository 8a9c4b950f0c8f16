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
import tomli_w

from pipeline.defs.assets import ALL_ASSETS
from pipeline.defs.checks import ALL_CHECKS
from pipeline.defs.jobs import axnews_job
from pipeline.defs.partitions import INGEST_TIMEZONE
from pipeline.defs.resources import build_resources
from pipeline.settings import PROJECT_DIR, Settings


def one_off_sources_file(
    base: Path | None, urls_file: Path | None, html_dir: Path | None, allow_private: bool,
    out_dir: Path,
) -> Path:
    """Write a sources file: the base file's entries (unless None) plus one-off entries."""
    doc: dict = {"fetch": {}, "source": []}
    if base is not None:
        found = tomllib.loads(base.read_text(encoding="utf-8"))
        doc["fetch"] = found.get("fetch") or {}
        for entry in found.get("source", []):
            location = str(entry["location"])
            if "://" not in location:  # relative to the base file, which stays where it is
                entry = {**entry, "location": str((base.parent / location).resolve())}
            doc["source"].append(entry)
    for kind, path in (("urls", urls_file), ("html_dir", html_dir)):
        if path is not None:
            doc["source"].append({"name": f"{kind}:{path.name}", "kind": kind,
                                  "location": str(path.resolve()), "allow_private": allow_private})
    out_dir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix="sources-", suffix=".toml", dir=out_dir)
    with os.fdopen(fd, "wb") as fh:
        tomli_w.dump({key: value for key, value in doc.items() if value}, fh)
    return Path(name)


def today_partition() -> str:
    """Today's daily partition key in the ingest timezone."""
    return datetime.now(ZoneInfo(INGEST_TIMEZONE)).date().isoformat()


DEFAULT_DAGSTER_HOME = PROJECT_DIR / "data" / "dagster"


def default_instance() -> dg.DagsterInstance:
    """The instance `make ui` shows: $DAGSTER_HOME, else data/dagster (created on first use).

    AXNEWS_DAGSTER_INSTANCE=ephemeral keeps nothing (the tests: a stored instance costs ~10 s a run
    in event-log writes and pool claims).
    """
    if os.environ.get("AXNEWS_DAGSTER_INSTANCE", "").lower() == "ephemeral":
        return dg.DagsterInstance.ephemeral()
    home = Path(os.environ.get("DAGSTER_HOME") or DEFAULT_DAGSTER_HOME)
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():  # its storage under home, wherever the command runs from
        text = (PROJECT_DIR / "dagster.yaml").read_text(encoding="utf-8")
        config.write_text(text.replace("base_dir: data/dagster", f"base_dir: {home}"),
                          encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return dg.DagsterInstance.get()


def recorded_in_ui(settings: Settings) -> bool:
    """Whether a run belongs in the UI's instance: DAGSTER_HOME chosen explicitly, or the run
    writes the warehouse the UI shows (AXNEWS_WAREHOUSE, else data/warehouse.duckdb). A run
    against another file would otherwise overwrite the UI's status of that warehouse's assets."""
    from pipeline.settings import load_settings

    if os.environ.get("DAGSTER_HOME"):
        return True
    return str(settings.warehouse) == str(load_settings().warehouse)


def quiet_run_config(verbose: bool) -> dict:
    """Dagster's console log: every event with verbose, else nothing (the CLI says what matters)."""
    return {"loggers": {"console": {"config": {"log_level": "DEBUG" if verbose else "CRITICAL"}}}}


def materialize_all(settings: Settings, instance: dg.DagsterInstance | None = None,
                    partition_key: str | None = None, verbose: bool = False):
    """Run the named job `axnews_job` once for a day (default today); returns Dagster's result.

    Without an instance the run is recorded in the UI's instance (see `default_instance`).
    """
    if instance is None:
        instance = default_instance() if recorded_in_ui(settings) else dg.DagsterInstance.ephemeral()
    job = dg.Definitions(
        assets=ALL_ASSETS, asset_checks=ALL_CHECKS, jobs=[axnews_job],
        resources=build_resources(settings),
    ).resolve_job_def(axnews_job.name)
    return job.execute_in_process(
        instance=instance, partition_key=partition_key or today_partition(),
        run_config=quiet_run_config(verbose), raise_on_error=False,
        tags={"axnews/warehouse": str(settings.warehouse)},
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
