"""Jobs and schedules."""

import dagster as dg

axnews_job = dg.define_asset_job("axnews_job", selection=dg.AssetSelection.all(),
                                 description="Ingest, clean, enrich and report: the whole graph.")
