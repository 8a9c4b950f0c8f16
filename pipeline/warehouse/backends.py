"""DuckLake warehouses: a catalog in PostgreSQL or SQLite, data as Parquet files, many writers.

A warehouse string ``ducklake:postgres:<libpq conninfo>`` or ``ducklake:sqlite:<file>`` opens an
in-memory DuckDB connection with the DuckLake catalog attached as ``lake`` and in use, so the SQL
files and the loads in ``db.py`` run on it unchanged. Extensions are loaded from the files the
``duckdb-extension-*`` registry packages ship (never downloaded). Data files go to
``AXNEWS_DATA_PATH`` when a catalog is created; an existing catalog keeps the path it recorded.
"""

from __future__ import annotations

import importlib.util
import os
import random
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb

from pipeline.settings import PROJECT_DIR, SQL_DIR

DUCKLAKE_PREFIX = "ducklake:"
CATALOG_KINDS = ("postgres", "sqlite")
LAKE_NAME = "lake"  # the name the DuckLake catalog is attached under
DATA_PATH_ENV = "AXNEWS_DATA_PATH"
POSTGRES_DATA_PATH = PROJECT_DIR / "data" / "lake"  # default data folder for a PostgreSQL catalog
REMOTE_SCHEMES = ("s3://", "gs://", "gcs://", "r2://", "az://", "azure://", "abfss://", "http")

# extension → (registry package's module, file name in the package, name DuckDB expects)
EXTENSIONS = {
    "ducklake": ("duckdb_extension_ducklake", "ducklake", "ducklake"),
    "postgres": ("duckdb_extension_postgres", "postgres", "postgres_scanner"),
    "sqlite": ("duckdb_extension_sqlite", "sqlite", "sqlite_scanner"),
    "httpfs": ("duckdb_extension_httpfs", "httpfs", "httpfs"),
}

# what DuckLake rejects: "PRIMARY KEY/UNIQUE constraints are not supported in DuckLake"
TABLE_KEY = re.compile(r",\s*(?:constraint\s+\w+\s+)?(?:primary\s+key|unique)\s*\([^)]*\)",
                       re.IGNORECASE)
COLUMN_PRIMARY_KEY = re.compile(r"\bprimary\s+key\b", re.IGNORECASE)
COLUMN_UNIQUE = re.compile(r"\s+unique\b(?!\s*\()", re.IGNORECASE)
INDEX_STATEMENT = re.compile(r"^\s*create\s+(?:unique\s+)?index\b[^;]*;?",
                             re.IGNORECASE | re.MULTILINE)
LINE_COMMENT = re.compile(r"--[^\n]*")
T = TypeVar("T")
# lost races, worth running the transaction again: DuckLake's optimistic commits, DuckDB's own
# write-write conflicts, and PostgreSQL refusing the second of two catalogs created at once
CONFLICT_MARKERS = ("transaction conflict", "write-write conflict", "conflict on tuple",
                    "could not serialize access", "duplicate key value violates unique constraint")
# Rows of small inserts would be kept inside the catalog ("inlined"); a writer deleting inlined
# rows then conflicts with every other writer inserting into the table. Writers write Parquet.
WRITER_OPTIONS = ("data_inlining_row_limit 0",)


@dataclass(frozen=True)
class LakeTarget:
    """Where a DuckLake catalog lives: its kind and its conninfo or file."""

    kind: str  # postgres | sqlite
    location: str  # libpq conninfo, or the SQLite file's absolute path


def is_ducklake(warehouse: Path | str) -> bool:
    """Whether a warehouse setting names a DuckLake catalog rather than a DuckDB file."""
    return str(warehouse).startswith(DUCKLAKE_PREFIX)


def parse_ducklake(uri: str) -> LakeTarget:
    """Split ``ducklake:<kind>:<location>``; SQLite paths become absolute."""
    kind, sep, location = uri.removeprefix(DUCKLAKE_PREFIX).partition(":")
    if not sep or kind not in CATALOG_KINDS or not location.strip():
        raise ValueError(f"expected ducklake:postgres:<conninfo> or ducklake:sqlite:<file>, "
                         f"got {uri!r}")
    if kind == "sqlite":
        location = str(Path(location).expanduser().resolve())
    return LakeTarget(kind, location.strip())


def warehouse_setting(value: str | Path) -> Path | str:
    """A --warehouse / AXNEWS_WAREHOUSE value: DuckLake URIs stay strings, files become paths."""
    if is_ducklake(value):
        parse_ducklake(str(value))  # fail early on a malformed URI
        return str(value)
    return Path(value).expanduser().resolve()


