"""The schedule asks for the day's partition; the inbox sensor claims dropped files once."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg

from pipeline.defs.schedules import build_daily_ingest_schedule
from pipeline.defs.sensors import BATCH_TAG, build_inbox_sensors
from pipeline.settings import Settings


def test_daily_schedule_requests_the_days_partition_at_the_configured_time():
    settings = replace(Settings(), schedule_cron="30 7 * * 1-5", schedule_timezone="Asia/Seoul")
    schedule = build_daily_ingest_schedule(settings)
    assert schedule.cron_schedule == "30 7 * * 1-5"
    assert schedule.execution_timezone == "Asia/Seoul"
    when = datetime(2026, 1, 12, 7, 30, tzinfo=ZoneInfo("Asia/Seoul"))
    request = schedule(dg.build_schedule_context(scheduled_execution_time=when))
    assert request.partition_key == "2026-01-12"


def test_inbox_sensor_claims_files_once_and_asks_for_a_run(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "page.html").write_text("<html><body><p>x</p></body></html>", encoding="utf-8")
    sensor = build_inbox_sensors(replace(Settings(), inbox_dir=inbox))[0]
    request = sensor(dg.build_sensor_context())
    assert isinstance(request, dg.RunRequest)
    batch = request.tags[BATCH_TAG]
    assert request.run_config["ops"]["sources"]["config"]["inbox_batch"] == batch
    assert (tmp_path / "inbox" / "processing").is_dir() and not (inbox / "page.html").exists()
    assert isinstance(sensor(dg.build_sensor_context()), dg.SkipReason)
