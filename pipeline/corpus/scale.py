"""A scale corpus for benchmarks: varied pages from the demo content and templates, streamed.

Each generated page takes a demo article's lead, adds paragraphs drawn from all demo articles of
its language, renames its people, shifts its dates, rescales its amounts and renders it with
another outlet's template. About one
page in ten is an exact or near copy of an earlier one (syndication), as in real news feeds.
Nothing is held in memory beyond one page: pages go straight to an html_dir and/or a WARC file.

`real_pages` makes a corpus of any size from real saved pages instead (../shared/data/ko_pages
and web_pages): each copy is the page's bytes with one paragraph changed and its own canonical
URL; some copies re-use the URL of an earlier copy of the same page (an edited re-publication).
Edits are ASCII only, so they hold in any of the pages' charsets (UTF-8, EUC-KR, Latin-1 …).
"""

from __future__ import annotations

import argparse
import copy
import io
import random
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from pipeline.corpus.markup import MARKUP
from pipeline.corpus.render import load_content, render_page

KOREAN_OUTLETS = ("econ", "daily", "wire", "regional", "agency")
SURNAMES = "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진"
GIVEN = "민서준도윤하지현우수연은채예시원아건태영재희성진유경혜상동"
DUPLICATE_RATE = 0.10
SHARD = 1000  # files per folder
AMOUNT = re.compile(r"(\d[\d,]*)(\s*)(억|조|만|천)")


def _korean_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


def _vary_paragraph(paragraph: str, names: dict[str, str], rng: random.Random) -> str:
    """Rename people (consistently per page) and rescale amounts; keep other markup."""

    def person(m: re.Match) -> str:
        surface, label, canonical = m.group(1), m.group(2), m.group(3)
        if label != "PERSON" or not re.fullmatch(r"[가-힣]{3}", surface):
            return m.group(0)
        new = names.setdefault(surface, _korean_name(rng))
        return "{{" + f"{new}|{label}" + (f"|{canonical}" if canonical else "") + "}}"

    def amount(m: re.Match) -> str:
        value = int(m.group(1).replace(",", "")) or 1
        return f"{max(1, round(value * rng.uniform(0.5, 2.0))):,}{m.group(2)}{m.group(3)}"

    return AMOUNT.sub(amount, MARKUP.sub(person, paragraph))


def vary_item(base: dict, index: int, rng: random.Random,
              pool: dict[str, list[str]] | None = None) -> dict:
    """A new article from a demo article: new people, dates, amounts, outlet and URL.

    With a pool (paragraphs of every demo article, by language), the base keeps its lead and the
    body is drawn from the pool, so two pages from one base are different articles (as MinHash
    sees them) rather than near copies: only the deliberate copies form multi-page stories.
    """
    item = copy.deepcopy(base)
    names: dict[str, str] = {}
    source = item["paragraphs"]
    if pool and len(pool.get(item.get("lang", "ko"), [])) > 8:
        lead = source[: rng.randint(1, min(2, len(source)))]
        source = lead + rng.sample(pool[item.get("lang", "ko")], rng.randint(5, 12))
    paragraphs = [_vary_paragraph(p, names, rng) for p in source]
    if len(paragraphs) > 5 and rng.random() < 0.5:
        paragraphs.pop(rng.randrange(1, len(paragraphs) - 1))
    if len(paragraphs) > 4 and rng.random() < 0.3:
        i = rng.randrange(1, len(paragraphs) - 2)
        paragraphs[i], paragraphs[i + 1] = paragraphs[i + 1], paragraphs[i]
    item["paragraphs"] = paragraphs
    item["captions"] = [c for c in item.get("captions", []) if c["after"] < len(paragraphs)]
    shift = timedelta(days=rng.randrange(-300, 0), minutes=rng.randrange(-600, 600))
    for key in ("published", "updated"):
        if item.get(key):
            item[key] = (datetime.fromisoformat(item[key]) + shift).isoformat()
    if item.get("lang") == "ko" and item.get("outlet") != "nextjs":
        item["outlet"] = rng.choice(KOREAN_OUTLETS)
    item["id"] = f"s{index:07d}"
    item["url"] = re.sub(r"(\d+)(\D*)$", lambda m: f"{index}{m.group(2)}", item["url"], count=1)
    if str(index) not in item["url"]:
        item["url"] = item["url"].rstrip("/") + f"/{index}"
    item["encoding"] = "utf-8" if rng.random() < 0.95 else item.get("encoding", "utf-8")
    return item


