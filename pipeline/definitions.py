"""The one Definitions object, assembled from pipeline/defs."""

import dagster as dg

from pipeline.defs.assets import ALL_ASSETS
from pipeline.defs.jobs import axnews_job
from pipeline.defs.resources import build_resources

defs = dg.Definitions(assets=ALL_ASSETS, jobs=[axnews_job], resources=build_resources())
