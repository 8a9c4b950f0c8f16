"""Render the demo corpus: content JSON files in, one HTML file per page out.

Run ``python -m pipeline.corpus.render [content_dir] [out_dir]``. Output depends only on the
content, so re-rendering leaves the committed pages byte-identical.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pipeline.corpus.templates import render_html

DEFAULT_CONTENT = Path("data/demo/content")
DEFAULT_PAGES = Path("data/demo/pages")
ENCODINGS = ("utf-8", "euc-kr")


def load_content(content_dir: Path) -> list[dict]:
    """All page items of every *.json file in content_dir, in file then list order."""
    items: list[dict] = []
    for path in sorted(Path(content_dir).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, list):
            raise TypeError(f"{path}: expected a JSON list of page objects")
        items.extend(data)
    ids = [item["id"] for item in items]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate page ids: {', '.join(duplicates)}")
    return items


def encode_page(text: str, encoding: str) -> bytes:
    """Encode page text; EUC-KR pages fall back to cp949 for the rare syllables EUC-KR lacks."""
    if encoding == "utf-8":
        return text.encode("utf-8")
    try:
        return text.encode("euc-kr")
    except UnicodeEncodeError:
        # Korean sites labelled euc-kr are in practice cp949 (its superset); keep the label.
        return text.encode("cp949", errors="xmlcharrefreplace")


def render_page(item: dict) -> bytes:
    """The page bytes for one content item, in the item's declared encoding."""
    encoding = (item.get("encoding") or "utf-8").lower()
    if encoding not in ENCODINGS:
        raise ValueError(f"{item.get('id')}: unsupported encoding {encoding!r}")
    return encode_page(render_html(item, encoding), encoding)


def page_path(item: dict) -> Path:
    """Where an item's page goes, relative to the pages folder."""
    return Path(item["outlet"]) / f"{item['id']}.html"


def render_corpus(content_dir: Path, out_dir: Path) -> list[Path]:
    """Render every item to out_dir/<outlet>/<id>.html; remove stale pages; return written paths."""
    out_dir = Path(out_dir)
    written = []
    for item in load_content(content_dir):
        target = out_dir / page_path(item)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(render_page(item))
        written.append(target)
    keep = set(written)
    # Pages whose item was renamed or removed would otherwise linger in the committed corpus.
    for old in out_dir.glob("*/*.html"):
        if old not in keep:
            old.unlink()
    return written


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: render content_dir (default data/demo/content) into out_dir."""
    args = sys.argv[1:] if argv is None else argv
    content = Path(args[0]) if args else DEFAULT_CONTENT
    out = Path(args[1]) if len(args) > 1 else DEFAULT_PAGES
    written = render_corpus(content, out)
    print(f"rendered {len(written)} pages into {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
