"""The one Definitions object, assembled from pipeline/defs when Dagster loads it (not at import:
the schedule's time and the inbox folder come from the environment of the process that loads)."""

import dagster as dg

from pipeline.defs.assets import ALL_ASSETS
from pipeline.defs.checks import ALL_CHECKS
from pipeline.defs.jobs import axnews_job
from pipeline.defs.resources import env_resources
from pipeline.defs.schedules import build_daily_ingest_schedule
from pipeline.defs.sensors import build_inbox_sensors
from pipeline.settings import load_settings


@dg.definitions
def defs() -> dg.Definitions:
    """Assets, checks, the job, the schedule and sensors, and the resource reading AXNEWS_*."""
    settings = load_settings()
    return dg.Definitions(
        assets=ALL_ASSETS,
        asset_checks=ALL_CHECKS,
        jobs=[axnews_job],
        schedules=[build_daily_ingest_schedule(settings)],
        sensors=[*build_inbox_sensors(settings),
                 dg.AutomationConditionSensorDefinition(
                     "automation_sensor", target=dg.AssetSelection.all(),
                     default_status=dg.DefaultSensorStatus.STOPPED)],
        resources=env_resources(),
    )
