"""Extraction on real third-party pages: ours against plain trafilatura, side by side.

Usage (from the repository root):
    .venv/bin/python scripts/eval_real.py              # both sets, per set and per page
    .venv/bin/python scripts/eval_real.py --summary    # per set only
    .venv/bin/python scripts/eval_real.py --grid       # ExtractOptions x gate settings on both sets
    .venv/bin/python scripts/eval_real.py --check      # exit 1 unless ours >= trafilatura everywhere
    .venv/bin/python scripts/eval_real.py --markdown docs/quality-extraction.md  # write the table

Data: ../shared/data/ko_pages and ../shared/data/web_pages (see their README files); the
script skips with a message when they are absent. Every extractor gets the page BYTES:
ours through the project's charset decoder and process_page (extract + clean + quality gate,
the pipeline's code path), trafilatura.extract and bare_extraction with default options.

Measures, as the ko_pages README defines them:
- body: share of body_must_contain phrases found in the text (whitespace collapsed);
- clean: share of must_not_contain phrases absent;
- empty: pages with under 50 characters of text (a gate reject counts as empty for ours);
- title / date / author: share right over the pages whose expectation is not null (title equal
  after collapsing whitespace; date equal as YYYY-MM-DD in Asia/Seoul; author the same set of
  names, 기자 and the like stripped).
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = ROOT.parent / "shared" / "data"
SETS = ("ko_pages", "web_pages")
FETCHED = datetime(2026, 3, 1, tzinfo=UTC)
EMPTY_CHARS = 50
# Titles and suffixes the scorer strips from author strings before comparing names.
AUTHOR_SUFFIX = re.compile(r"\s*(?:선임|수석|전문|인턴|객원|취재|사진|영상)?\s*(?:기자|특파원|논설위원|편집위원|리포터|작성자)\s*$")


def squash(text: str | None) -> str:
    """Whitespace collapsed to single spaces, NFC."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


@dataclass
class Result:
    """What one extractor gave for one page."""

    text: str = ""
    title: str | None = None
    date: str | None = None  # YYYY-MM-DD
    authors: tuple[str, ...] = ()
    note: str = ""  # ours: the reject reason, when the gate refused the page


@dataclass
class Tally:
    """Scores of one extractor over one set."""

    body_found: int = 0
    body_total: int = 0
    clean_absent: int = 0
    clean_total: int = 0
    pages: int = 0
    empty: int = 0
    title_ok: int = 0
    title_n: int = 0
    date_ok: int = 0
    date_n: int = 0
    author_ok: int = 0
    author_n: int = 0
    metadata: bool = True  # False for trafilatura.extract, which returns text only
    rows: list[str] = field(default_factory=list)
    empty_pages: set[str] = field(default_factory=set)

    def share(self, ok: int, n: int) -> str:
        return f"{ok / n:.3f} ({ok}/{n})" if n else "-"

    def cells(self) -> list[str]:
        meta = [self.share(self.title_ok, self.title_n), self.share(self.date_ok, self.date_n),
                self.share(self.author_ok, self.author_n)]
        return [
            self.share(self.body_found, self.body_total), self.share(self.clean_absent, self.clean_total),
            f"{self.empty}/{self.pages}", *(meta if self.metadata else ["n/a"] * 3),
        ]

    def key(self) -> tuple[float, ...]:
        """Comparable figures: higher is better on each."""
        ratio = lambda ok, n: ok / n if n else 1.0
        return (ratio(self.body_found, self.body_total), ratio(self.clean_absent, self.clean_total),
                -self.empty, ratio(self.title_ok, self.title_n), ratio(self.date_ok, self.date_n),
                ratio(self.author_ok, self.author_n))


def author_set(names) -> set[str]:
    """Names without 기자 and the like, whitespace collapsed."""
    return {AUTHOR_SUFFIX.sub("", squash(n)) for n in names or () if squash(n)} - {""}


