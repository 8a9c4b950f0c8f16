"""The `axnews` command: every command has help, and each does its job on real inputs."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from pipeline.cli import build_parser, main
from tests.conftest import DEMO_DIR

AXNEWS = [sys.executable, "-m", "pipeline"]


def _commands() -> list[str]:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return sorted(sub.choices)


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help_text(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert f"usage: axnews {command}" in out and len(out.splitlines()) > 3


def test_extract_gives_one_json_line_per_input_in_order_with_errors_inline(tmp_path):
    good = sorted((DEMO_DIR / "pages" / "econ").glob("*.html"))[0]
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.html"
    proc = subprocess.run([*AXNEWS, "extract", str(good), str(missing), str(empty)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 1  # some inputs failed
    out = proc.stdout
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["source"] for line in lines] == [str(good), str(missing), str(empty)]
    first = lines[0]
    for key in ("url", "title", "text", "published_at", "authors", "site_name", "language"):
        assert key in first, key
    assert first["language"] == "ko" and len(first["text"]) > 200
    assert first["published_at"].endswith("+09:00")
    assert lines[1]["error"] == "not_found" and lines[2]["error"] == "empty"


def test_entities_reads_and_writes_json_lines_with_offsets():
    text = "정진수 경기테크노파크 원장은 과기부로부터 지역SW산업진흥기관으로 지정됐다고 밝혔다."
    stdin = json.dumps({"id": "a1", "text": text}, ensure_ascii=False) + "\n\n" + "not json\n"
    proc = subprocess.run([*AXNEWS, "entities"], input=stdin, capture_output=True, text=True,
                          timeout=180, check=False)
    assert proc.returncode == 1  # the "not json" line
    out = proc.stdout
    first, bad = [json.loads(line) for line in out.splitlines()]
    assert first["id"] == "a1"
    spans = {(e["text"], e["label"], e["canonical"]) for e in first["entities"]}
    assert ("정진수", "PERSON", "정진수") in spans
    assert ("과기부", "ORG", "과학기술정보통신부") in spans
    for e in first["entities"]:
        assert text[e["start"]:e["end"]] == e["text"]
    assert "error" in bad


def test_report_lists_and_prints_csv_and_json(demo_run, capsys):
    assert main(["report", "--list"]) == 0
    assert "top_people" in capsys.readouterr().out
    assert main(["report", "top_organizations", "--format", "csv",
                 "--warehouse", str(demo_run.warehouse)]) == 0
    csv = capsys.readouterr().out
    assert csv.splitlines()[0] == "organization,n_mentions,n_articles,known"
    assert main(["report", "top_people", "--format", "json",
                 "--warehouse", str(demo_run.warehouse)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records and "person" in records[0]
    assert main(["report", "no_such_report", "--warehouse", str(demo_run.warehouse)]) == 2


def test_export_writes_parquet_that_reads_back(demo_run, demo_con, tmp_path):
    out = tmp_path / "export"
    assert main(["export", "--to", str(out), "--warehouse", str(demo_run.warehouse)]) == 0
    articles = pd.read_parquet(out / "articles")
    assert len(articles) == demo_con.execute("select count(*) from articles").fetchone()[0]
    assert any(p.name.startswith("month=") for p in (out / "articles").iterdir())
    mentions = pd.read_parquet(out / "mentions.parquet")
    assert len(mentions) == demo_con.execute("select count(*) from mentions").fetchone()[0]
    import duckdb
    assert duckdb.sql(f"select count(*) from '{out}/entities.parquet'").fetchone()[0] > 0


def test_run_with_only_html_dir_ingests_just_that_folder(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for src in sorted((DEMO_DIR / "pages" / "wire").glob("*.html"))[:2]:
        (pages / src.name).write_bytes(src.read_bytes())
    (pages / "junk.html").write_bytes(b"\x00\x01binary")
    warehouse = tmp_path / "w.duckdb"
    code = main(["run", "--html-dir", str(pages), "--only", "--warehouse", str(warehouse),
                 "--workers", "1", "--quiet"])
    assert code == 0
    import duckdb
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select count(*) from pages").fetchone()[0] == 3
    assert con.execute("select count(*) from sources").fetchone()[0] == 1
    assert con.execute("select reason from rejects where url like '%junk.html'").fetchone()[0] == "not_html"


def test_run_refuses_only_without_inputs(capsys):
    assert main(["run", "--only"]) == 2
    assert "--only needs" in capsys.readouterr().err
