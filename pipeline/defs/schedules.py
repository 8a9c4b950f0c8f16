"""The daily ingest schedule; cron and timezone come from settings (AXNEWS_SCHEDULE_*)."""

import dagster as dg

from pipeline.defs.jobs import axnews_job
from pipeline.settings import Settings


def build_daily_ingest_schedule(settings: Settings) -> dg.ScheduleDefinition:
    """Run the whole graph every day at the configured time, for that day's partition."""

    @dg.schedule(
        name="daily_ingest_schedule", job=axnews_job, cron_schedule=settings.schedule_cron,
        execution_timezone=settings.schedule_timezone,
        default_status=dg.DefaultScheduleStatus.STOPPED,
        description="Ingest every source for the day, then clean, enrich and report.",
    )
    def daily_ingest_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        day = context.scheduled_execution_time.date().isoformat()
        return dg.RunRequest(run_key=day, partition_key=day)

    return daily_ingest_schedule