def score(tally: Tally, page_id: str, exp: dict, res: Result) -> None:
    """Add one page's result to the tally and keep a per-page row."""
    text = squash(res.text)
    found = [p for p in exp.get("body_must_contain", []) if squash(p) in text]
    leaked = [p for p in exp.get("must_not_contain", []) if squash(p) in text]
    n_body, n_bad = len(exp.get("body_must_contain", [])), len(exp.get("must_not_contain", []))
    tally.pages += 1
    tally.body_found += len(found)
    tally.body_total += n_body
    tally.clean_absent += n_bad - len(leaked)
    tally.clean_total += n_bad
    empty = len(text) < EMPTY_CHARS
    tally.empty += empty
    if empty:
        tally.empty_pages.add(page_id)
    marks = []
    if "title" in exp and exp.get("title") is not None:
        ok = squash(res.title) == squash(exp["title"])
        tally.title_n += 1
        tally.title_ok += ok
        marks.append("title " + ("ok" if ok else f"NO {res.title!r}"))
    if exp.get("date") is not None:
        ok = res.date == exp["date"]
        tally.date_n += 1
        tally.date_ok += ok
        marks.append("date " + ("ok" if ok else f"NO {res.date}"))
    if exp.get("author") is not None:
        ok = author_set(res.authors) == author_set(exp["author"])
        tally.author_n += 1
        tally.author_ok += ok
        marks.append("author " + ("ok" if ok else f"NO {list(res.authors)}"))
    misses = [p[:40] for p in exp.get("body_must_contain", []) if p not in found]
    tally.rows.append(
        f"{page_id[:38]:<38} body {len(found)}/{n_body} clean {n_bad - len(leaked)}/{n_bad}"
        f"{' EMPTY' if empty else ''}{' ' + res.note if res.note else ''} | " + "; ".join(marks)
        + (f" | missing {misses}" if misses else "") + (f" | leaked {[p[:40] for p in leaked]}" if leaked else "")
    )


def seoul_day(value) -> str | None:
    """A datetime or date string as YYYY-MM-DD in Asia/Seoul."""
    from pipeline.stages.dates import SEOUL, parse_date

    if value is None:
        return None
    if isinstance(value, str):
        value = parse_date(value)
        if value is None:
            return None
    return value.astimezone(SEOUL).date().isoformat()


def load_set(name: str) -> list[tuple[str, bytes, dict]]:
    """(page id, page bytes, expectations) of one shared set, in id order."""
    folder = DATA / name
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(expected):
        path = folder / "html" / (page_id if page_id.endswith(".html") else f"{page_id}.html")
        if path.exists():
            pages.append((page_id, path.read_bytes(), expected[page_id]))
    return pages


def ours(page_id: str, body: bytes, exp: dict, extract_options=None, clean_options=None) -> Result:
    """process_page on the bytes decoded by the project's charset decoder, as the pipeline does."""
    from pipeline.models import Article, RawPage
    from pipeline.stages.charset import decode_html
    from pipeline.stages.clean import DEFAULT_EXTRACT, CleanOptions, process_page

    html, encoding = decode_html(body)
    url = exp.get("url") or f"https://example.invalid/{page_id}"
    page = RawPage(page_id, "real", url, url, url, FETCHED, True, encoding=encoding, html=html)
    result = process_page(page, extract_options or DEFAULT_EXTRACT, clean_options or CleanOptions(), now=None)
    if isinstance(result, Article):
        return Result(result.text, result.title, seoul_day(result.published_at), result.authors)
    # a refused page keeps its text in the warehouse, but the user gets no article: empty here
    return Result("", note=f"REJECT {result.reason} {result.detail}".strip())


def plain_extract(body: bytes) -> Result:
    """trafilatura.extract with default options."""
    import trafilatura

    return Result(trafilatura.extract(body) or "")


def plain_bare(body: bytes) -> Result:
    """trafilatura.bare_extraction with default options: text and metadata."""
    import trafilatura

    doc = trafilatura.bare_extraction(body, with_metadata=True)
    if doc is None:
        return Result()
    meta = doc.as_dict()
    authors = tuple(a.strip() for a in re.split(r"[;,]", meta.get("author") or "") if a.strip())
    return Result(meta.get("text") or "", meta.get("title"), seoul_day(meta.get("date")), authors)


SYSTEMS = ("ours", "trafilatura.extract", "bare_extraction")


def run_set(pages, systems=SYSTEMS, extract_options=None, clean_options=None) -> dict[str, Tally]:
    """Tallies of each system over one set."""
    tallies = {s: Tally(metadata=s != "trafilatura.extract") for s in systems}
    for page_id, body, exp in pages:
        for system in systems:
            if system == "ours":
                res = ours(page_id, body, exp, extract_options, clean_options)
            elif system == "trafilatura.extract":
                res = plain_extract(body)
            else:
                res = plain_bare(body)
            score(tallies[system], page_id, exp, res)
    return tallies


HEADER = ("| set | extractor | body phrases found | boilerplate absent | empty pages | title exact "
          "| date | author |\n|---|---|---|---|---|---|---|---|")


def table(results: dict[str, dict[str, Tally]]) -> str:
    """The side-by-side Markdown table of every set."""
    lines = [HEADER]
    for set_name, tallies in results.items():
        for system, tally in tallies.items():
            lines.append(f"| {set_name} | {system} | " + " | ".join(tally.cells()) + " |")
    return "\n".join(lines)


