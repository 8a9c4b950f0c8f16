"""The Dagster UI as its users expect: row counts and schemas, stopped automation, real partitions."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import dagster as dg

from pipeline.defs.assets import ALL_ASSETS
from pipeline.defs.partitions import DEFAULT_PARTITIONS_START


def _asset_keys() -> list[dg.AssetKey]:
    return [key for asset in ALL_ASSETS for key in asset.keys]


def test_every_asset_has_a_row_count_and_a_column_schema(tmp_path, html_dir_sources):
    from pipeline.runner import materialize_all
    from tests.conftest import copy_demo_page, make_settings

    sources, pages = html_dir_sources
    copy_demo_page("wire", pages)
    instance = dg.DagsterInstance.ephemeral()
    assert materialize_all(make_settings(tmp_path / "out", sources_file=sources),
                           instance=instance).success
    for key in _asset_keys():
        event = instance.get_latest_materialization_event(key)
        assert event is not None, key
        meta = event.asset_materialization.metadata
        assert meta["dagster/row_count"].value >= 0, key
        schema = meta["dagster/column_schema"].value
        assert schema.columns, key
        for value in meta.values():  # a browser refuses file:// links from the UI's page
            assert not str(getattr(value, "value", "")).startswith("file://"), key


def test_schedules_and_sensors_ship_stopped():
    from pipeline.definitions import defs as load_definitions

    defs = load_definitions()

    assert defs.schedules and defs.sensors
    for schedule in defs.schedules:
        assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED, schedule.name
    for sensor in defs.sensors:
        assert sensor.default_status == dg.DefaultSensorStatus.STOPPED, sensor.name


def test_partitions_start_in_the_month_the_demo_data_starts(demo_con):
    env = {k: v for k, v in os.environ.items() if k != "AXNEWS_PARTITIONS_START"}
    out = subprocess.run(
        [sys.executable, "-c", ("from pipeline.defs.partitions import daily_partitions as p; "
                                "print(p.get_first_partition_key())")],
        capture_output=True, text=True, check=True, env=env, timeout=120).stdout.strip()
    assert out == DEFAULT_PARTITIONS_START
    (first,) = demo_con.execute(
        "select min(published_at)::date from articles where published_at is not null").fetchone()
    start = date.fromisoformat(DEFAULT_PARTITIONS_START)
    assert start <= first and (first.year, first.month) == (start.year, start.month)
