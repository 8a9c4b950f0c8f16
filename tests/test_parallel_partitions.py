"""A 3-day backfill as three concurrent Dagster runs writing one DuckLake+PostgreSQL warehouse."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from pipeline.warehouse import connect
from tests.http_server import start_server
from tests.pg import postgres_bin_dir, running_postgres

DAYS = ("2026-01-12", "2026-01-13", "2026-01-14")
PER_DAY = 6

RUN_ONE_DAY = textwrap.dedent("""
    import sys
    import dagster as dg
    from pipeline.defs.assets import pages
    from pipeline.defs.resources import build_resources
    from pipeline.settings import load_settings
    result = dg.materialize([pages], resources=build_resources(load_settings()),
                            partition_key=sys.argv[1], raise_on_error=False)
    print("ok" if result.success else "failed", flush=True)
    sys.exit(0 if result.success else 1)
""")


@pytest.fixture(scope="module")
def postgres():
    if postgres_bin_dir() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is missing: .ci/run must call scripts/install-postgres.sh")
        pytest.skip("PostgreSQL is not installed (scripts/install-postgres.sh)")
    with running_postgres() as conninfo:
        yield conninfo


def test_three_day_backfill_as_concurrent_runs_holds_exactly_the_union(tmp_path, postgres):
    server = start_server()
    try:
        sitemap = tmp_path / "sitemap.xml"
        urls = "".join(
            f"<url><loc>{server.url(f'/bulk/{d}-{i}.html')}</loc><lastmod>{day}T09:00:00+09:00</lastmod></url>"
            for d, day in enumerate(DAYS) for i in range(PER_DAY))
        sitemap.write_text('<?xml version="1.0" encoding="UTF-8"?><urlset '
                           f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[fetch]\nper_domain_delay = 0.0\nread_timeout = 5.0\n\n[[source]]\n'
                           f'name = "lake_sitemap"\nkind = "sitemap"\nlocation = "{sitemap}"\n'
                           'allow_private = true\n', encoding="utf-8")
        warehouse = f"ducklake:postgres:{postgres}"
        env = {**os.environ, "AXNEWS_WAREHOUSE": warehouse, "AXNEWS_SOURCES": str(sources),
               "AXNEWS_DATA_PATH": str(tmp_path / "lake"), "AXNEWS_RAW_DIR": str(tmp_path / "raw"),
               "AXNEWS_WORKERS": "1"}
        env.pop("DAGSTER_HOME", None)
        prepare = subprocess.run(
            [sys.executable, "-c", "import dagster as dg; from pipeline.defs.assets import sources; "
             "from pipeline.defs.resources import build_resources; "
             "assert dg.materialize([sources], resources=build_resources()).success"],
            env=env, capture_output=True, text=True, timeout=180)
        assert prepare.returncode == 0, prepare.stderr[-2000:]
        runs = [subprocess.Popen([sys.executable, "-c", RUN_ONE_DAY, day], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for day in DAYS]
        outputs = [run.communicate(timeout=300) for run in runs]
        for run, (out, err) in zip(runs, outputs):
            assert run.returncode == 0 and "ok" in out, err[-3000:]
            assert "Could not set lock" not in err
        with connect(warehouse, read_only=True) as con:
            rows = con.execute("select partition_day::varchar, count(*), count(distinct page_id) "
                               "from pages group by 1 order by 1").fetchall()
            failed = con.execute("select count(*) from pages where not ok").fetchone()[0]
        assert rows == [(day, PER_DAY, PER_DAY) for day in DAYS]
        assert failed == 0
    finally:
        server.close()
