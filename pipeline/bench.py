"""`make bench`: a scale corpus through every stage, beside the bare minimum any pipeline must do.

Prints: per-stage pages/s and MB/s of one Dagster run; end-to-end pages/s; our time as a ratio of
the reference (trafilatura extraction with metadata + one Kiwi tokenization per page, in a
process pool over all cores, nothing else) and of the naive one-process script (extract, Kiwi
nouns, executemany); peak RSS of the whole process tree; warehouse size; a re-run with nothing
new and with 1 % new pages; extraction and entity throughput per core and the 1→2 worker
speedup; fetch throughput against a loopback server and the per-domain delay check; each SQL
report's time; a profile of where each millisecond per page goes. `--real` builds the corpus
from real saved pages (../shared/data, see pipeline/corpus/scale.py) instead of generated ones.
Benchmarks are not tests: the suite only checks this runs on a tiny corpus.

On a shared machine absolute times move between runs: compare the ratios printed by one run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import psutil

from pipeline.bench_work import (
    entity_rate,
    extraction_rate,
    run_naive,
    run_reference,
    work_per_page,
    work_per_page_at_once,
)
from pipeline.settings import PROJECT_DIR, Settings

BENCH_DIR = PROJECT_DIR / "data" / "bench"
CONTENT = PROJECT_DIR / "data" / "demo" / "content"
REAL_DATA = PROJECT_DIR.parent / "shared" / "data"  # ko_pages and web_pages (not in the repo)
NEW_PAGES_START = 10_000_000  # ids of the +1 % pages: after any corpus's own


class PeakRss:
    """Samples the memory of this process and all its descendants; keeps the peaks (MB).

    `peak` sums RSS over the tree, which counts pages that the fork server shares with its
    workers once per process: an upper bound. `peak_pss` sums PSS (shared pages split among the
    processes sharing them), what the run really costs the machine. `peak_main` is this process.

    The sampler must not cost the run it measures a noticeable share of a core: RSS comes from
    /proc/<pid>/statm every `interval`; PSS makes the kernel walk every page of every process
    (about 60 ms a round at 100,000 pages), so its rounds are spaced so that they take at most
    1 % of one core, and at least `slow_interval` apart; the process list is read every
    `slow_interval`.
    (Parsing the full smaps of each process five times a second took ~15 % of a core, and
    smaps_rollup once a second still ~6 %.)
    """

    def __init__(self, interval: float = 0.2, slow_interval: float = 1.0) -> None:
        self.peak = 0.0
        self.peak_pss = 0.0
        self.peak_main = 0.0
        self.slow_interval = slow_interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)

    def _run(self, interval: float) -> None:
        me = psutil.Process()
        procs: list[psutil.Process] = [me]
        next_slow = next_list = 0.0
        while not self._stop.is_set():
            started = time.monotonic()
            slow = started >= next_slow
            if slow or started >= next_list:  # a few ms: every `slow_interval`
                next_list = started + self.slow_interval
                try:
                    procs = [me, *me.children(recursive=True)]
                except psutil.Error:
                    procs = [me]
            rss = pss = 0
            for proc in procs:
                used = process_memory(proc.pid, pss=slow)
                if used is None:
                    continue
                rss += used[0]
                pss += used[1]
                if proc.pid == me.pid:
                    self.peak_main = max(self.peak_main, used[0] / 1e6)
            self.peak = max(self.peak, rss / 1e6)
            if slow:
                self.peak_pss = max(self.peak_pss, pss / 1e6)
                cost = time.monotonic() - started
                next_slow = started + max(self.slow_interval, 100 * cost)
            self._stop.wait(interval)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def process_memory(pid: int, pss: bool) -> tuple[int, int] | None:
    """(RSS, PSS) of a process in bytes (PSS 0 unless asked); None when it is gone. Linux reads
    /proc directly (statm, smaps_rollup); elsewhere psutil."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            rss = int(statm.read().split()[1]) * PAGE_SIZE
        if not pss:
            return rss, 0
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return rss, int(line.split()[1]) * 1024
        return rss, rss
    except FileNotFoundError:
        pass
    except (OSError, ValueError, IndexError):
        return None
    try:  # no /proc (macOS) or no smaps_rollup (Linux before 4.14)
        info = psutil.Process(pid).memory_full_info() if pss else psutil.Process(pid).memory_info()
    except psutil.Error:
        return None
    return info.rss, getattr(info, "pss", info.rss) if pss else 0


