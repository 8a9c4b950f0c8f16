"""A digest of everything the demo run leaves behind: every table, view and report, row by row.

Refactors promise "behaviour unchanged"; this makes the promise checkable. Each table (both
schemas), view and SQL report becomes one line `kind name rows sha256`, the hash taken over the
rows printed canonically and sorted, so row order and storage layout do not matter but any value
does. Columns that record when something ran (fetch and load times) and paths of the machine
(the clone's folder, the run's temporary folder) are left out or masked: they change between two
identical runs.

    python -m tests.demo_snapshot WAREHOUSE            # print the digest
    python -m tests.demo_snapshot WAREHOUSE --update   # rewrite tests/snapshots/demo.tsv

`tests/test_demo_snapshot.py` compares a fresh demo run with the committed file. When a change
of behaviour is intended, update the file in the same commit: its diff names what changed.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

import duckdb

SNAPSHOT_FILE = Path(__file__).parent / "snapshots" / "demo.tsv"
PROJECT_DIR = Path(__file__).resolve().parent.parent

# Wall-clock columns (when a page was read, a file loaded) and the hash of a stage's source code
# (any edit changes it; it only decides whether a stage re-runs): not facts of the corpus.
VOLATILE_COLUMNS = {"fetched_at", "loaded_at", "partition_day"}  # partition: the Seoul day of the run
VOLATILE_BY_TABLE = {("axnews_state", "stage_state"): {"updated_at", "version"}}
VOLATILE_REPORT_COLUMNS = {"last_fetch"}  # source_coverage: when each source was last read


def _masked(value: object, roots: list[str], page_ids: dict[str, str]) -> str:
    """A value printed canonically, machine paths and path-derived ids replaced by placeholders."""
    text = repr(value)
    for i, root in enumerate(roots):
        text = text.replace(root, f"<root{i}>")
    if page_ids and any(c in text for c in "0123456789abcdef"):
        for page_id, label in page_ids.items():
            if page_id in text:
                text = text.replace(page_id, label)
    return text


def _page_labels(con: duckdb.DuckDBPyConnection, roots: list[str]) -> dict[str, str]:
    """Page id -> '<page URL>': a page read from a file without a URL of its own has an id hashed
    from its absolute path, which differs between two clones of the repository."""
    rows = con.execute("select page_id, source, url from pages").fetchall()
    return {pid: f"<page {source} {_masked(url, roots, {})}>" for pid, source, url in rows}


def _digest(rows: list[tuple], roots: list[str], page_ids: dict[str, str]) -> str:
    lines = sorted("\t".join(_masked(v, roots, page_ids) for v in row) for row in rows)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:16]


def _relations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return con.execute(
        "select schema_name, table_name, 'table' from duckdb_tables() "
        "where database_name = current_database() "
        "union all select schema_name, view_name, 'view' from duckdb_views() "
        "where database_name = current_database() and not internal "
        "order by 3, 1, 2").fetchall()


def _columns(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> list[str]:
    rows = con.execute(
        "select column_name from duckdb_columns() where database_name = current_database() "
        "and schema_name = ? and table_name = ? order by column_index", [schema, name]).fetchall()
    skip = VOLATILE_COLUMNS | VOLATILE_BY_TABLE.get((schema, name), set())
    return [c for (c,) in rows if c not in skip]


def snapshot(warehouse: Path, roots: list[str] | None = None) -> list[tuple[str, str, int, str]]:
    """(kind, name, row count, digest) for every table, view and report of a warehouse."""
    from pipeline.warehouse.sqlfiles import list_reports, run_report

    roots = [str(warehouse.parent.resolve()), str(PROJECT_DIR), *(roots or [])]
    out = []
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        page_ids = _page_labels(con, roots)
        for schema, name, kind in _relations(con):
            cols = ", ".join(f'"{c}"' for c in _columns(con, schema, name))
            rows = con.execute(f'select {cols} from "{schema}"."{name}"').fetchall()
            out.append((kind, f"{schema}.{name}", len(rows), _digest(rows, roots, page_ids)))
        for name in list_reports():
            frame = run_report(con, name)
            frame = frame.drop(columns=[c for c in frame.columns if c in VOLATILE_REPORT_COLUMNS])
            rows = list(frame.itertuples(index=False, name=None))
            out.append(("report", name, len(rows), _digest(rows, roots, page_ids)))
    finally:
        con.close()
    return out


def render(lines: list[tuple[str, str, int, str]]) -> str:
    return "".join(f"{kind}\t{name}\t{n}\t{h}\n" for kind, name, n, h in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--update", action="store_true", help=f"rewrite {SNAPSHOT_FILE.name}")
    args = parser.parse_args(argv)
    text = render(snapshot(args.warehouse))
    if args.update:
        SNAPSHOT_FILE.parent.mkdir(exist_ok=True)
        SNAPSHOT_FILE.write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
