"""The one resource: a run's settings and the warehouse they name. Chosen in one place.

Its fields are the Settings fields as text, so `dg.EnvVar` can fill any of them; `settings()`
turns them into the frozen Settings with `settings_from_text`, the conversion the CLI's
environment goes through too. An empty field keeps the Settings default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import dagster as dg
import duckdb

from pipeline.settings import ENV_VARS, Settings, settings_as_text, settings_from_text
from pipeline.warehouse import connect


class AxnewsResource(dg.ConfigurableResource):
    """Run settings: the warehouse (DuckDB file or ducklake: URI), sources file, raw store,
    reports folder, workers and check limits; '' keeps a setting's default."""

    warehouse: str = ""
    sources_file: str = ""
    raw_dir: str = ""
    reports_dir: str = ""
    inbox_dir: str = ""
    reference_dir: str = ""
    ner_model: str = ""
    ner_label_map: str = ""
    workers: str = ""
    allow_private: str = ""
    refetch: str = ""
    max_fetch_attempts: str = ""
    max_reject_share: str = ""
    max_articles_without_entities: str = ""
    freshness_days: str = ""
    schedule_cron: str = ""
    schedule_timezone: str = ""

    def settings(self) -> Settings:
        """The frozen Settings the steps take."""
        return settings_from_text(self.model_dump())

    def connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        """Open the warehouse, waiting if an analyst or another run holds the lock."""
        return connect(self.settings().warehouse, read_only=read_only)


def build_resources(settings: Settings | None = None) -> dict:
    """Resources for a Settings object (default: the AXNEWS_* environment variables)."""
    if settings is None:
        return env_resources()
    return {"axnews": AxnewsResource(**settings_as_text(settings))}


def env_resources(environ: Mapping[str, str] | None = None) -> dict:
    """Resources whose fields read the AXNEWS_* variables that are set, when a run is launched
    (`dg.EnvVar`: the UI shows the variable's name, not its value)."""
    environ = os.environ if environ is None else environ
    return {"axnews": AxnewsResource(**{name: dg.EnvVar(var) for name, var in ENV_VARS.items()
                                        if var and environ.get(var)})}