def not_below(results: dict[str, dict[str, Tally]]) -> list[str]:
    """Measures where ours is below plain trafilatura (extract for text, bare for metadata)."""
    names = ("body", "clean", "empty", "title", "date", "author")
    failures = []
    for set_name, tallies in results.items():
        mine = tallies["ours"].key()
        for system in ("trafilatura.extract", "bare_extraction"):
            if system not in tallies:
                continue
            theirs = tallies[system].key()
            for name, a, b in zip(names, mine, theirs, strict=True):
                if name in ("title", "date", "author") and not tallies[system].metadata:
                    continue
                if a + 1e-9 < b:
                    failures.append(f"{set_name}: {name} {a:.3f} < {system} {b:.3f}")
            # page by page, not only the count: no page empty that the library extracts
            emptied = sorted(tallies["ours"].empty_pages - tallies[system].empty_pages)
            if emptied:
                failures.append(f"{set_name}: empty for ours, extracted by {system}: {emptied}")
    return failures


def under_target(results: dict[str, dict[str, Tally]], target: float = 0.95) -> list[str]:
    """Title, date and author shares of ours under the issue's target on the Korean pages."""
    ours = results.get("ko_pages", {}).get("ours")
    if ours is None:
        return []
    shares = {"title": (ours.title_ok, ours.title_n), "date": (ours.date_ok, ours.date_n),
              "author": (ours.author_ok, ours.author_n)}
    return [f"ko_pages: {name} {ok / n:.3f} ({ok}/{n}) under {target:.2f}"
            for name, (ok, n) in shares.items() if n and ok / n < target]


def grid(sets: dict[str, list]) -> None:
    """Ours under each trafilatura setting and two gate minimums, on both sets, with speed."""
    import time

    from pipeline.stages.clean import CleanOptions
    from pipeline.stages.extract import ExtractOptions

    print("\n| favor_precision | include_tables | fast | comments | min chars ko/en | set | body | clean "
          "| empty | title | date | author | pages/s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    gates = (CleanOptions(), CleanOptions(min_chars_ko=200, min_chars_en=400))
    combos = [(fp, tables, fast, True, gates[0]) for fp, tables, fast in itertools.product((False, True), repeat=3)]
    combos += [(False, True, False, False, gates[0]), (False, True, False, True, gates[1])]
    for fp, tables, fast, comments, gate in combos:
        options = ExtractOptions(favor_precision=fp, include_tables=tables, fast=fast, include_comments=comments)
        for set_name, pages in sets.items():
            start = time.perf_counter()
            tally = run_set(pages, ("ours",), options, gate)["ours"]
            rate = len(pages) / (time.perf_counter() - start)
            print(f"| {fp} | {tables} | {fast} | {comments} | {gate.min_chars_ko}/{gate.min_chars_en} | {set_name} | "
                  + " | ".join(tally.cells()) + f" | {rate:.1f} |", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--summary", action="store_true", help="per-set table only")
    parser.add_argument("--grid", action="store_true", help="compare settings on both sets")
    parser.add_argument("--check", action="store_true", help="exit 1 when ours is below trafilatura")
    parser.add_argument("--set", choices=SETS, help="one set only")
    parser.add_argument("--ours-only", action="store_true", help="skip the trafilatura runs (faster)")
    parser.add_argument("--markdown", type=Path, help="write the side-by-side table into this file")
    args = parser.parse_args(argv)
    names = [args.set] if args.set else list(SETS)
    missing = [n for n in names if not (DATA / n / "expected.json").exists()]
    if missing:
        print(f"skipped: real page sets not found ({', '.join(str(DATA / n) for n in missing)})")
        return 0
    sets = {n: load_set(n) for n in names}
    if args.grid:
        grid(sets)
        return 0
    systems = ("ours",) if args.ours_only else SYSTEMS
    results = {n: run_set(pages, systems) for n, pages in sets.items()}
    if not args.summary:
        for set_name, tallies in results.items():
            for system, tally in tallies.items():
                print(f"\n## {set_name} — {system}")
                print("\n".join(tally.rows))
    print()
    print(table(results))
    failures = not_below(results)
    for failure in failures:
        print("BELOW:", failure)
    for short in under_target(results):
        print("UNDER TARGET:", short)  # reported, not failed: see docs/quality-extraction.md
    if args.markdown:
        write_markdown(args.markdown, table(results))
    if args.check and failures:
        return 1
    return 0


def write_markdown(path: Path, rendered: str) -> None:
    """Replace the generated table between the markers of the docs file (or append it)."""
    start, end = "<!-- eval-real:start -->", "<!-- eval-real:end -->"
    block = f"{start}\n{rendered}\n{end}"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if start in old and end in old:
        new = old[: old.index(start)] + block + old[old.index(end) + len(end):]
    else:
        new = old + ("\n" if old else "") + block + "\n"
    path.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
