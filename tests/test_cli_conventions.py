"""Exit codes 0 (all ok) / 1 (some inputs failed) / 2 (usage or configuration), and messages that
say what was expected, on every command."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pipeline.cli import main
from tests.conftest import DEMO_DIR

AXNEWS = [sys.executable, "-m", "pipeline"]


def _run(args: list[str], stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*AXNEWS, *args], input=stdin, capture_output=True, text=True,
                          timeout=180, check=False)


def test_extract_says_a_folder_or_a_malformed_url_is_not_what_it_takes(tmp_path):
    proc = _run(["extract", str(tmp_path), "htps:/news.kr/a", "https://"])
    assert proc.returncode == 1
    folder, bad_url, no_host = [json.loads(line) for line in proc.stdout.splitlines()]
    assert folder["error"] == "is_directory" and "--html-dir" in folder["detail"]
    assert bad_url["error"] == "bad_url" and "https://host/path" in bad_url["detail"]
    assert no_host["error"] == "bad_url"
    assert "3 of 3 inputs failed" in proc.stderr


def test_extract_of_good_files_exits_zero():
    good = min((DEMO_DIR / "pages" / "econ").glob("*.html"))
    proc = _run(["extract", str(good)])
    assert proc.returncode == 0 and proc.stderr == ""


@pytest.mark.parametrize("command", ["entities", "events"])
def test_stdin_commands_reject_non_json_and_lines_without_text(command):
    stdin = "plain text, not json\n" + json.dumps({"id": "x"}) + "\n[1, 2]\n" + \
        json.dumps({"id": "ok", "text": "과기부는 18일 발표했다."}, ensure_ascii=False) + "\n"
    proc = _run([command], stdin)
    assert proc.returncode == 1
    plain, no_text, array, good = [json.loads(line) for line in proc.stdout.splitlines()]
    assert plain["error"] == "bad_input" and '"text" field' in plain["detail"]
    assert plain["line"] == 1 and "plain text" in plain["detail"]
    assert no_text == {"line": 2, "id": "x", "error": "bad_input",
                       "detail": 'expected a "text" field holding the article body'}
    assert array["error"] == "bad_input" and "list" in array["detail"]
    assert good["id"] == "ok" and "error" not in good
    assert "3 of 4 inputs failed" in proc.stderr


def test_stdin_commands_exit_zero_on_good_input():
    proc = _run(["entities"], json.dumps({"id": 1, "text": "과기부"}, ensure_ascii=False) + "\n")
    assert proc.returncode == 0


def test_export_to_an_existing_file_is_a_usage_error(demo_run, tmp_path, capsys):
    target = tmp_path / "out.parquet"
    target.write_text("keep me", encoding="utf-8")
    assert main(["export", "--to", str(target), "--warehouse", str(demo_run.warehouse)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert "is a file; expected a folder" in err[0] and err[-1].startswith("  fix:")
    assert target.read_text(encoding="utf-8") == "keep me"


def test_missing_warehouse_is_a_usage_error_on_every_reader(tmp_path, capsys):
    missing = str(tmp_path / "none.duckdb")
    for args in (["report", "top_people"], ["events", "--list"], ["export", "--to",
                                                                  str(tmp_path / "x")]):
        assert main([*args, "--warehouse", missing]) == 2, args
        assert "warehouse not found" in capsys.readouterr().err
    assert main(["search", "반도체", "--warehouse", missing]) == 2


def test_unknown_option_is_a_usage_error():
    assert _run(["report", "--no-such-option"]).returncode == 2


def test_search_for_a_word_no_article_holds_finds_nothing(demo_run, capsys):
    assert main(["search", "없는단어xyz", "--warehouse", str(demo_run.warehouse)]) == 0
    assert capsys.readouterr().out.strip() == "(no hits)"
    assert main(["search", "반도체를", "--warehouse", str(demo_run.warehouse)]) == 0
    assert "반도체" in capsys.readouterr().out
