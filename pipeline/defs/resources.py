"""Resources: where the warehouse is and how a run is configured. Chosen in one place."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb

from pipeline.settings import Settings, load_settings
from pipeline.warehouse import connect
from pipeline.warehouse.backends import warehouse_setting


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file; one writer at a time (see the `warehouse` pool)."""

    path: str

    def connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        """Open the warehouse, waiting if an analyst or another run holds the lock."""
        return connect(self.path, read_only=read_only)


class AxnewsSettingsResource(dg.ConfigurableResource):
    """Run settings: sources file, raw store, reports folder, workers."""

    sources_file: str
    raw_dir: str
    reports_dir: str
    workers: int = 2
    allow_private: bool = False
    refetch: bool = False
    reference_dir: str = ""
    ner_model: str = ""
    ner_label_map: str = ""
    inbox_dir: str = ""
    max_reject_share: float = 0.5
    max_articles_without_entities: float = 0.2
    freshness_days: int = 400

    def settings(self, warehouse: WarehouseResource) -> Settings:
        """The plain Settings object the steps take."""
        return Settings(
            sources_file=Path(self.sources_file), warehouse=warehouse_setting(warehouse.path),
            raw_dir=Path(self.raw_dir), reports_dir=Path(self.reports_dir),
            reference_dir=Path(self.reference_dir) if self.reference_dir else None,
            ner_model=Path(self.ner_model) if self.ner_model else None,
            ner_label_map=Path(self.ner_label_map) if self.ner_label_map else None,
            workers=self.workers, allow_private=self.allow_private, refetch=self.refetch,
            max_reject_share=self.max_reject_share,
            max_articles_without_entities=self.max_articles_without_entities,
            freshness_days=self.freshness_days,
            **({"inbox_dir": Path(self.inbox_dir)} if self.inbox_dir else {}),
        )


def build_resources(settings: Settings | None = None) -> dict:
    """Resources for a Settings object (default: from AXNEWS_* environment variables)."""
    settings = settings or load_settings()
    return {
        "warehouse": WarehouseResource(path=str(settings.warehouse)),
        "axnews": AxnewsSettingsResource(
            sources_file=str(settings.sources_file), raw_dir=str(settings.raw_dir),
            reports_dir=str(settings.reports_dir), workers=settings.workers,
            allow_private=settings.allow_private, refetch=settings.refetch,
            reference_dir=str(settings.reference_dir or ""),
            ner_model=str(settings.ner_model or ""),
            ner_label_map=str(settings.ner_label_map or ""),
            inbox_dir=str(settings.inbox_dir),
            max_reject_share=settings.max_reject_share,
            max_articles_without_entities=settings.max_articles_without_entities,
            freshness_days=settings.freshness_days,
        ),
    }
