"""One frozen Settings object, from AXNEWS_* environment variables or a resource's config."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent  # the repository (editable install)
SQL_DIR = PROJECT_DIR / "sql"
DEMO_SOURCES = PROJECT_DIR / "data" / "demo" / "sources.toml"


@dataclass(frozen=True)
class Settings:
    """Paths and tunables for one run; every field but refetch has an AXNEWS_ variable."""

    sources_file: Path = DEMO_SOURCES
    warehouse: Path | str = PROJECT_DIR / "data" / "warehouse.duckdb"  # or a ducklake: URI
    raw_dir: Path = PROJECT_DIR / "data" / "raw"
    reports_dir: Path = PROJECT_DIR / "data" / "reports"
    inbox_dir: Path = PROJECT_DIR / "data" / "inbox"
    reference_dir: Path | None = None  # user's extra reference data
    ner_model: Path | None = None  # folder of a token-classification model (extra "model")
    ner_label_map: Path | None = None  # JSON: model label -> PERSON | ORG | LOCATION
    workers: int = max(1, os.cpu_count() or 1)
    allow_private: bool = False  # for one-off runs against loopback servers
    refetch: bool = False
    max_fetch_attempts: int = 3
    # asset-check limits (sql/checks reads them with getvariable)
    max_reject_share: float = 0.5
    max_articles_without_entities: float = 0.2
    freshness_days: int = 400
    schedule_cron: str = "0 6 * * *"
    schedule_timezone: str = "Asia/Seoul"

    def check_variables(self) -> dict[str, float]:
        """The limits the SQL checks read."""
        return {"max_reject_share": self.max_reject_share,
                "max_articles_without_entities": self.max_articles_without_entities,
                "freshness_days": self.freshness_days}

    def with_overrides(self, **changes) -> Settings:
        """Return a copy with the non-None changes applied."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


# Settings field → the environment variable that sets it (refetch is a per-run flag only).
ENV_VARS = {
    "sources_file": "AXNEWS_SOURCES", "warehouse": "AXNEWS_WAREHOUSE",
    "raw_dir": "AXNEWS_RAW_DIR", "reports_dir": "AXNEWS_REPORTS_DIR",
    "inbox_dir": "AXNEWS_INBOX_DIR", "reference_dir": "AXNEWS_REFERENCE_DIR",
    "ner_model": "AXNEWS_NER_MODEL", "ner_label_map": "AXNEWS_NER_LABEL_MAP",
    "workers": "AXNEWS_WORKERS", "allow_private": "AXNEWS_ALLOW_PRIVATE", "refetch": None,
    "max_fetch_attempts": "AXNEWS_MAX_FETCH_ATTEMPTS",
    "max_reject_share": "AXNEWS_MAX_REJECT_SHARE",
    "max_articles_without_entities": "AXNEWS_MAX_ARTICLES_WITHOUT_ENTITIES",
    "freshness_days": "AXNEWS_FRESHNESS_DAYS",
    "schedule_cron": "AXNEWS_SCHEDULE_CRON", "schedule_timezone": "AXNEWS_SCHEDULE_TIMEZONE",
}


def _path(value: str) -> Path:
    return Path(value).expanduser().resolve()


def _warehouse(value: str) -> Path | str:
    """A DuckDB file path, or a ducklake: URI kept as it is."""
    return value if value.startswith("ducklake:") else _path(value)


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


# How the text of each field becomes its value (fields not named here stay text).
PARSERS = {"sources_file": _path, "warehouse": _warehouse, "raw_dir": _path,
           "reports_dir": _path, "inbox_dir": _path, "reference_dir": _path, "ner_model": _path,
           "ner_label_map": _path, "workers": int, "allow_private": _bool, "refetch": _bool,
           "max_fetch_attempts": int, "max_reject_share": float,
           "max_articles_without_entities": float, "freshness_days": int}


def settings_from_text(values: Mapping[str, str | None]) -> Settings:
    """Settings from text values by field name (an environment, a resource's config); an empty
    or missing value keeps the default. The one place text becomes Settings."""
    return Settings().with_overrides(**{
        name: PARSERS.get(name, str)(value) for name, value in values.items() if value})


def settings_as_text(settings: Settings) -> dict[str, str]:
    """Every field as text ('' for None), the inverse of settings_from_text."""
    def text(value) -> str:
        if value is None:
            return ""
        return ("true" if value else "false") if isinstance(value, bool) else str(value)

    return {f.name: text(getattr(settings, f.name)) for f in fields(Settings)}


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build Settings from the environment (AXNEWS_SOURCES, AXNEWS_WAREHOUSE, …)."""
    environ = os.environ if environ is None else environ
    return settings_from_text({name: environ.get(var) for name, var in ENV_VARS.items() if var})