def generate_items(content_dir: Path, n_pages: int, seed: int = 7, start: int = 0
                   ) -> Iterator[dict]:
    """Yield n_pages varied article items (ids from `start`), about 10 % copies of earlier ones."""
    rng = random.Random(seed)
    bases = [i for i in load_content(content_dir) if i.get("kind", "article") == "article"]
    pool: dict[str, list[str]] = {}
    for base in bases:
        pool.setdefault(base.get("lang", "ko"), []).extend(base["paragraphs"][1:])
    recent: list[dict] = []  # a small window of earlier items to copy from
    for index in range(start, start + n_pages):
        if recent and rng.random() < DUPLICATE_RATE:
            item = copy.deepcopy(rng.choice(recent))
            item["id"] = f"s{index:07d}"
            item["url"] = item["url"].rstrip("/") + f"?dup={index}"
            if item.get("lang") == "ko" and item.get("outlet") != "nextjs":
                item["outlet"] = rng.choice(KOREAN_OUTLETS)
        else:
            item = vary_item(rng.choice(bases), index, rng, pool)
        recent = (recent + [item])[-50:]
        yield item


def write_html_dir(items: Iterator[dict], out_dir: Path, shard_prefix: str = "") -> tuple[int, int]:
    """Render items into out_dir/<shard>/<id>.html; returns (pages, bytes)."""
    pages = size = 0
    for item in items:
        folder = out_dir / f"{shard_prefix}{pages // SHARD:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        body = render_page(item)
        (folder / f"{item['id']}.html").write_bytes(body)
        pages += 1
        size += len(body)
    return pages, size


def write_warc(items: Iterator[dict], path: Path) -> tuple[int, int]:
    """Render items as HTTP response records of one WARC.gz file; returns (pages, bytes)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    pages = size = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for item in items:
            body = render_page(item)
            charset = "euc-kr" if item.get("encoding") == "euc-kr" else "utf-8"
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", f"text/html; charset={charset}")], protocol="HTTP/1.1")
            record = writer.create_warc_record(item["url"], "response",
                                               payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(record)
            pages += 1
            size += len(body)
    return pages, size


# the longest paragraph, else the longest run of text between tags (script data included)
PARAGRAPH = re.compile(rb"(<p\b[^>]*>)(.*?)(</p\s*>)", re.DOTALL | re.IGNORECASE)
TEXT_RUN = re.compile(rb"(>)([^<>]{60,})(<)")
DECLARED_URL = re.compile(rb"<(?:link|meta)\b[^>]*(?:canonical|og:url)[^>]*>", re.IGNORECASE)
HEAD = re.compile(rb"<head\b[^>]*>", re.IGNORECASE)
DIGITS = re.compile(rb"\d+")
TAG = re.compile(rb"<[^>]*>")
SHARED_URL_RATE = 0.05  # copies that re-use an earlier copy's URL


def real_bases(data_dir: Path) -> list[tuple[str, str, bytes]]:
    """(name, url, bytes) of every real page under data_dir/{ko_pages,web_pages}."""
    import json

    bases = []
    for folder in ("ko_pages", "web_pages"):
        expected = json.loads((data_dir / folder / "expected.json").read_text(encoding="utf-8"))
        for path in sorted((data_dir / folder / "html").glob("*.html")):
            key = path.stem if path.stem in expected else path.name
            url = (expected.get(key) or {}).get("url") or f"https://{folder}.example/{path.stem}"
            bases.append((path.stem, url, path.read_bytes()))
    return bases


def changed_paragraph(html: bytes, index: int, rng: random.Random,
                      span: tuple[int, int] | None = None) -> bytes:
    """The page with one paragraph changed: digits redrawn (as many) and a sentence added.

    `span` (byte offsets, from `edit_span`) is a paragraph inside the text the extractor keeps;
    without it, the longest paragraph, else the longest run of text between tags.
    """
    if span is None:
        spans = list(PARAGRAPH.finditer(html)) or list(TEXT_RUN.finditer(html))
        if not spans:
            return html + f"<p>Copy {index}.</p>".encode()
        m = max(spans, key=lambda m: len(m.group(2)))
        span = m.start(2), m.end(2)
    start, end = span
    edited = DIGITS.sub(lambda d: str(rng.randrange(10 ** len(d.group(0)))).zfill(
        len(d.group(0))).encode(), html[start:end])
    edited += f" Revised {index}: {rng.randrange(2, 999)} units, {rng.randrange(1, 28)} days.".encode()
    return html[:start] + edited + html[end:]


def edit_span(html: bytes, url: str, tries: int = 6) -> tuple[int, int] | None:
    """Where to edit copies of a page so that each copy's extracted article differs.

    An edit outside the text the extractor keeps (a sidebar, a comment, markup the body does
    not come from) would leave copies with one body, collapsed as duplicates. Candidates are
    the page's paragraphs and text runs whose words are in its extracted article, longest
    first; the first whose edit shows up in the copy's extracted article, with the copy still
    accepted, is the one. None when the page yields no article or no candidate works.
    """
    body, encoding = extracted_body(html, url)
    if not body:
        return None
    spans = list(PARAGRAPH.finditer(html)) + list(TEXT_RUN.finditer(html))
    candidates = sorted((m for m in spans if _words_in(m.group(2), body, encoding)),
                        key=lambda m: -len(m.group(2)))
    for m in candidates[:tries]:
        span = m.start(2), m.end(2)
        copy, _ = extracted_body(changed_paragraph(html, 0, random.Random(0), span), url)
        if "Revised 0" in copy:
            return span
    return None


def _words_in(span: bytes, body_text: str, encoding: str) -> bool:
    """Whether the span's first visible words (tags dropped) occur in the body."""
    import html as html_lib

    text = TAG.sub(b" ", span).decode(encoding, errors="ignore")
    probe = " ".join(html_lib.unescape(text).split()[:8])
    return len(probe) >= 20 and probe in " ".join(body_text.split())


