"""The DuckDB warehouse: schema, transactional loads and the SQL file loader."""

from pipeline.warehouse.db import (
    apply_schema,
    connect,
    insert_rows,
    replace_table,
    replace_where,
    set_stage_version,
    stage_version,
    table_counts,
)
from pipeline.warehouse.sqlfiles import list_checks, list_reports, read_sql, run_check, run_report

__all__ = [
    "apply_schema",
    "connect",
    "insert_rows",
    "list_checks",
    "list_reports",
    "read_sql",
    "replace_table",
    "replace_where",
    "run_check",
    "run_report",
    "set_stage_version",
    "stage_version",
    "table_counts",
]
