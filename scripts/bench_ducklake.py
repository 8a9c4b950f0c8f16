"""Write throughput of the warehouse backends: one writer, then three writer processes at once.

Each writer owns one "day" of `pages` rows and loads it in batches, each batch one transaction
(delete the batch's page_ids, insert the batch), exactly as the pipeline loads pages. Two passes:
`insert` on an empty table (the deletes find nothing) and `replace` over the rows just written
(every delete hits rows, so concurrent DuckLake commits conflict and are retried).

    .venv/bin/python scripts/bench_ducklake.py                # a throwaway PostgreSQL cluster
    .venv/bin/python scripts/bench_ducklake.py --conninfo 'dbname=axnews host=127.0.0.1 port=5432'
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.warehouse import connect, replace_where
from pipeline.warehouse.backends import DATA_PATH_ENV, retry_on_conflict

PAGES_BY_IDS = "page_id in (select unnest(?::varchar[]))"


def page_batch(day: int, start: int, n: int, attempt: int) -> pa.Table:
    """n `pages` rows of one day, about the size the fetcher writes."""
    ids = [f"d{day}-{i:07d}" for i in range(start, start + n)]
    urls = [f"https://news{day}.example.kr/article/{i}.html" for i in range(start, start + n)]
    fetched = datetime(2024, 5, 1 + day, 9, tzinfo=UTC)
    return pa.table({
        "page_id": ids, "source": [f"outlet{day}"] * n, "url": urls, "canonical_url": urls,
        "final_url": urls, "fetched_at": pa.array([fetched] * n, pa.timestamp("us", tz="UTC")),
        "ok": [True] * n, "http_status": pa.array([200] * n, pa.int32()),
        "content_type": ["text/html; charset=utf-8"] * n, "encoding": ["utf-8"] * n,
        "n_bytes": pa.array([81_000] * n, pa.int64()), "content_hash": [i[::-1] for i in ids],
        "html_key": [f"ab/{i}" for i in ids], "attempts": pa.array([attempt] * n, pa.int32()),
    })


def write_day(warehouse: str, day: int, rows: int, batch: int, attempt: int, start, results):
    """One writer: load its day in batches; report (seconds, transactions tried)."""
    con = connect(warehouse)
    start.wait(timeout=120)
    began, tries = time.perf_counter(), 0
    for offset in range(0, rows, batch):
        table = page_batch(day, offset, min(batch, rows - offset), attempt)
        ids = table.column("page_id").to_pylist()

        def once(table: pa.Table = table, ids: list[str] = ids) -> int:
            nonlocal tries
            tries += 1
            return replace_where(con, "pages", table, PAGES_BY_IDS, [ids])

        retry_on_conflict(once, wait_seconds=600)
    results.put((time.perf_counter() - began, tries))
    con.close()


def run(warehouse: str, writers: int, rows: int, batch: int, attempt: int) -> dict:
    """Run `writers` processes at once; rows/s over the wall time from a common start."""
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    start = ctx.Barrier(writers + 1)
    procs = [ctx.Process(target=write_day, args=(warehouse, day, rows, batch, attempt, start,
                                                 results)) for day in range(writers)]
    for proc in procs:
        proc.start()
    start.wait(timeout=120)
    began = time.perf_counter()
    done = [results.get(timeout=1800) for _ in procs]
    wall = time.perf_counter() - began
    for proc in procs:
        proc.join(timeout=60)
    if any(proc.exitcode for proc in procs):
        raise SystemExit("a writer failed")
    batches = writers * -(-rows // batch)
    return {"writers": writers, "rows": writers * rows, "seconds": wall,
            "rows_per_s": writers * rows / wall, "retries": sum(t for _, t in done) - batches}


def check_rows(warehouse: str, expected: int) -> None:
    """The table holds exactly the rows written, once each."""
    con = connect(warehouse, read_only=True)
    count, distinct = con.execute("select count(*), count(distinct page_id) from pages").fetchone()
    con.close()
    if (count, distinct) != (expected, expected):
        raise SystemExit(f"pages holds {count} rows ({distinct} distinct), expected {expected}")


def clear_pages(warehouse: str) -> None:
    """Empty the `pages` table (creating the schema first), outside the timing."""
    con = connect(warehouse)
    con.execute("delete from pages")
    con.close()


def bench_backend(label: str, warehouse: str, args, writer_counts: tuple[int, ...]) -> list[dict]:
    """For each writer count: an insert pass on an empty table, then a replace pass."""
    out = []
    for writers in writer_counts:
        clear_pages(warehouse)
        for attempt, phase in ((1, "insert"), (2, "replace")):
            row = run(warehouse, writers, args.rows, args.batch, attempt)
            check_rows(warehouse, writers * args.rows)
            out.append({"backend": label, "phase": phase, **row})
            print_row(out[-1])
    return out


def print_row(row: dict) -> None:
    """One line of the result table."""
    print(f"{row['backend']:<18} {row['phase']:<8} {row['writers']:>7} {row['rows']:>7} "
          f"{row['seconds']:>8.2f} {row['rows_per_s']:>8.0f} {row['retries']:>7}", flush=True)


def main(argv: list[str] | None = None) -> None:
    """Parse options, start PostgreSQL unless given one, run the benchmark, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conninfo", help="libpq conninfo of a database to keep the catalog in "
                        "(its `pages` table is emptied); default: a throwaway local cluster")
    parser.add_argument("--rows", type=int, default=20_000, help="rows per writer")
    parser.add_argument("--batch", type=int, default=2_000, help="rows per transaction")
    parser.add_argument("--writers", type=int, default=3, help="concurrent writer processes")
    parser.add_argument("--no-file", action="store_true", help="skip the DuckDB file baseline")
    args = parser.parse_args(argv)

    root = Path(tempfile.mkdtemp(prefix="axnews-bench-"))
    os.environ.setdefault(DATA_PATH_ENV, str(root / "lake"))  # inherited by the writers
    print(f"{'backend':<18} {'phase':<8} {'writers':>7} {'rows':>7} {'seconds':>8} "
          f"{'rows/s':>8} {'retries':>7}")
    try:
        if not args.no_file:  # one writer only: a second process would wait for the file lock
            bench_backend("duckdb file", str(root / "warehouse.duckdb"), args, (1,))
        if args.conninfo:
            server = nullcontext(args.conninfo)
        else:
            from tests.pg import running_postgres

            server = running_postgres()
        with server as conninfo:
            bench_backend("ducklake+postgres", f"ducklake:postgres:{conninfo}", args,
                          (1, args.writers))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
