"""What a person sees from `axnews run`: a line per asset, a summary, fast and short config errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import dagster as dg
import duckdb
import pytest

from pipeline.defs.metadata import is_transient
from pipeline.progress import asset_line, progress_bar
from tests.conftest import copy_demo_page, make_settings

AXNEWS = [sys.executable, "-m", "pipeline"]
ASSET_LINE = r"^  {asset}\s+.*\d+\.\d s$"


def _env(root) -> dict:
    return {**os.environ, "AXNEWS_WAREHOUSE": str(root / "w.duckdb"),
            "AXNEWS_RAW_DIR": str(root / "raw"), "AXNEWS_REPORTS_DIR": str(root / "reports"),
            "AXNEWS_WORKERS": "1"}


@pytest.mark.slow
def test_demo_run_prints_one_line_per_asset_and_a_summary_in_under_80_lines(tmp_path):
    proc = subprocess.run([*AXNEWS, "run"], check=False, capture_output=True, text=True, timeout=300,
                          env=_env(tmp_path))
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert len(out.splitlines()) < 80, out
    assert "DEBUG" not in out and "STEP_OUTPUT" not in out and "Traceback" not in out
    for asset in ("sources", "pages", "articles", "enrichment", "article_search", "reports",
                  "chart_report"):
        assert re.search(ASSET_LINE.format(asset=asset), proc.stdout, re.MULTILINE), asset
    assert re.search(r"^pages: [\d,]+ fetched, 0 failed, \d+ rejected", proc.stdout, re.MULTILINE)
    assert re.search(r"^  by reason: \w+ \d+", proc.stdout, re.MULTILINE)
    assert re.search(r"^warehouse: [\d,]+ articles, [\d,]+ entities, [\d,]+ events", proc.stdout,
                     re.MULTILINE)
    assert f"report: {tmp_path / 'reports' / 'axnews-report.html'}" in proc.stdout
    assert "next:" in proc.stdout and "axnews search" in proc.stdout


def test_verbose_run_shows_dagster_events_and_a_failed_check_ends_with_what_to_fix(tmp_path):
    junk = tmp_path / "junk"
    junk.mkdir()
    for i in range(3):
        (junk / f"{i}.html").write_text(f"<html><body>x {i}</body></html>", encoding="utf-8")
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "j"\nkind = "html_dir"\nlocation = "junk"\n',
                       encoding="utf-8")
    proc = subprocess.run([*AXNEWS, "run", "--sources", str(sources), "--verbose"],
                          check=False, capture_output=True, text=True, timeout=300, env=_env(tmp_path))
    assert proc.returncode == 1
    assert "STEP_START" in proc.stderr  # Dagster's event log, asked for
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("  fix:") and "rejects_by_reason" in last
    assert "check rejects_share_under_limit failed on articles" in proc.stderr


def test_asset_line_shows_counts_and_seconds():
    line = asset_line("pages", {"fetched": 1200, "failed": 3, "discovered": 9}, 2.04)
    assert re.match(r"^  pages\s+1,200 pages fetched, 3 failed\s+2\.0 s$", line)


def test_progress_bars_only_when_asked(monkeypatch, capsys):
    monkeypatch.setenv("AXNEWS_PROGRESS", "0")
    with progress_bar(500, "enrichment") as bar:
        bar.update(500)
    assert capsys.readouterr().err == ""
    monkeypatch.setenv("AXNEWS_PROGRESS", "1")
    with progress_bar(500, "enrichment", "article") as bar:
        bar.update(500)
    err = capsys.readouterr().err
    assert "enrichment:" in err and "/500" in err and "article" in err


BROKEN_SOURCES = {
    "kind": ('[[source]]\nname = "a"\nkind = "html_dirr"\nlocation = "pages"\n',
             r"kind = 'html_dirr'.*did you mean 'html_dir'"),
    "table": ('[[sourse]]\nname = "a"\nkind = "html_dir"\nlocation = "pages"\n',
              r"unknown table \[sourse\].*did you mean 'source'"),
    "key": ('[[source]]\nname = "a"\nkind = "html_dir"\nlocation = "pages"\noutlt = "x"\n',
            r"unknown key 'outlt'.*did you mean 'outlet'"),
    "syntax": ('[[source]]\nname = "a\nkind = "html_dir"\n', r"not valid TOML.*line 2"),
    "folder": ('[[source]]\nname = "a"\nkind = "html_dir"\nlocation = "nope"\n',
               r"source #1 \('a'\): folder not found: .*nope"),
    "url": ('[[source]]\nname = "a"\nkind = "feed"\nlocation = "htps:/x.kr/rss"\n',
            r"location 'htps:/x.kr/rss' is not an http\(s\) URL"),
}


@pytest.mark.parametrize("problem", sorted(BROKEN_SOURCES))
def test_a_broken_sources_file_fails_in_seconds_naming_file_and_key(tmp_path, problem):
    text, expected = BROKEN_SOURCES[problem]
    (tmp_path / "pages").mkdir()
    sources = tmp_path / "sources.toml"
    sources.write_text(text, encoding="utf-8")
    started = time.monotonic()
    proc = subprocess.run([*AXNEWS, "run", "--sources", str(sources)], check=False, capture_output=True,
                          text=True, timeout=60, env=_env(tmp_path))
    assert time.monotonic() - started < 5
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert 1 < len(lines) <= 5 and lines[-1].startswith("  fix:"), proc.stderr
    assert str(sources) in lines[0] and re.search(expected, proc.stderr), proc.stderr
    assert not (tmp_path / "w.duckdb").exists()


def test_only_transient_errors_are_retried():
    assert is_transient(duckdb.IOException('Could not set lock on file "w.duckdb": Conflicting '
                                           "lock is held"))
    assert is_transient(ConnectionResetError())
    assert not is_transient(duckdb.IOException("No such file or directory"))
    assert not is_transient(ValueError("unknown kind"))


def test_a_bad_sources_file_inside_a_run_fails_once_without_retries(tmp_path):
    from pipeline.runner import materialize_all

    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "a"\nkind = "html_dirr"\nlocation = "."\n',
                       encoding="utf-8")
    started = time.monotonic()
    result = materialize_all(make_settings(tmp_path, sources_file=sources),
                             instance=dg.DagsterInstance.ephemeral(), verbose=False)
    assert not result.success and time.monotonic() - started < 30
    kinds = [e.event_type_value for e in result.all_events]
    assert "STEP_UP_FOR_RETRY" not in kinds and "STEP_RESTARTED" not in kinds
    (failure,) = [e for e in result.all_events if e.is_step_failure]
    assert "html_dirr" in failure.step_failure_data.error.message


def test_runs_are_named_and_recorded_in_the_default_instance(tmp_path, monkeypatch):
    from pipeline.runner import materialize_all

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("AXNEWS_DAGSTER_INSTANCE")  # the tests' ephemeral instances: not here
    pages = tmp_path / "pages"
    pages.mkdir()
    copy_demo_page("econ", pages)
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "s"\nkind = "html_dir"\nlocation = "pages"\n',
                       encoding="utf-8")
    result = materialize_all(make_settings(tmp_path, sources_file=sources), verbose=False)
    assert result.success and result.job_def.name == "axnews_job"
    assert (tmp_path / "home" / "dagster.yaml").exists()
    instance = dg.DagsterInstance.from_config(str(tmp_path / "home"))
    (run,) = instance.get_runs()
    assert run.job_name == "axnews_job"


def test_runs_against_another_warehouse_stay_out_of_the_uis_instance(tmp_path, monkeypatch):
    from pipeline.runner import recorded_in_ui
    from pipeline.settings import load_settings

    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.delenv("AXNEWS_WAREHOUSE", raising=False)
    assert recorded_in_ui(load_settings())  # the demo's warehouse: shown in `make ui`
    assert not recorded_in_ui(make_settings(tmp_path))  # a scratch warehouse: not
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    assert recorded_in_ui(make_settings(tmp_path))  # asked for explicitly