@dataclass
class Table:
    """Rows of (what, seconds, pages) printed as pages/s and MB/s."""

    pages: int
    megabytes: float
    rows: list[tuple[str, float, int | None]] = field(default_factory=list)

    def add(self, what: str, seconds: float, pages: int | None = None) -> None:
        self.rows.append((what, seconds, pages))

    def print(self) -> None:
        print(f"\n{'what':40} {'seconds':>9} {'pages/s':>9} {'MB/s':>7}")
        for what, secs, pages in self.rows:
            n = self.pages if pages is None else pages
            mb = self.megabytes * n / self.pages
            rate = n / secs if secs else 0.0
            print(f"{what:40} {secs:9.2f} {rate:9.1f} {mb / secs if secs else 0:7.2f}")


def build_corpus(n_pages: int, out: Path, real: Path | None = None,
                 shared_url_rate: float = 0.0) -> tuple[Path, int]:
    """Generate (once) an html_dir of n_pages; returns (folder, total bytes). With `real`, the
    pages are unique copies of the real saved pages under that folder."""
    from pipeline.corpus.scale import generate_items, real_pages, write_html_dir, write_pages

    name = f"real-{n_pages}-u{shared_url_rate:g}" if real else f"pages-{n_pages}"
    folder = out / name
    if not folder.is_dir() or sum(1 for _ in folder.rglob("*.html")) != n_pages:
        shutil.rmtree(folder, ignore_errors=True)
        if real:
            write_pages(real_pages(real, n_pages, shared_url_rate=shared_url_rate), folder)
        else:
            write_html_dir(generate_items(CONTENT, n_pages), folder)
    return folder, sum(p.stat().st_size for p in folder.rglob("*.html"))


def add_new_pages(n_new: int, folder: Path, real: Path | None, shared_url_rate: float,
                  start: int = NEW_PAGES_START, seed: int = 99) -> None:
    """The +1 % increment: pages the corpus does not have yet (ids from `start` on; another
    `seed` for another set: the same seed gives the same texts, stored as duplicates)."""
    from pipeline.corpus.scale import generate_items, real_pages, write_html_dir, write_pages

    if real:
        write_pages(real_pages(real, n_new, seed=seed, start=start,
                               shared_url_rate=shared_url_rate), folder)
    else:
        write_html_dir(generate_items(CONTENT, n_new, seed=seed, start=start), folder)


# ------------------------------------------------------------------ fetching


def fetch_benchmark(folder: Path, n_pages: int) -> tuple[float, float | None]:
    """Pages/s fetching n pages from a loopback server (politeness off), and the smallest gap
    between two requests to one host with a 1 s per-domain delay."""
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from pipeline.models import PageRef
    from pipeline.stages.fetch import FetchPolicy, fetch_pages

    hits: list[float] = []

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def do_GET(self) -> None:
            if self.path.startswith("/timed/"):
                hits.append(time.monotonic())  # when the request arrives
            super().do_GET()

        def log_message(self, *args) -> None:
            pass

        def translate_path(self, path: str) -> str:
            return super().translate_path(path.removeprefix("/timed"))

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        rel = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.html"))[:n_pages]
        fast = FetchPolicy(allow_private=True, respect_robots=False, per_domain_delay=0.0,
                           max_concurrency=8, per_domain_concurrency=8)
        refs = [PageRef(source="bench", url=f"{base}/{r}") for r in rel]
        started = time.perf_counter()
        ok = sum(p.ok for p in fetch_pages(refs, fast))
        rate = ok / (time.perf_counter() - started)
        polite = replace(fast, per_domain_delay=1.0)
        list(fetch_pages([PageRef(source="bench", url=f"{base}/timed/{r}") for r in rel[:4]],
                         polite))
        gaps = [b - a for a, b in zip(hits, hits[1:])]
        return rate, min(gaps) if gaps else None
    finally:
        server.shutdown()


# ------------------------------------------------------------------ our pipeline


def bench_settings(workdir: Path, sources: Path, workers: int) -> Settings:
    return replace(Settings(), sources_file=sources, warehouse=workdir / "warehouse.duckdb",
                   raw_dir=workdir / "raw", reports_dir=workdir / "reports", workers=workers)


def run_pipeline(settings: Settings) -> tuple[float, dict[str, float]]:
    """Materialize the whole graph through Dagster; returns (seconds, seconds per step)."""
    import dagster as dg

    from pipeline.runner import materialize_all

    instance = dg.DagsterInstance.ephemeral()
    started = time.perf_counter()
    result = materialize_all(settings, instance=instance)
    total = time.perf_counter() - started
    if not result.success:
        raise SystemExit("benchmark run failed: " + "; ".join(
            _failure_text(e) for e in result.all_events if e.is_failure))
    return total, _step_seconds(instance, result.run_id)


def _failure_text(event) -> str:
    """A failure event's message with the error that caused it (a step's exception and its
    cause chain): the message alone said only which step failed."""
    error = getattr(event.event_specific_data, "error", None)
    detail = error.to_string().strip() if error is not None else ""
    return (event.message or "") + (f"\n{detail}" if detail else "")


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


