"""Hostile inputs for the property tests, and the invariant every run must keep.

A page is described by a `PageSpec` (a kind, which URL of a small pool it claims, a seed); the
pool is small on purpose, so generated folders, lists, feeds and archives repeat URLs exactly
and nearly (tracking parameters, fragments, upper-case hosts) within and across batches.
"""

from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import duckdb
from hypothesis import strategies as st

from pipeline.settings import SQL_DIR
from tests.conftest import DEMO_DIR

BASES = [path.read_text(encoding="utf-8") for path in
         sorted((DEMO_DIR / "pages" / "wire").glob("*.html"))[:2]
         + sorted((DEMO_DIR / "pages" / "econ").glob("*.html"))[:2]]
CANONICAL_TAG = re.compile(r'<link rel="canonical" href="[^"]*">')
OG_URL_TAG = re.compile(r'<meta property="og:url" content="[^"]*">')
KINDS = ("article", "edited", "empty", "junk", "nul", "bad_utf8", "mislabeled", "long_line",
         "nested", "no_body", "script_only")
URL_POOL = 3  # distinct pages a generated input may claim
# spellings of one URL that canonicalize alike (tracking parameter, fragment, host case), and
# one that does not (another query)
VARIANTS = ("", "?utm_source=feed", "#comments", "?utm_medium=sns&utm_source=x", "?page=2")


@dataclass(frozen=True)
class PageSpec:
    kind: str
    url_index: int
    variant: int
    seed: int
    age_minutes: int  # for files: how long ago it was modified (ties happen)


page_specs = st.builds(
    PageSpec,
    kind=st.sampled_from(KINDS),
    url_index=st.integers(0, URL_POOL - 1),
    variant=st.integers(0, len(VARIANTS) - 1),
    seed=st.integers(0, 3),
    age_minutes=st.integers(0, 3),
)


def claimed_url(base: str, spec: PageSpec) -> str:
    """The URL a generated page claims (its canonical link, or its list/feed/WARC entry)."""
    return f"{base}/view/{spec.url_index}{VARIANTS[spec.variant]}"


def _article(spec: PageSpec, canonical: str) -> str:
    html = BASES[(spec.url_index + spec.seed) % len(BASES)]
    html = CANONICAL_TAG.sub(f'<link rel="canonical" href="{canonical}">', html)
    return OG_URL_TAG.sub(f'<meta property="og:url" content="{canonical}">', html)


def render(spec: PageSpec, canonical: str) -> bytes:
    """The bytes of one generated page."""
    rng = random.Random(spec.seed * 1000 + spec.url_index)
    if spec.kind == "empty":
        return b"" if spec.seed % 2 == 0 else b"  \n\t "
    if spec.kind == "junk":
        return rng.randbytes(50 + spec.seed * 300)
    if spec.kind == "long_line":
        return ("<html><body><p>" + "지역 AI 전환 " * (5_000 + spec.seed * 5_000)
                + "</p></body></html>").encode()
    if spec.kind == "nested":
        depth = 300 + spec.seed * 1500
        return ("<html><body>" + "<div>" * depth + "<p>깊은 문서의 본문입니다.</p>"
                + "</div>" * depth + "</body></html>").encode()
    if spec.kind == "no_body":
        return f'<html><head><title>제목만</title><link rel="canonical" href="{canonical}"></head></html>'.encode()
    if spec.kind == "script_only":
        return (f'<html><head><link rel="canonical" href="{canonical}"></head><body><script>'
                + "var data = {\"a\": 1};" * (1 + spec.seed * 50) + "</script></body></html>").encode()
    html = _article(spec, canonical)
    if spec.kind == "edited":
        html = html.replace("<p>", f"<p>정정 {spec.seed}판: ", 1)
    if spec.kind == "mislabeled":  # CP949 bytes under a UTF-8 label
        return html.replace('charset="utf-8"', 'charset="utf-8"').encode("cp949", errors="replace")
    body = html.encode()
    middle = body.find(b"<p>") + 3
    if spec.kind == "nul":
        return body[:middle] + b"\x00" * (1 + spec.seed) + body[middle:]
    if spec.kind == "bad_utf8":
        return body[:middle] + b"\xff\xfe\xc3(\xed\xa0\x80" + body[middle:]
    return body


