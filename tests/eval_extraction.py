"""Evaluate extraction on the demo gold: our pipeline against plain trafilatura.

Usage (from the repository root):
    .venv/bin/python tests/eval_extraction.py            # table for Korean and English
    .venv/bin/python tests/eval_extraction.py --check    # exit 1 unless ours beats trafilatura on ko, >= on en
    .venv/bin/python tests/eval_extraction.py --grid     # compare ExtractOptions settings
    .venv/bin/python tests/eval_extraction.py --speed    # process_page pages/s on one core
    .venv/bin/python tests/eval_extraction.py -v         # also list pages that miss

Body scores are bag-of-words over whitespace tokens, after the same text normalization
(NFC, half-width forms, straight quotes) on every side, macro-averaged over pages.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trafilatura

from pipeline.models import Article, RawPage
from pipeline.stages.clean import CleanOptions, clean_article, normalize_text, process_page
from pipeline.stages.dates import parse_date
from pipeline.stages.extract import ExtractOptions, extract_page

GOLD = ROOT / "tests" / "gold" / "extraction.jsonl"
PAGES = ROOT / "data" / "demo" / "pages"
FETCHED = datetime(2026, 3, 1, tzinfo=UTC)


def decode(body: bytes) -> str:
    """Bytes to text with the project's decoder, or a minimal meta-charset fallback."""
    try:
        from pipeline.stages.charset import decode_html
    except ImportError:
        head = body[:2048].lower()
        codec = "euc-kr" if b"euc-kr" in head or b"ks_c_5601" in head else "utf-8"
        return body.decode("cp949" if codec == "euc-kr" else codec, errors="replace")
    return decode_html(body)[0]


def raw_page(page_id: str, path: Path) -> RawPage:
    """A RawPage for a demo file, as the html_dir source would build it."""
    html = decode(path.read_bytes())
    url = path.resolve().as_uri()
    return RawPage(page_id, "demo", url, url, url, FETCHED, True, html=html)


def tokens(text: str | None) -> Counter:
    """Bag of whitespace tokens of the normalized text."""
    return Counter(normalize_text(text or "", fold_quotes=True).split())


def prf(predicted: str | None, gold: str) -> tuple[float, float, float]:
    """Bag-of-words precision, recall and F1 of a body against the gold body."""
    p, g = tokens(predicted), tokens(gold)
    overlap = sum((p & g).values())
    precision = overlap / sum(p.values()) if p else 0.0
    recall = overlap / sum(g.values()) if g else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def same_instant(predicted: datetime | str | None, gold: str | None) -> bool:
    """True when both name the same instant (or both are missing)."""
    if isinstance(predicted, str):
        predicted = parse_date(predicted)
    if not gold:
        return predicted is None
    return predicted is not None and predicted == datetime.fromisoformat(gold)


def split_authors(value: str | None) -> set[str]:
    """trafilatura's author string ('A; B') as a set."""
    return {a.strip() for a in (value or "").replace(",", ";").split(";") if a.strip()}


@dataclass
class Score:
    """Accumulated scores of one system on one language."""

    n: int = 0
    p: float = 0.0
    r: float = 0.0
    f: float = 0.0
    title: int = 0
    date: int = 0
    authors: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, rec: dict, body: str | None, title: str | None, date, authors: set[str]) -> None:
        """Score one page."""
        p, r, f = prf(body, rec["body"])
        self.n += 1
        self.p, self.r, self.f = self.p + p, self.r + r, self.f + f
        ok_title = normalize_text(title or "", fold_quotes=True) == normalize_text(rec["title"], fold_quotes=True)
        ok_date = same_instant(date, rec.get("published_at"))
        ok_auth = {normalize_text(a) for a in authors} == {normalize_text(a) for a in rec.get("authors") or []}
        self.title += ok_title
        self.date += ok_date
        self.authors += ok_auth
        if f < 0.98 or not (ok_title and ok_date and ok_auth):
            self.misses.append(
                f"{rec['id']}: F1={f:.3f} P={p:.3f} R={r:.3f} title={ok_title} date={ok_date}({date}) "
                f"authors={ok_auth}({sorted(authors)} vs {rec.get('authors')})"
            )

    def row(self, name: str) -> str:
        """One table row."""
        n = max(self.n, 1)
        return (
            f"| {name:<22} | {self.n:>3} | {self.p / n:.3f} | {self.r / n:.3f} | {self.f / n:.3f} "
            f"| {self.title / n:.2f} | {self.date / n:.2f} | {self.authors / n:.2f} |"
        )

    @property
    def f1(self) -> float:
        """Macro F1 of the body."""
        return self.f / max(self.n, 1)


HEADER = (
    "| system                 |   n | body P | body R | body F1 | title | published_at | authors |\n"
    "|------------------------|-----|--------|--------|---------|-------|--------------|---------|"
)


def load_gold() -> list[dict]:
    """Gold records whose page file exists."""
    if not GOLD.exists():
        return []
    records = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in records if (ROOT / r["path"]).exists()]