ASSET_STEPS = ("sources", "pages", "articles", "enrichment", "reports",
               "chart_report")


def step_groups(steps: dict[str, float]) -> dict[str, float]:
    """Seconds per asset step; the asset checks summed into one line."""
    out: dict[str, float] = {}
    for name, secs in steps.items():
        key = "asset checks" if name not in ASSET_STEPS else name
        out[key] = out.get(key, 0.0) + secs
    return out


def profile_rows(n_pages: int, total: float, steps: dict[str, float], workers: int,
                 per_page: dict[str, float] | None) -> list[tuple[str, float]]:
    """(where, ms per page) of a run: each asset step, its pool stages split into the work
    alone (ms per page with every worker busy, ÷ workers) and the rest (loads, stories, waits),
    the asset checks, and what is outside every step (Dagster, process start)."""
    groups = step_groups(steps)
    ms = {k: 1000 * v / n_pages for k, v in groups.items()}
    rows: list[tuple[str, float]] = []
    work = {"articles": "ours extract + clean + MinHash",
            "enrichment": "ours enrichment (Kiwi + rules + rows)"}
    rest = {"articles": "pool start, reads, loads, stories, waits",
            "enrichment": "pool and Kiwi start, loads, entities, waits"}
    for name in (*ASSET_STEPS, "asset checks"):
        if name not in ms:
            continue
        if per_page and name in work:
            alone = per_page[work[name]] / workers
            rows.append((f"{name}: the work alone, all busy (÷ {workers})", alone))
            rows.append((f"{name}: {rest[name]}", ms[name] - alone))
        else:
            rows.append((name, ms[name]))
    rows.append(("outside the steps (Dagster, process start)",
                 1000 * total / n_pages - sum(ms.values())))
    return rows


def print_profile(rows: list[tuple[str, float]], reference_ms: float) -> None:
    total = sum(v for _, v in rows)
    print(f"\n{'where each ms per page goes (full run)':52} {'ms/page':>8} {'share':>6}")
    for what, value in rows:
        print(f"{what:52} {value:8.2f} {100 * value / total:5.1f}%")
    print(f"{'total':52} {total:8.2f}")
    print(f"{'reference (extract + Kiwi, pool), same pages':52} {reference_ms:8.2f}")


