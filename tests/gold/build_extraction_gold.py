"""Build tests/gold/extraction.jsonl: the expected extraction result of every demo article page.

Run ``python tests/gold/build_extraction_gold.py`` from the repository root after editing the
content files. One JSON line per page of kind ``article``, in content order.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipeline.corpus.markup import strip_markup
from pipeline.corpus.render import load_content, page_path

CONTENT_DIR = ROOT / "data" / "demo" / "content"
PAGES_DIR = ROOT / "data" / "demo" / "pages"
GOLD_FILE = ROOT / "tests" / "gold" / "extraction.jsonl"


def gold_record(item: dict) -> dict:
    """The expected extraction of one article item."""
    return {
        "id": item["id"],
        "path": (PAGES_DIR / page_path(item)).relative_to(ROOT).as_posix(),
        "lang": item.get("lang", "ko"),
        "title": item["title"],
        "published_at": item["published"],
        "authors": list(item.get("authors") or []),
        "body": "\n".join(strip_markup(p)[0] for p in item["paragraphs"]),
    }


def gold_lines(content_dir: Path = CONTENT_DIR) -> str:
    """The whole gold file text for the content in content_dir."""
    records = [
        gold_record(item)
        for item in load_content(content_dir)
        if item.get("kind", "article") == "article"
    ]
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def main() -> int:
    """Write the gold file."""
    text = gold_lines()
    GOLD_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {text.count(chr(10))} records to {GOLD_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
