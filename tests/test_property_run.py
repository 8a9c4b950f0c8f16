"""Property test through the real `axnews run` (Dagster, every asset and check): a generated
folder of hostile saved pages exits 0, accounts for every file, and a re-run changes nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.warehouse import connect
from tests.fuzz_inputs import (
    KINDS,
    URL_POOL,
    PageSpec,
    assert_keys_unique,
    page_specs,
    row_counts,
    unaccounted,
)
from tests.test_property_ingest import write_folder


def _run(folder: Path, warehouse: Path) -> int:
    return main(["run", "--html-dir", str(folder), "--only", "--warehouse", str(warehouse),
                 "--workers", "1", "--quiet"])


@settings(max_examples=2, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(specs=st.lists(page_specs, min_size=2, max_size=8))
@example(specs=[PageSpec(kind, i % URL_POOL, i % 3, i % 2, i % 2) for i, kind in enumerate(KINDS)])
def test_axnews_run_over_any_folder_exits_0_and_accounts_for_every_file(specs, monkeypatch):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        monkeypatch.setenv("AXNEWS_RAW_DIR", str(root / "raw"))
        monkeypatch.setenv("AXNEWS_REPORTS_DIR", str(root / "reports"))
        uris = write_folder(root / "pages", specs)
        warehouse = root / "w.duckdb"
        assert _run(root / "pages", warehouse) == 0
        con = connect(warehouse, read_only=True)
        try:
            assert unaccounted(con, uris) == []
            assert_keys_unique(con)
            first = row_counts(con)
        finally:
            con.close()
        assert _run(root / "pages", warehouse) == 0
        con = connect(warehouse, read_only=True)
        try:
            assert row_counts(con) == first
        finally:
            con.close()