def warehouse_exists(warehouse: Path | str) -> bool:
    """Whether there is a warehouse to read (a PostgreSQL catalog is assumed to exist)."""
    if not is_ducklake(warehouse):
        return Path(warehouse).is_file()
    target = parse_ducklake(str(warehouse))
    return target.kind == "postgres" or Path(target.location).is_file()


def sql_literal(text: str) -> str:
    """Quote a string for statements that take no bind parameters (ATTACH, LOAD)."""
    return "'" + text.replace("'", "''") + "'"


def _package_dir(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        package = module.replace("_", "-")
        raise RuntimeError(f"DuckDB extension package missing: pip install {package}=="
                           f"{duckdb.__version__}")
    return Path(next(iter(spec.submodule_search_locations)))


def _link_or_copy(source: Path, target: Path) -> None:
    """Give `source` a second name atomically; never rewrite a file a process may have loaded."""
    if target.exists():
        return
    try:
        os.link(source, target)
        return
    except FileExistsError:
        return
    except OSError:
        pass  # another file system, or no hard links: copy, then rename into place
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    shutil.copyfile(source, tmp)
    os.replace(tmp, target)


def extension_file(name: str) -> Path:
    """The loadable file of one extension, under the file name DuckDB's entry point expects."""
    module, shipped, internal = EXTENSIONS[name]
    folder = _package_dir(module) / "extensions" / f"v{duckdb.__version__}"
    source = folder / f"{shipped}.duckdb_extension"
    if not source.is_file():
        raise RuntimeError(f"{source} not found: the package must match duckdb "
                           f"{duckdb.__version__}")
    if shipped == internal:
        return source
    target = folder / f"{internal}.duckdb_extension"
    try:
        _link_or_copy(source, target)
    except PermissionError:  # read-only site-packages: keep the renamed copy in a temp folder
        spare = Path(tempfile.gettempdir()) / f"axnews-duckdb-extensions-{duckdb.__version__}"
        spare.mkdir(exist_ok=True)
        target = spare / target.name
        _link_or_copy(source, target)
    return target


def load_extension(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """LOAD one extension from its registry package's file."""
    con.execute(f"load {sql_literal(str(extension_file(name)))}")


def is_remote(data_path: str) -> bool:
    """Whether a data path is on object storage (needs httpfs) rather than a local folder."""
    return data_path.lower().startswith(REMOTE_SCHEMES)


def default_data_path(target: LakeTarget) -> str:
    """AXNEWS_DATA_PATH, else a folder beside the SQLite file, else data/lake/ in the project."""
    configured = os.environ.get(DATA_PATH_ENV)
    if configured:
        path = configured if is_remote(configured) else str(Path(configured).expanduser().resolve())
    elif target.kind == "sqlite":
        path = target.location + ".files"
    else:
        path = str(POSTGRES_DATA_PATH)
    return path.rstrip("/") + "/"


def _attach(con: duckdb.DuckDBPyConnection, target: LakeTarget, options: list[str]) -> None:
    uri = f"ducklake:{target.kind}:{target.location}"
    suffix = f" ({', '.join(options)})" if options else ""
    con.execute(f"attach {sql_literal(uri)} as {LAKE_NAME}{suffix}")


def attach_ducklake(con: duckdb.DuckDBPyConnection, target: LakeTarget, read_only: bool) -> None:
    """Attach the catalog as `lake`: a new catalog gets the default data path, an old keeps its."""
    load_extension(con, "ducklake")
    load_extension(con, target.kind)
    data_path = default_data_path(target)
    if is_remote(data_path):
        load_extension(con, "httpfs")
    if read_only:
        _attach(con, target, ["read_only"])
        return
    if target.kind == "sqlite":
        Path(target.location).parent.mkdir(parents=True, exist_ok=True)
    with_path = [f"data_path {sql_literal(data_path)}", *WRITER_OPTIONS]
    if os.environ.get(DATA_PATH_ENV):  # explicit: DuckLake refuses it if the catalog disagrees
        _attach(con, target, with_path)
        return
    try:
        _attach(con, target, list(WRITER_OPTIONS))  # an existing catalog knows its data path
    except duckdb.Error as exc:
        if "data_path is not set" not in str(exc).lower():
            raise
        if not is_remote(data_path):
            Path(data_path).mkdir(parents=True, exist_ok=True)
        _attach(con, target, with_path)


def connect_ducklake(
    uri: str, read_only: bool = False, wait_seconds: float = 60.0
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the DuckLake catalog attached and in use.

    Retries while another process is creating the same catalog (a lost race, not an error).
    """
    target = parse_ducklake(uri)
    deadline = time.monotonic() + wait_seconds
    delay = 0.1
    while True:
        con = duckdb.connect(":memory:")
        try:
            attach_ducklake(con, target, read_only)
            con.execute(f"use {LAKE_NAME}")
            return con
        except duckdb.Error as exc:
            con.close()
            if not is_conflict(exc) or time.monotonic() > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 2.0)


def shell_sql(uri: str) -> str:
    """Statements that open a DuckLake warehouse read-only in the DuckDB shell (`duckdb -init`)."""
    target = parse_ducklake(uri)
    names = ("ducklake", target.kind)
    lines = [f"load {sql_literal(str(extension_file(name)))};" for name in names]
    if is_remote(default_data_path(target)):
        lines.append(f"load {sql_literal(str(extension_file('httpfs')))};")
    lines.append(f"attach {sql_literal(f'ducklake:{target.kind}:{target.location}')} as "
                 f"{LAKE_NAME} (read_only);")
    lines.append(f"use {LAKE_NAME};")
    return "\n".join(lines) + "\n"


def adapt_ddl(sql: str) -> str:
    """Rewrite create-if-not-exists DDL into what DuckLake accepts: no keys, unique or indexes."""
    sql = LINE_COMMENT.sub("", sql)  # comments may name constraints; they carry no DDL
    sql = INDEX_STATEMENT.sub("", sql)
    sql = TABLE_KEY.sub("", sql)
    sql = COLUMN_PRIMARY_KEY.sub("not null", sql)  # a key column was implicitly not null
    sql = COLUMN_UNIQUE.sub("", sql)
    return re.sub(r"\bnot\s+null(\s+not\s+null)+\b", "not null", sql, flags=re.IGNORECASE)


def is_conflict(exc: BaseException | None) -> bool:
    """Whether an error, or one it was raised while handling, is a lost race between writers."""
    while exc is not None:
        text = str(exc).lower()
        if any(marker in text for marker in CONFLICT_MARKERS):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def retry_on_conflict(work: Callable[[], T], wait_seconds: float = 60.0) -> T:
    """Run `work` (one whole transaction) again while it loses commit races to other writers.

    DuckLake commits optimistically: a transaction that deletes from a table conflicts with any
    concurrent one that inserts into it, and the loser's changes are rolled back entirely.
    """
    deadline = time.monotonic() + wait_seconds
    delay = 0.05
    while True:
        try:
            return work()
        except duckdb.Error as exc:
            if not is_conflict(exc) or time.monotonic() > deadline:
                raise
        time.sleep(delay * (0.5 + random.random()))  # jitter: losers must not retry in step
        delay = min(delay * 2, 2.0)


def apply_ducklake_schema(
    con: duckdb.DuckDBPyConnection, schema_dir: Path = SQL_DIR / "schema",
    wait_seconds: float = 60.0,
) -> None:
    """Run every schema file, adapted; retry a file another process was creating at once.
    Comments (`comment on …`) run last, only those that changed."""
    from pipeline.warehouse.comments import apply_comments, split_comments
    from pipeline.warehouse.state_schema import (
        create_state_schema,
        merge_former_ledgers,
        move_bookkeeping_tables,
    )

    retry_on_conflict(lambda: create_state_schema(con), wait_seconds)
    comments = []
    for path in sorted(schema_dir.glob("*.sql")):
        sql, found = split_comments(path.read_text(encoding="utf-8"))
        comments += found
        ddl = adapt_ddl(sql)
        deadline = time.monotonic() + wait_seconds
        delay = 0.1
        while True:
            try:
                con.execute(ddl)
                break
            except duckdb.Error as exc:
                if not is_conflict(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 2.0)
    retry_on_conflict(lambda: move_bookkeeping_tables(con), wait_seconds)
    retry_on_conflict(lambda: merge_former_ledgers(con), wait_seconds)
    retry_on_conflict(lambda: apply_comments(con, comments), wait_seconds)


def is_ducklake_connection(con) -> bool:
    """Whether a connection's current database is a DuckLake catalog."""
    row = con.execute(
        "select type from duckdb_databases() where database_name = current_database()").fetchone()
    return bool(row) and row[0] == "ducklake"
