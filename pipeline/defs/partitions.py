"""Partitions, defined once: ingestion runs per day (Asia/Seoul), so any day can be backfilled."""

import dagster as dg

INGEST_TIMEZONE = "Asia/Seoul"
daily_partitions = dg.DailyPartitionsDefinition(
    start_date="2019-01-01", timezone=INGEST_TIMEZONE, end_offset=1
)