def extracted_body(html: bytes, url: str) -> tuple[str, str]:
    """The article text the pipeline extracts from a page ('' when it refuses the page), and the
    charset the page was read with."""
    from datetime import UTC, datetime

    from pipeline.models import Article, RawPage
    from pipeline.stages.charset import decode_html
    from pipeline.stages.clean import process_page

    try:
        text, encoding = decode_html(html)
    except ValueError:
        return "", "utf-8"
    page = RawPage(page_id="base", source="bench", url=url, canonical_url=url, final_url=url,
                   fetched_at=datetime.now(UTC), ok=True, encoding=encoding, n_bytes=len(html),
                   html=text)
    result = process_page(page)
    return (result.text if isinstance(result, Article) else ""), encoding


def with_canonical(html: bytes, url: str) -> bytes:
    """The page declaring url as its canonical URL (declared URLs it had are dropped)."""
    tag = f'<link rel="canonical" href="{url}">'.encode()
    html = DECLARED_URL.sub(b"", html)
    head = HEAD.search(html)
    return html[:head.end()] + tag + html[head.end():] if head else tag + html


def real_pages(data_dir: Path, n_pages: int, seed: int = 7, start: int = 0,
               shared_url_rate: float = SHARED_URL_RATE) -> Iterator[tuple[str, bytes]]:
    """Yield (file name, bytes) of n_pages unique copies of the real pages, round robin."""
    rng = random.Random(seed)
    bases = real_bases(data_dir)
    spans: dict[str, tuple[int, int] | None] = {}  # each base page's edit point, found once
    urls: dict[str, list[str]] = {}  # earlier copies' URLs, per base page
    for index in range(start, start + n_pages):
        name, url, html = bases[index % len(bases)]
        earlier = urls.setdefault(name, [])
        if earlier and rng.random() < shared_url_rate:
            copy_url = rng.choice(earlier)
        else:
            copy_url = f"{url.split('#')[0].rstrip('/')}/copy-{index}"
            earlier.append(copy_url)
            del earlier[:-20]
        if name not in spans:
            spans[name] = edit_span(html, url)
        changed = changed_paragraph(html, index, rng, spans[name])
        yield f"{name}-{index:07d}.html", with_canonical(changed, copy_url)


def write_pages(pages: Iterator[tuple[str, bytes]], out_dir: Path) -> tuple[int, int]:
    """Write (name, bytes) pages into out_dir/<shard>/; returns (pages, bytes)."""
    count = size = 0
    for name, body in pages:
        folder = out_dir / f"{count // SHARD:04d}"
        if count % SHARD == 0:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(body)
        count += 1
        size += len(body)
    return count, size


def main(argv: list[str] | None = None) -> int:
    """Command line: python -m pipeline.corpus.scale --pages N --out DIR [--warc FILE]."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--content", type=Path, default=Path("data/demo/content"))
    parser.add_argument("--out", type=Path, help="html_dir to write")
    parser.add_argument("--warc", type=Path, help="WARC.gz file to write")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.out:
        print("html_dir", write_html_dir(generate_items(args.content, args.pages, args.seed), args.out))
    if args.warc:
        print("warc", write_warc(generate_items(args.content, args.pages, args.seed), args.warc))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
