"""The daily runs again on a warehouse a `make bench` left behind, without its full run.

    python scripts/bench_increments.py BENCH_OUT FULL_SECONDS [--round K]

BENCH_OUT is the bench's --out folder (its run/ holds the warehouse and sources file), and
FULL_SECONDS the full run's time that the bench printed. Times a run with nothing new and one
with 1 % new pages (new ids for each round K: run it again after a code change to measure the
change, on the same corpus, without the hour a 100,000-page full run takes).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.bench import (
    NEW_PAGES_START,
    PeakRss,
    add_new_pages,
    bench_settings,
    print_runs,
    run_pipeline,
)
from pipeline.warehouse import connect
from pipeline.warehouse.sqlfiles import run_load


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("full_seconds", type=float)
    parser.add_argument("--round", type=int, default=1, help="which set of new pages to add")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    workdir = args.out / "run"
    settings = bench_settings(workdir, workdir / "sources.toml", args.workers)
    n_pages = sum(1 for _ in (args.out).glob("pages-*/**/*.html"))
    with PeakRss() as rss:
        nothing, nothing_steps = run_pipeline(settings)
        n_new = max(1, n_pages // 100)
        add_new_pages(n_new, workdir / "extra", None, 0.0,
                      start=NEW_PAGES_START + args.round * 1_000_000, seed=99 + args.round)
        plus_one, plus_one_steps = run_pipeline(settings)
    print_runs(n_pages, {"nothing new": nothing_steps, "+1 % pages": plus_one_steps})
    with connect(settings.warehouse, read_only=True) as con:
        pages, articles = run_load(con, "bench_articles_of_source", {"source": "bench_new"}).fetchone()
    print(f"new pages read so far: {pages}, of which new articles: {articles}")
    print(f"\ncorpus {n_pages} pages; full run {args.full_seconds:.1f} s (given)")
    print(f"re-run with nothing new: {nothing:.1f} s = {100 * nothing / args.full_seconds:.1f} %; "
          f"with 1 % new pages ({n_new}): {plus_one:.1f} s = "
          f"{100 * plus_one / args.full_seconds:.1f} %")
    print(f"peak RSS of these runs (process tree): {rss.peak:.0f} MB; PSS {rss.peak_pss:.0f} MB; "
          f"main process {rss.peak_main:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
