"""`make bench`: a scale corpus through every stage, beside the bare minimum any pipeline must do.

Prints one table: per stage pages/s and MB/s, end-to-end pages/s, peak RSS, warehouse size, and
our end-to-end time as a ratio of the reference (trafilatura extraction with metadata + one Kiwi
tokenization per page, in a process pool over all cores, nothing else). Optionally also the
naive one-process script a user would otherwise write (extract, Kiwi nouns, executemany).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import time
from dataclasses import replace
from pathlib import Path

from pipeline.parallel import WorkerPool, batched
from pipeline.settings import PROJECT_DIR, Settings

BENCH_DIR = PROJECT_DIR / "data" / "bench"


def _peak_rss_mb() -> tuple[float, float]:
    """Peak RSS of this process and of the largest child process, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def build_corpus(n_pages: int, out: Path) -> tuple[Path, int]:
    """Generate (once) an html_dir of n_pages; returns (folder, total bytes)."""
    from pipeline.corpus.scale import generate_items, write_html_dir

    folder = out / f"pages-{n_pages}"
    if not folder.is_dir() or sum(1 for _ in folder.rglob("*.html")) != n_pages:
        shutil.rmtree(folder, ignore_errors=True)
        write_html_dir(generate_items(PROJECT_DIR / "data" / "demo" / "content", n_pages), folder)
    size = sum(p.stat().st_size for p in folder.rglob("*.html"))
    return folder, size


# ------------------------------------------------------------------ reference work

_KIWI = None


def _init_reference() -> None:
    global _KIWI
    from kiwipiepy import Kiwi

    _KIWI = Kiwi()


def _reference_one(path: str) -> int:
    """The least work: extract text and metadata, tokenize the body once."""
    import trafilatura

    html = Path(path).read_bytes()
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    text = (doc.text if doc is not None else "") or ""
    return len(_KIWI.tokenize(text)) if text else 0


def run_reference(paths: list[str], workers: int) -> float:
    """Seconds for the reference work over all pages."""
    started = time.perf_counter()
    with WorkerPool(workers, _init_reference) as pool:
        for batch in batched(paths, 256):
            pool.map(_reference_one, batch, chunksize=8)
    return time.perf_counter() - started


def run_naive(paths: list[str], warehouse: Path) -> float:
    """Seconds for the one-process script: extract, Kiwi nouns, executemany into DuckDB."""
    import duckdb
    import trafilatura
    from kiwipiepy import Kiwi

    started = time.perf_counter()
    kiwi = Kiwi()
    con = duckdb.connect(str(warehouse))
    con.execute("create or replace table naive (path varchar, text varchar, nouns varchar)")
    rows = []
    for path in paths:
        text = trafilatura.extract(Path(path).read_bytes(), include_comments=False) or ""
        nouns = " ".join(t.form for t in kiwi.tokenize(text) if t.tag.startswith("NN"))
        rows.append((path, text, nouns))
        if len(rows) >= 100:
            con.executemany("insert into naive values (?, ?, ?)", rows)
            rows = []
    if rows:
        con.executemany("insert into naive values (?, ?, ?)", rows)
    con.close()
    return time.perf_counter() - started


# ------------------------------------------------------------------ our pipeline


def run_pipeline(folder: Path, workdir: Path, workers: int) -> tuple[float, dict[str, float], Path]:
    """Materialize the whole graph through Dagster; returns (seconds, seconds per asset, warehouse)."""
    import dagster as dg

    from pipeline.runner import materialize_all

    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    sources = workdir / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "bench"\nkind = "html_dir"\nlocation = "{folder}"\n', "utf-8")
    settings = replace(Settings(), sources_file=sources, warehouse=workdir / "warehouse.duckdb",
                       raw_dir=workdir / "raw", reports_dir=workdir / "reports", workers=workers)
    instance = dg.DagsterInstance.ephemeral()
    started = time.perf_counter()
    result = materialize_all(settings, instance=instance)
    total = time.perf_counter() - started
    if not result.success:
        raise SystemExit("benchmark run failed: " + "; ".join(
            e.message or "" for e in result.all_events if e.is_failure))
    return total, _step_seconds(instance, result.run_id), settings.warehouse


def _step_seconds(instance, run_id: str) -> dict[str, float]:
    starts: dict[str, float] = {}
    seconds: dict[str, float] = {}
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or not entry.step_key:
            continue
        if event.event_type_value == "STEP_START":
            starts[entry.step_key] = entry.timestamp
        elif event.event_type_value == "STEP_SUCCESS":
            seconds[entry.step_key] = entry.timestamp - starts.get(entry.step_key, entry.timestamp)
    return seconds


def report_times(warehouse: Path) -> dict[str, float]:
    """Seconds each SQL report takes on the benchmark warehouse."""
    from pipeline.warehouse import connect, list_reports, run_report

    times = {}
    with connect(warehouse, read_only=True) as con:
        for name in list_reports():
            started = time.perf_counter()
            run_report(con, name)
            times[name] = time.perf_counter() - started
    return times


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", type=Path, default=BENCH_DIR)
    parser.add_argument("--naive", action="store_true", help="also time the naive script")
    args = parser.parse_args(argv)

    folder, size = build_corpus(args.pages, args.out)
    paths = sorted(str(p) for p in folder.rglob("*.html"))
    mb = size / 1e6
    print(f"corpus: {len(paths)} pages, {mb:.1f} MB in {folder}; workers: {args.workers}")

    total, steps, warehouse = run_pipeline(folder, args.out / "run", args.workers)
    own_rss, child_rss = _peak_rss_mb()
    reference = run_reference(paths, args.workers)
    n = len(paths)
    rows = [(f"stage {name}", secs) for name, secs in steps.items()]
    rows += [("ours end-to-end (Dagster)", total), ("reference: extract + Kiwi", reference)]
    if args.naive:
        rows.append(("naive one-process script", run_naive(paths, args.out / "naive.duckdb")))
    print(f"\n{'what':34} {'seconds':>9} {'pages/s':>9} {'MB/s':>7}")
    for name, secs in rows:
        print(f"{name:34} {secs:9.2f} {n / secs if secs else 0:9.1f} {mb / secs if secs else 0:7.2f}")
    print(f"\nratio ours / reference: {total / reference:.2f}")
    print(f"peak RSS: main process {own_rss:.0f} MB, largest worker {child_rss:.0f} MB")
    print(f"warehouse size: {warehouse.stat().st_size / 1e6:.1f} MB")
    print("\nreport times (s): " + ", ".join(
        f"{k} {v:.3f}" for k, v in report_times(warehouse).items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
