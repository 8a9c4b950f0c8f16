"""Partitions, defined once: ingestion runs per day (Asia/Seoul), so any day can be backfilled."""

import os

import dagster as dg

INGEST_TIMEZONE = "Asia/Seoul"
# The first day with data: the bundled corpus starts in October 2025. A backfill of older feed
# or sitemap days sets AXNEWS_PARTITIONS_START (read when Dagster loads the definitions).
DEFAULT_PARTITIONS_START = "2025-10-01"
PARTITIONS_START = os.environ.get("AXNEWS_PARTITIONS_START") or DEFAULT_PARTITIONS_START
daily_partitions = dg.DailyPartitionsDefinition(
    start_date=PARTITIONS_START, timezone=INGEST_TIMEZONE, end_offset=1
)
