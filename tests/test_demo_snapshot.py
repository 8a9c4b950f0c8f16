"""The demo run's tables, views and reports match the committed digest (tests/snapshots/demo.tsv).

A refactor must leave every row of the demo warehouse and every report's output as it was. An
intended change of behaviour updates the file in the same commit
(`python -m tests.demo_snapshot WAREHOUSE --update`), so the diff shows which tables moved.
"""

from __future__ import annotations

import difflib

from tests.demo_snapshot import SNAPSHOT_FILE, render, snapshot


def test_demo_warehouse_matches_the_committed_digest(demo_run):
    expected = SNAPSHOT_FILE.read_text(encoding="utf-8")
    actual = render(snapshot(demo_run.warehouse))
    diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                        "committed", "this run"))
    assert actual == expected, f"demo output changed:\n{diff}"


def test_the_digest_sees_a_changed_value(demo_run, tmp_path):
    """A copy of the warehouse with one value changed no longer matches: the check can fail."""
    import shutil

    import duckdb

    copy = tmp_path / "copy.duckdb"
    shutil.copy(demo_run.warehouse, copy)
    before = dict(((k, n), h) for k, n, _, h in snapshot(copy))
    con = duckdb.connect(str(copy))
    con.execute("update articles set title = title || '.' "
                "where article_id = (select min(article_id) from articles)")
    con.close()
    after = dict(((k, n), h) for k, n, _, h in snapshot(copy))
    changed = {key for key in before if before[key] != after[key]}
    assert ("table", "main.articles") in changed
    assert ("table", "main.entities") not in changed
