"""Skip outputs whose inputs did not change: a fingerprint of the tables a query reads.

A report is written again only when the content of a table its SQL names changed (row count and
the sum of every row's hash: in-place rewrites of entities, stories or sources count), when its
SQL or code changed, or when its output file is gone. The fingerprints an output was written from
are kept beside it (`<folder>/.inputs.json`), so deleting the folder or pointing the reports
elsewhere writes everything again.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

import duckdb

from pipeline.settings import SQL_DIR

FINGERPRINT_SQL = SQL_DIR / "fingerprints"
STORE_NAME = ".inputs.json"
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _sql(name: str) -> str:
    return (FINGERPRINT_SQL / f"{name}.sql").read_text(encoding="utf-8")


def names_in(text: str, names: Iterable[str]) -> list[str]:
    """The names (tables, reports) that appear as a word in a SQL or source text."""
    words = {w.lower() for w in WORD.findall(text)}
    return sorted(n for n in names if n.lower() in words)


class TableFingerprints:
    """Fingerprints of a connection's tables, each computed once (a scan of the table)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.tables = [r[0] for r in con.execute(_sql("table_names")).fetchall()]
        self.views = dict(con.execute(_sql("view_definitions")).fetchall())
        self._done: dict[str, str] = {}

    def of(self, table: str) -> str:
        if table not in self._done:
            self._done[table] = self.con.execute(
                _sql("table_fingerprint"), {"table_name": table}).fetchone()[0]
        return self._done[table]

    def inputs(self, *texts: str) -> str:
        """One value for the tables the texts name and the texts themselves (SQL or code)."""
        digest = hashlib.sha256()
        queue, seen = list(texts), set()
        while queue:
            text = queue.pop(0)
            digest.update(text.encode())
            for table in names_in(text, self.tables):
                digest.update(f"\n{table}={self.of(table)}".encode())
            for view in names_in(text, self.views):  # a view reads the tables it names
                if view not in seen:
                    seen.add(view)
                    queue.append(self.views[view])
        return digest.hexdigest()[:32]


class OutputStore:
    """The input fingerprint each output file of a folder was last written from."""

    def __init__(self, folder: Path, name: str = STORE_NAME) -> None:
        self.path = folder / name
        try:
            self.entries: dict[str, dict] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}

    def unchanged(self, output: Path, fingerprint: str) -> dict | None:
        """What was recorded with the output when it exists and came from these inputs."""
        entry = self.entries.get(output.name)
        if output.is_file() and entry and entry.get("inputs") == fingerprint:
            return entry
        return None

    def record(self, output: Path, fingerprint: str, **extra) -> None:
        self.entries[output.name] = {"inputs": fingerprint, **extra}

    def save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.entries, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(self.path)