def score_ours(records: list[dict], pages: dict[str, RawPage], options: ExtractOptions) -> dict[str, Score]:
    """Scores of extract_page + clean_article per language."""
    scores: dict[str, Score] = {}
    for rec in records:
        extracted = extract_page(pages[rec["id"]], options)
        result = clean_article(extracted, CleanOptions()) if not hasattr(extracted, "reason") else extracted
        s = scores.setdefault(rec["lang"], Score())
        if isinstance(result, Article):
            s.add(rec, result.text, result.title, result.published_at, set(result.authors))
        else:
            s.add(rec, None, None, None, set())
            s.misses[-1] += f" REJECT {result.reason}"
    return scores


def score_plain(records: list[dict], pages: dict[str, RawPage]) -> dict[str, Score]:
    """Scores of plain trafilatura.extract (body) and bare_extraction (metadata) per language."""
    scores: dict[str, Score] = {}
    for rec in records:
        html = pages[rec["id"]].html
        body = trafilatura.extract(html)
        doc = trafilatura.bare_extraction(html, with_metadata=True)
        meta = doc.as_dict() if doc is not None else {}
        scores.setdefault(rec["lang"], Score()).add(
            rec, body, meta.get("title"), meta.get("date"), split_authors(meta.get("author"))
        )
    return scores


def print_table(ours: dict[str, Score], plain: dict[str, Score], verbose: bool) -> None:
    """Markdown tables per language."""
    for lang in sorted(set(ours) | set(plain)):
        print(f"\n### {lang}\n{HEADER}")
        print(ours.get(lang, Score()).row("axnews (extract+clean)"))
        print(plain.get(lang, Score()).row("plain trafilatura"))
        if verbose:
            for miss in ours.get(lang, Score()).misses:
                print(f"  ours  {miss}")
            for miss in plain.get(lang, Score()).misses:
                print(f"  plain {miss}")


def grid(records: list[dict], pages: dict[str, RawPage]) -> None:
    """Body F1 and speed for each ExtractOptions combination."""
    print("\n| favor_precision | include_tables | fast | ko F1 | en F1 | title | date | authors | pages/s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for fp, tables, fast in itertools.product((False, True), (False, True), (False, True)):
        options = ExtractOptions(favor_precision=fp, include_tables=tables, fast=fast)
        start = time.perf_counter()
        scores = score_ours(records, pages, options)
        rate = len(records) / (time.perf_counter() - start)
        total = Score()
        for s in scores.values():
            total.n += s.n
            total.title, total.date, total.authors = total.title + s.title, total.date + s.date, total.authors + s.authors
        n = max(total.n, 1)
        print(
            f"| {fp} | {tables} | {fast} | {scores.get('ko', Score()).f1:.3f} | {scores.get('en', Score()).f1:.3f} "
            f"| {total.title / n:.2f} | {total.date / n:.2f} | {total.authors / n:.2f} | {rate:.1f} |"
        )


def speed(repeat: int = 3) -> None:
    """process_page pages/s on one core over every demo page."""
    paths = sorted(PAGES.rglob("*.html"))
    pages = [raw_page(p.stem, p) for p in paths]
    mb = sum(len(p.html or "") for p in pages) / 1e6
    best = 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        for page in pages:
            process_page(page)
        best = max(best, len(pages) / (time.perf_counter() - start))
    print(f"\nprocess_page: {len(pages)} pages ({mb:.1f} M chars), best of {repeat}: {best:.1f} pages/s on one core")
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(process_page, pages[:4]))  # warm the workers (imports)
        start = time.perf_counter()
        list(pool.map(process_page, pages * repeat, chunksize=8))
        rate = len(pages) * repeat / (time.perf_counter() - start)
    print(f"process pool of 2: {rate:.1f} pages/s")


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation; with --check, fail when we do not beat plain trafilatura."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 unless ours beats plain trafilatura")
    parser.add_argument("--grid", action="store_true", help="compare ExtractOptions settings")
    parser.add_argument("--speed", action="store_true", help="measure process_page pages/s")
    parser.add_argument("-v", "--verbose", action="store_true", help="list pages that miss")
    args = parser.parse_args(argv)
    records = load_gold()
    if not records:
        print(f"no gold records with existing pages in {GOLD}")
        return 1 if args.check else 0
    pages = {r["id"]: raw_page(r["id"], ROOT / r["path"]) for r in records}
    ours = score_ours(records, pages, ExtractOptions())
    plain = score_plain(records, pages)
    print(f"{len(records)} gold pages; defaults {ExtractOptions()}")
    print_table(ours, plain, args.verbose)
    if args.grid:
        grid(records, pages)
    if args.speed:
        speed()
    if args.check:
        ko_ok = "ko" not in plain or ours.get("ko", Score()).f1 > plain["ko"].f1
        en_ok = "en" not in plain or ours.get("en", Score()).f1 >= plain["en"].f1
        if not (ko_ok and en_ok):
            print("CHECK FAILED: ours must beat plain trafilatura on ko and not be worse on en")
            return 1
        print("check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