def modified_at(spec: PageSpec) -> float:
    """A file's modification time: some minutes ago (equal ages tie)."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return (now - timedelta(minutes=spec.age_minutes)).timestamp()


def rss(entries: list[str]) -> bytes:
    items = "".join(f"<item><title>{i}</title><link>{u.replace('&', '&amp;')}</link></item>"
                    for i, u in enumerate(entries))
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>'
            f"{items}</channel></rss>").encode()


def sitemap(entries: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{u.replace('&', '&amp;')}</loc></url>" for u in entries)
    return (f'<?xml version="1.0" encoding="UTF-8"?><urlset '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>').encode()


def warc(records: list[tuple[str, bytes, int]]) -> bytes:
    """A gzipped WARC of HTML responses: (target URL, body, seconds after a fixed date)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    start = datetime(2026, 1, 12, tzinfo=UTC)
    for url, body, offset in records:
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                protocol="HTTP/1.1")
        when = (start + timedelta(seconds=offset)).strftime("%Y-%m-%dT%H:%M:%SZ")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                           http_headers=http,
                                           warc_headers_dict={"WARC-Date": when})
        writer.write_record(record)
    return out.getvalue()


# ---------------------------------------------------------------- invariants


def primary_keys() -> dict[str, list[str]]:
    """table → its primary key columns, read from sql/schema (DuckLake does not enforce them)."""
    keys = {}
    for path in sorted((SQL_DIR / "schema").glob("*.sql")):
        ddl = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))
        table = re.search(r"create table if not exists ([\w.]+)", ddl).group(1)
        column = re.search(r"^\s*(\w+)\s+\w+\s+primary key", ddl, re.MULTILINE)
        composite = re.search(r"primary key\s*\(([^)]*)\)", ddl)
        if composite:
            keys[table] = [c.strip() for c in composite.group(1).split(",")]
        elif column:
            keys[table] = [column.group(1)]
    return keys


def assert_keys_unique(con: duckdb.DuckDBPyConnection) -> None:
    for table, columns in primary_keys().items():
        cols = ", ".join(columns)
        total, distinct = con.execute(
            f"select count(*), count(distinct ({cols})) from {table}").fetchone()
        assert total == distinct, f"{table}: {total} rows, {distinct} distinct ({cols})"


ACCOUNTED = """
with outcome as (
    select p.final_url, p.url, p.page_id, 'page' as how from pages p
    where (not p.ok and exists (select 1 from rejects r where r.page_id = p.page_id
                                and r.stage = 'fetch' and r.reason = p.reason))
       or (p.ok and exists (select 1 from axnews_state.processed pp
                            where pp.stage = 'articles' and pp.item_id = p.page_id and (
              pp.article_id in (select article_id from article_urls where page_id = p.page_id)
              or exists (select 1 from rejects r where r.page_id = p.page_id
                         and r.stage <> 'fetch' and r.reason = pp.reason))))
    union all
    select url, url, page_id, 'duplicate_url' from rejects where reason = 'duplicate_url'
)
select distinct unnest(?::varchar[]) as input
except
select final_url from outcome
except
select url from outcome
"""


def unaccounted(con: duckdb.DuckDBPyConnection, inputs: list[str]) -> list[str]:
    """Inputs (file URIs or URLs) that are neither an article nor a row with a reason."""
    return sorted(r[0] for r in con.execute(ACCOUNTED, [inputs]).fetchall())


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of every table but the append-only fetch log."""
    from pipeline.warehouse import table_counts

    return {t: n for t, n in table_counts(con).items() if t != "axnews_state.fetch_log"}
