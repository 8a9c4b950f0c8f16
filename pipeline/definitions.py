"""The one Definitions object, assembled from pipeline/defs."""

import dagster as dg

from pipeline.defs.assets import ALL_ASSETS
from pipeline.defs.checks import ALL_CHECKS
from pipeline.defs.jobs import axnews_job
from pipeline.defs.resources import build_resources
from pipeline.defs.schedules import build_daily_ingest_schedule
from pipeline.defs.sensors import build_inbox_sensors
from pipeline.settings import load_settings

_settings = load_settings()

defs = dg.Definitions(
    assets=ALL_ASSETS,
    asset_checks=ALL_CHECKS,
    jobs=[axnews_job],
    schedules=[build_daily_ingest_schedule(_settings)],
    sensors=[*build_inbox_sensors(_settings),
             dg.AutomationConditionSensorDefinition(
                 "automation_sensor", target=dg.AssetSelection.all(),
                 default_status=dg.DefaultSensorStatus.STOPPED)],
    resources=build_resources(_settings),
)
