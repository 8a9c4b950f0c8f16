"""Parse the documents that list a site's pages: RSS/Atom/JSON feeds, sitemaps, robots.txt
Sitemap lines, and the feed links a homepage advertises. Pure functions over bytes we read.
"""

from __future__ import annotations

import io
import json
import re
import time
import zlib
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import feedparser
from lxml import etree
from trafilatura.feeds import FeedParameters, determine_feed

from pipeline.stages.dates import parse_date

MAX_FEEDS_PER_HOMEPAGE = 3
FEED_LINK_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json"}
)
FEED_LINK = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
ATTR = re.compile(r"""([a-zA-Z:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
ROBOTS_SITEMAP = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, recover=True, huge_tree=False, remove_comments=True
)


def _local(tag: object) -> str:
    """The local name of an lxml tag, without its namespace."""
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _children(node: etree._Element, name: str) -> list[etree._Element]:
    """Direct children with the given local name, any namespace."""
    return [c for c in node if _local(c.tag) == name]


def _text(node: etree._Element, name: str) -> str | None:
    """Stripped text of the first child with the given local name."""
    for child in _children(node, name):
        if child.text and child.text.strip():
            return child.text.strip()
    return None


def utc_date(value: str | None) -> datetime | None:
    """A feed, sitemap or WARC date as an aware UTC datetime (one naming no zone is UTC)."""
    parsed = parse_date(value, default_tz=UTC)
    return parsed.astimezone(UTC) if parsed else None


def gunzip(body: bytes, limit: int) -> bytes | None:
    """Decompress a gzip body with a bound; None when it is a bomb or broken."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    decoder = zlib.decompressobj(47)
    try:
        out = decoder.decompress(body, limit + 1)
    except zlib.error:
        return None
    return None if len(out) > limit or decoder.unconsumed_tail else out


def parse_xml(body: bytes) -> etree._Element | None:
    """Parse XML safely (no entities, no network); None when it is not XML."""
    try:
        root = etree.fromstring(body.lstrip(), XML_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None
    return root


# ---------------------------------------------------------------- feeds


def _struct_utc(value: time.struct_time | None) -> datetime | None:
    """feedparser's UTC struct_time as an aware datetime."""
    return datetime(*value[:6], tzinfo=UTC) if value else None


def _xml_feed_entries(body: bytes, base_url: str) -> list[tuple[str, datetime | None]] | None:
    """(link, date) of RSS or Atom entries, by feedparser; None when the body is neither.

    The bytes go in as a stream: given bytes or a string, feedparser may take it for a file
    name or a URL and read or fetch it itself.
    """
    feed = feedparser.parse(
        io.BytesIO(body),
        response_headers={"content-location": base_url},
        resolve_relative_uris=False,
        sanitize_html=False,
    )
    if not feed.version:
        return None
    atom = feed.version.startswith("atom")
    entries = []
    for entry in feed.entries:
        link = (entry.get("link") or "").strip()
        dates = ("updated_parsed", "published_parsed") if atom else ("published_parsed",
                                                                     "updated_parsed")
        if link:
            entries.append((link, _struct_utc(entry.get(dates[0]) or entry.get(dates[1]))))
    return entries


def _json_entries(body: bytes) -> list[tuple[str, datetime | None]] | None:
    """(url, date) of JSON Feed items; None when the body is not a JSON feed."""
    try:
        doc = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        return None
    entries = []
    for item in doc["items"]:
        if isinstance(item, dict) and isinstance(item.get("url") or item.get("external_url"), str):
            date_text = item.get("date_published") or item.get("date_modified")
            entries.append((item.get("url") or item["external_url"], utc_date(date_text)))
    return entries


def parse_feed(body: bytes, base_url: str) -> list[tuple[str, datetime | None]] | None:
    """(absolute link, date) of a feed's entries; None when the body is not a feed."""
    stripped = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith((b"{", b"[")):  # JSON Feed: feedparser 6.0 reads XML feeds only
        entries = _json_entries(stripped)
    else:
        entries = _xml_feed_entries(stripped, base_url) if stripped.startswith(b"<") else None
    if entries is None:
        return None
    return [(urljoin(base_url, link), when) for link, when in entries]


def find_feed_links(html: str, base_url: str) -> list[str]:
    """Feed URLs a homepage advertises (<link rel=alternate>, then trafilatura's heuristics)."""
    links = []
    for tag in FEED_LINK.findall(html[:200_000]):
        attrs = {
            m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
            for m in ATTR.finditer(tag)
        }
        rel = attrs.get("rel", "").lower().split()
        if (
            "alternate" in rel
            and attrs.get("type", "").lower() in FEED_LINK_TYPES
            and attrs.get("href")
        ):
            links.append(urljoin(base_url, attrs["href"].strip()))
    if not links:
        host = urlsplit(base_url).hostname or ""
        params = FeedParameters(base_url, host, base_url)
        try:
            links = [urljoin(base_url, u) for u in determine_feed(html, params)]
        except Exception:  # noqa: BLE001 - heuristics only; a failure means no feed found
            links = []
    return list(dict.fromkeys(links))[:MAX_FEEDS_PER_HOMEPAGE]


# ---------------------------------------------------------------- sitemaps


def parse_sitemap(
    body: bytes, base_url: str
) -> tuple[list[tuple[str, datetime | None]], list[tuple[str, datetime | None]]] | None:
    """(pages, child sitemaps) of a sitemap or sitemap index; None when not a sitemap."""
    root = parse_xml(body)
    if root is None or _local(root.tag) not in ("urlset", "sitemapindex"):
        return None
    pages, children = [], []
    for node in root:
        loc = _text(node, "loc")
        if not loc:
            continue
        when = utc_date(_text(node, "lastmod"))
        for news in _children(node, "news"):  # Google News sitemap
            when = when or utc_date(_text(news, "publication_date"))
        target = children if _local(node.tag) == "sitemap" else pages
        target.append((urljoin(base_url, loc), when))
    return pages, children


def robots_sitemaps(body: bytes, base_url: str) -> list[str]:
    """Sitemap URLs listed in a robots.txt ("Sitemap:" lines)."""
    text = body.decode("utf-8", errors="replace")
    return [urljoin(base_url, m.group(1)) for m in ROBOTS_SITEMAP.finditer(text)]
