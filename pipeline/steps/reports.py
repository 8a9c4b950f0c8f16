"""The report steps: every SQL report as CSV, and the HTML chart report; each skipped while the
tables it reads, its SQL and its code are unchanged."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from pipeline.settings import Settings
from pipeline.steps.result import StepResult

CHART_REPORT = "axnews-report.html"


def reports_step(con: duckdb.DuckDBPyConnection, settings: Settings) -> StepResult:
    """Run every report in sql/reports and write each as CSV under the reports folder; a report
    whose tables and SQL did not change since its CSV was written is skipped."""
    from pipeline.formatting import csv_frame
    from pipeline.warehouse import list_reports, read_sql, run_report
    from pipeline.warehouse.fingerprints import OutputStore, TableFingerprints
    from pipeline.warehouse.sqlfiles import REPORTS_DIR

    settings.reports_dir.mkdir(parents=True, exist_ok=True)
    tables, store = TableFingerprints(con), OutputStore(settings.reports_dir)
    counts, skipped = {}, 0
    for name in list_reports():
        path = settings.reports_dir / f"{name}.csv"
        inputs = tables.inputs(read_sql(REPORTS_DIR / f"{name}.sql"))
        if (kept := store.unchanged(path, inputs)) is not None:
            counts[name], skipped = kept["rows"], skipped + 1
            continue
        frame = run_report(con, name)
        # With a BOM: Excel on Korean Windows reads a UTF-8 file as CP949 without one.
        csv_frame(frame).to_csv(path, index=False, encoding="utf-8-sig")
        counts[name] = len(frame)
        store.record(path, inputs, rows=len(frame))
    store.save()
    preview = pd.DataFrame([{"report": k, "rows": v} for k, v in counts.items()])
    return StepResult({**counts, "reports_skipped": skipped,
                       "reports_written": len(counts) - skipped}, preview)


def chart_report_step(con: duckdb.DuckDBPyConnection, settings: Settings) -> StepResult:
    """Write the self-contained HTML chart report under the reports folder, unless the tables it
    reads, its code and its report SQL are unchanged since it was written."""
    from importlib.util import find_spec

    from pipeline.warehouse import list_reports, read_sql
    from pipeline.warehouse.fingerprints import OutputStore, TableFingerprints, names_in
    from pipeline.warehouse.sqlfiles import LOAD_DIR, REPORTS_DIR, load_sql

    settings.reports_dir.mkdir(parents=True, exist_ok=True)
    path = settings.reports_dir / CHART_REPORT
    # The module's text, not the module: matplotlib (0.4 s to import) only when drawing.
    code = Path(find_spec("pipeline.charts").origin).read_text(encoding="utf-8")
    # The queries it runs, reports and its own (sql/load): the tables those read are inputs too
    # (the event timeline's agents come from event_roles, which the code never names).
    queries = [read_sql(REPORTS_DIR / f"{name}.sql") for name in names_in(code, list_reports())]
    queries += [load_sql(name) for name in names_in(code, [p.stem for p in LOAD_DIR.glob("*.sql")])]
    inputs = TableFingerprints(con).inputs(code, *queries)
    store = OutputStore(settings.reports_dir, ".chart-inputs.json")
    skipped = store.unchanged(path, inputs) is not None
    if not skipped:
        from pipeline.charts import build_chart_report

        tmp = path.with_suffix(".html.tmp")
        tmp.write_text(build_chart_report(con), encoding="utf-8")
        tmp.replace(path)  # atomic: a browser never sees half a report
        store.record(path, inputs)
        store.save()
    return StepResult({"bytes": path.stat().st_size, "skipped": int(skipped)},
                      pd.DataFrame([{"path": str(path)}]))
