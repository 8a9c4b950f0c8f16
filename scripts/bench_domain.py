"""`make bench-domain`: entities and policy events over the real releases, time and memory.

Runs the entity extractor (one Kiwi analysis per release, as the enrich step does) and the event
stage on every release of ../shared/data/gov_press/releases.jsonl in one process, and prints the
time per release (mean, median, 95th percentile, for entities and events apart), characters per
second, mentions and events found, and the peak RSS of the process. Exits 0 with a note when
../shared is absent. ``--limit N`` takes the first N releases.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RELEASES = ROOT.parent / "shared" / "data" / "gov_press" / "releases.jsonl"


def load_releases(path: Path, limit: int | None) -> list[tuple[str, datetime | None]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        day = row.get("date")
        out.append((row.get("text") or "", datetime.fromisoformat(f"{day}T00:00:00+09:00") if day else None))
        if limit is not None and len(out) >= limit:
            break
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=Path, default=RELEASES)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    if not args.releases.is_file():
        print(f"{args.releases} not found (../shared absent): nothing measured")
        return 0
    from pipeline.stages.enrich import EntityExtractor
    from pipeline.stages.events import extract_events

    proc = psutil.Process()
    releases = load_releases(args.releases, args.limit)
    rss_start = proc.memory_info().rss / 1e6
    extractor = EntityExtractor(num_workers=1)
    extractor.extract("준비", None)  # Kiwi and the reference indexes built before timing
    rss_ready = proc.memory_info().rss / 1e6
    entity_times: list[float] = []
    event_times: list[float] = []
    mentions = events = chars = 0
    peak = rss_ready
    started = time.perf_counter()
    for i, (text, published) in enumerate(releases):
        t0 = time.perf_counter()
        found, _quotes, tokens = extractor.extract_with_tokens(text, published)
        t1 = time.perf_counter()
        evs = extract_events(text, found, published, tokens, reference=extractor.reference)
        t2 = time.perf_counter()
        entity_times.append(t1 - t0)
        event_times.append(t2 - t1)
        mentions += len(found)
        events += len(evs)
        chars += len(text)
        if i % 50 == 0:
            peak = max(peak, proc.memory_info().rss / 1e6)
    total = time.perf_counter() - started
    peak = max(peak, proc.memory_info().rss / 1e6)
    n = len(releases)
    print(f"== gov_press releases: {n}, {chars / 1e6:.2f} M characters, one process, one Kiwi thread ==")
    for name, times in (("entities", entity_times), ("events", event_times)):
        print(f"{name:<9} mean {1000 * statistics.fmean(times):7.1f} ms/release   median "
              f"{1000 * statistics.median(times):7.1f}   p95 {1000 * percentile(times, 0.95):7.1f}   "
              f"total {sum(times):7.1f} s")
    print(f"together  {total:.1f} s = {1000 * total / max(n, 1):.1f} ms/release, "
          f"{chars / max(total, 1e-9) / 1000:.1f} k characters/s")
    print(f"found     {mentions} mentions, {events} events ({events / max(n, 1):.2f} per release)")
    print(f"memory    RSS {rss_start:.0f} MB at start, {rss_ready:.0f} MB with the extractor ready, "
          f"peak {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
