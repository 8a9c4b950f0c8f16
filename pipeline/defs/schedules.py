"""The daily ingest schedule; cron and timezone come from settings (AXNEWS_SCHEDULE_*)."""

from __future__ import annotations

import dagster as dg

from pipeline.defs.jobs import axnews_job
from pipeline.settings import Settings


def build_daily_ingest_schedule(settings: Settings) -> dg.ScheduleDefinition:
    """Run the whole graph every day at the configured time."""
    return dg.ScheduleDefinition(
        name="daily_ingest_schedule",
        job=axnews_job,
        cron_schedule=settings.schedule_cron,
        execution_timezone=settings.schedule_timezone,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="Ingest every source, then clean, enrich and report.",
    )