def print_runs(n_pages: int, runs: dict[str, dict[str, float]]) -> None:
    """Seconds per step of each run, side by side (where a re-run's fixed cost goes)."""
    names = [n for n in (*ASSET_STEPS, "asset checks")
             if any(n in step_groups(r) for r in runs.values())]
    print(f"\n{'step seconds':28}" + "".join(f"{k:>14}" for k in runs))
    for name in names:
        print(f"{name:28}" + "".join(f"{step_groups(r).get(name, 0.0):14.2f}"
                                     for r in runs.values()))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", type=Path, default=BENCH_DIR)
    parser.add_argument("--no-naive", action="store_true", help="skip the naive script")
    parser.add_argument("--quick", action="store_true", help="pipeline and reference only")
    parser.add_argument("--real", action="store_true",
                        help="copies of the real pages in --real-dir instead of generated pages")
    parser.add_argument("--real-dir", type=Path, default=REAL_DATA,
                        help="folder holding ko_pages/ and web_pages/ (default ../shared/data)")
    parser.add_argument("--shared-url-rate", type=float, default=0.05,
                        help="with --real: share of copies re-using an earlier copy's URL "
                             "(each becomes a duplicate_url row; 0.05 by default)")
    parser.add_argument("--reference-seconds", type=float, default=None,
                        help="reuse the reference time of an earlier run on the same corpus "
                             "(its code does not change with ours) instead of timing it again")
    args = parser.parse_args(argv)

    real = args.real_dir if args.real else None
    folder, size = build_corpus(args.pages, args.out, real, args.shared_url_rate)
    paths = sorted(str(p) for p in folder.rglob("*.html"))
    n, mb = len(paths), size / 1e6
    print(f"corpus: {n} pages, {mb:.1f} MB in {folder}; workers: {args.workers}")
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} "
          f"{load[2]:.1f} at the start (other processes share the cores: compare ratios)")

    workdir = args.out / "run"
    shutil.rmtree(workdir, ignore_errors=True)
    extra = workdir / "extra"
    extra.mkdir(parents=True)
    sources = workdir / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "bench"\nkind = "html_dir"\nlocation = "{folder}"\n\n'
        f'[[source]]\nname = "bench_new"\nkind = "html_dir"\nlocation = "{extra}"\n', "utf-8")
    settings = bench_settings(workdir, sources, args.workers)
    if real:
        # Four in five real pages are German, English, French or Spanish (web_pages): the gates
        # for a Korean news feed (rejects, articles without entities) would stop the run.
        settings = replace(settings, max_reject_share=1.0, max_articles_without_entities=1.0)
    table = Table(n, mb)
    with PeakRss() as rss:
        total, steps = run_pipeline(settings)
    for name, secs in steps.items():
        if secs >= 0.05:
            table.add(f"stage {name}", secs)
    table.add("ours end-to-end (Dagster)", total)
    if args.reference_seconds is None:
        reference = run_reference(paths, args.workers)
        table.add("reference: extract + Kiwi (pool)", reference)
    else:
        reference = args.reference_seconds
        table.add("reference: extract + Kiwi (earlier run)", reference)
    naive = None if args.no_naive or args.quick else run_naive(paths, args.out / "naive.duckdb")
    if naive is not None:
        table.add("naive script (1 process, executemany)", naive)
    rerun, rerun_steps = run_pipeline(settings)
    table.add("re-run, nothing new", rerun)
    n_new = max(1, n // 100)
    add_new_pages(n_new, extra, real, args.shared_url_rate)
    plus_one, plus_one_steps = run_pipeline(settings)
    table.add(f"re-run with 1 % new pages ({n_new})", plus_one, n_new)
    table.print()
    print_runs(n, {"full": steps, "nothing new": rerun_steps, "+1 % pages": plus_one_steps})

    print(f"\nratio ours / reference: {total / reference:.2f}")
    if naive is not None:
        print(f"ours vs naive script: {naive / total:.2f}x faster")
    print(f"re-run with nothing new: {100 * rerun / total:.1f} % of the full run; "
          f"with 1 % new pages: {100 * plus_one / total:.1f} %")
    print(f"peak RSS of the run (process tree): {rss.peak:.0f} MB; PSS {rss.peak_pss:.0f} MB; "
          f"main process {rss.peak_main:.0f} MB")
    print(f"warehouse size: {settings.warehouse.stat().st_size / 1e6:.1f} MB")

    if args.quick:
        print_profile(profile_rows(n, total, steps, args.workers, None), 1000 * reference / n)
    else:
        sample = paths[: min(len(paths), 600)]
        one = extraction_rate(sample, 1)
        two = extraction_rate(sample, 2)
        print(f"\nextract+clean: {one:.1f} pages/s on 1 worker, {two:.1f} on 2 "
              f"(speedup {two / one:.2f}x)")
        from pipeline.warehouse import connect
        from pipeline.warehouse.sqlfiles import run_load

        with connect(settings.warehouse, read_only=True) as con:
            texts = [t for (t,) in run_load(con, "articles_sample_texts", {"n": 300}).fetchall()]
        print(f"entity extraction: {entity_rate(texts):,.0f} characters/s on one core")
        per_page = work_per_page(paths[: min(len(paths), 300)], settings)
        print("work alone, one core, ms per page: " + ", ".join(
            f"{k} {v:.1f}" for k, v in per_page.items()))
        reference_work = per_page["reference extract"] + per_page["reference Kiwi"]
        our_work = sum(v for k, v in per_page.items() if k.startswith("ours"))
        print(f"ratio of the work alone (no orchestration, no loads): {our_work / reference_work:.2f}")
        print(f"end to end over our own work alone ({our_work:.1f} ms/page ÷ {args.workers} "
              f"workers): {total / (our_work * n / args.workers / 1000):.2f}x")
        busy = work_per_page_at_once(paths[: min(len(paths), 300)], settings, args.workers)
        busy_work = sum(v for k, v in busy.items() if k.startswith("ours"))
        print(f"work alone, {args.workers} processes at once, ms per page in each: " + ", ".join(
            f"{k} {v:.1f}" for k, v in busy.items()))
        print(f"end to end over our own work alone with every worker busy ({busy_work:.1f} "
              f"ms/page ÷ {args.workers} workers): "
              f"{total / (busy_work * n / args.workers / 1000):.2f}x")
        print_profile(profile_rows(n, total, steps, args.workers, busy),
                      1000 * reference / n)
        rate, gap = fetch_benchmark(folder, min(1000, n))
        print(f"fetch: {rate:.0f} pages/s from a loopback server (politeness off, {min(1000, n)} pages)")
        print(f"politeness: smallest gap between two requests to one host with a 1 s delay: "
              f"{gap:.3f} s" + (" (ok)" if gap is not None and gap >= 0.999 else " (VIOLATED)"))
    print("\nreport times (s): " + ", ".join(
        f"{k} {v:.3f}" for k, v in report_times(settings.warehouse).items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
