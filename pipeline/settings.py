"""One frozen Settings object, read from AXNEWS_* environment variables once."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent  # the repository (editable install)
SQL_DIR = PROJECT_DIR / "sql"
DEMO_SOURCES = PROJECT_DIR / "data" / "demo" / "sources.toml"


@dataclass(frozen=True)
class Settings:
    """Paths and tunables for one run; every field has an AXNEWS_ variable."""

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


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else None


def _env_bool(name: str) -> bool | None:
    value = os.environ.get(name)
    return None if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def _env_warehouse() -> Path | str | None:
    """AXNEWS_WAREHOUSE: a DuckDB file path, or a ducklake: URI kept as it is."""
    value = os.environ.get("AXNEWS_WAREHOUSE")
    if not value:
        return None
    return value if value.startswith("ducklake:") else Path(value).expanduser().resolve()


def _env_float(name: str) -> float | None:
    value = os.environ.get(name)
    return float(value) if value else None


def load_settings() -> Settings:
    """Build Settings from the environment (AXNEWS_SOURCES, AXNEWS_WAREHOUSE, …)."""
    workers = os.environ.get("AXNEWS_WORKERS")
    return Settings().with_overrides(
        sources_file=_env_path("AXNEWS_SOURCES"),
        warehouse=_env_warehouse(),
        raw_dir=_env_path("AXNEWS_RAW_DIR"),
        reports_dir=_env_path("AXNEWS_REPORTS_DIR"),
        inbox_dir=_env_path("AXNEWS_INBOX_DIR"),
        reference_dir=_env_path("AXNEWS_REFERENCE_DIR"),
        ner_model=_env_path("AXNEWS_NER_MODEL"),
        ner_label_map=_env_path("AXNEWS_NER_LABEL_MAP"),
        workers=int(workers) if workers else None,
        allow_private=_env_bool("AXNEWS_ALLOW_PRIVATE"),
        max_fetch_attempts=int(os.environ["AXNEWS_MAX_FETCH_ATTEMPTS"])
        if os.environ.get("AXNEWS_MAX_FETCH_ATTEMPTS") else None,
        max_reject_share=_env_float("AXNEWS_MAX_REJECT_SHARE"),
        max_articles_without_entities=_env_float("AXNEWS_MAX_ARTICLES_WITHOUT_ENTITIES"),
        freshness_days=int(os.environ["AXNEWS_FRESHNESS_DAYS"])
        if os.environ.get("AXNEWS_FRESHNESS_DAYS") else None,
        schedule_cron=os.environ.get("AXNEWS_SCHEDULE_CRON"),
        schedule_timezone=os.environ.get("AXNEWS_SCHEDULE_TIMEZONE"),
    )
