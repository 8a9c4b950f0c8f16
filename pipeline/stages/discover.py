"""Find the pages of a source: files in a folder, URL lists, feeds, sitemaps, WARC archives.

Discovery yields PageRef records to fetch, or RawPage records when the page is already in
hand (WARC) or when discovery itself failed (a failed RawPage with a reason; never raises).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import quote_from_bytes, urlsplit

from warcio.archiveiterator import ArchiveIterator

from pipeline.models import PageRef, RawPage, Source
from pipeline.stages.fetch import (
    FetchPolicy,
    HttpClient,
    failed_page,
    fetch_document,
    page_from_body,
    policy_for,
)
from pipeline.stages.page_lists import (
    find_feed_links,
    gunzip,
    parse_feed,
    parse_sitemap,
    robots_sitemaps,
    utc_date,
)
from pipeline.stages.urls import FETCHABLE_SCHEMES, canonicalize

__all__ = ["discover", "parse_feed", "parse_sitemap", "parse_url_list"]  # tests and callers

HTML_SUFFIXES = frozenset({".html", ".htm"})
MAX_SITEMAP_DEPTH = 3
MAX_SITEMAPS = 200


# ---------------------------------------------------------------- helpers


def _since(source: Source) -> datetime | None:
    """The source's `since` option as an aware UTC datetime."""
    value = source.options.get("since")
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return utc_date(str(value)) if value else None


def _keep(source: Source, url: str, lastmod: datetime | None) -> bool:
    """Apply the source's `pattern` and `since` options to one discovered URL."""
    pattern = source.options.get("pattern")
    if pattern and not re.search(pattern, url):
        return False
    since = _since(source)
    return not (since and lastmod and lastmod < since)


def _is_remote(location: str) -> bool:
    """True when a location is an http(s) URL."""
    return urlsplit(location).scheme.lower() in FETCHABLE_SCHEMES


def _location_url(location: str) -> str:
    """The location as a URL (file:// for paths)."""
    return location if "://" in location else Path(location).resolve().as_uri()


def _read_document(
    source: Source, location: str, client: HttpClient | None, max_bytes: int
) -> tuple[bytes | None, str, RawPage | None]:
    """Read a local or remote feed/sitemap/list; (body, base url, failure page)."""
    if _is_remote(location):
        if client is None:
            return (
                None,
                location,
                failed_page(source.name, location, "bad_scheme", "no fetch policy"),
            )
        resp = fetch_document(location, client, max_bytes)
        if resp.reason:
            return (
                None,
                location,
                failed_page(
                    source.name, location, resp.reason, resp.detail, http_status=resp.status
                ),
            )
        return resp.body, resp.url, None
    path = Path(location.removeprefix("file://"))
    try:
        with open(path, "rb") as fh:
            body = fh.read(max_bytes + 1)
    except OSError as exc:
        return (
            None,
            location,
            failed_page(source.name, _location_url(location), "not_found", str(exc)),
        )
    if len(body) > max_bytes:
        return (
            None,
            location,
            failed_page(
                source.name, _location_url(location), "too_large", f"exceeds {max_bytes} bytes"
            ),
        )
    return body, path.resolve().as_uri(), None


# ---------------------------------------------------------------- html_dir and urls


def _walk_html(root: Path) -> list[tuple[str, os.DirEntry]]:
    """Every *.html/*.htm file under root as (path relative to root, its directory entry),
    sorted by that path; symlinked folders are not entered, unreadable ones are skipped."""
    found = []
    folders = [(str(root), "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    relative = prefix + entry.name
                    if entry.is_dir(follow_symlinks=False):
                        folders.append((entry.path, relative + "/"))
                    elif (os.path.splitext(entry.name)[1].lower() in HTML_SUFFIXES
                          and not (entry.is_symlink() and entry.is_dir())):
                        found.append((relative, entry))
        except OSError:
            continue
    return sorted(found, key=lambda item: item[0])


def discover_html_dir(source: Source) -> Iterator[PageRef | RawPage]:
    """Every HTML file under the source folder; paths resolving outside it are refused.

    Only a symlinked file can resolve elsewhere (symlinked folders are not entered), so only
    those are resolved: resolving each of 100,000 plain files took most of a re-run's reading.
    """
    root = Path(source.location)
    if not root.is_dir():
        yield failed_page(
            source.name, _location_url(source.location), "not_found", f"folder not found: {root}"
        )
        return
    real_root = root.resolve()
    for relative, entry in _walk_html(root):
        try:
            if entry.is_symlink():
                path = root / relative
                real = path.resolve()
                if not real.is_relative_to(real_root):
                    yield failed_page(
                        source.name,
                        path.absolute().as_uri(),
                        "outside_root",
                        f"{path} resolves to {real}, outside {real_root}",
                    )
                    continue
                mtime = real.stat().st_mtime
                real_path = str(real)
            else:
                mtime = entry.stat(follow_symlinks=False).st_mtime
                # Strings, not Path objects: two Paths a file cost ~0.7 s of a re-run at 100,000.
                real_path = os.path.join(real_root, relative)
        except OSError as exc:
            yield failed_page(source.name, (root / relative).absolute().as_uri(), "not_found",
                              str(exc))
            continue
        # What Path.as_uri() gives for an absolute POSIX path (a test holds them equal).
        yield PageRef(source=source.name, url="file://" + quote_from_bytes(os.fsencode(real_path)),
                      path=real_path, lastmod=datetime.fromtimestamp(mtime, UTC))


def parse_url_list(text: str) -> list[str]:
    """URLs of a list file: one a line, blank lines and `#` comments skipped."""
    urls = []
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            urls.append(line)
    return urls


def discover_urls(
    source: Source, client: HttpClient | None, max_bytes: int
) -> Iterator[PageRef | RawPage]:
    """The URLs listed in a text file (local, or remote with a policy)."""
    body, _, failure = _read_document(source, source.location, client, max_bytes)
    if failure:
        yield failure
        return
    text = body.decode("utf-8-sig", errors="replace") if body else ""
    first: dict[str, str] = {}  # canonical URL → the line that named it first
    for url in parse_url_list(text):
        if not _is_remote(url):
            yield failed_page(source.name, url, "bad_scheme", f"not an http(s) URL: {url}")
        elif _keep(source, url, None):
            duplicate = _duplicate(source, url, first)
            yield duplicate or PageRef(source=source.name, url=url)


# ---------------------------------------------------------------- feeds


def discover_feed(
    source: Source, client: HttpClient | None, max_bytes: int
) -> Iterator[PageRef | RawPage]:
    """Entries of a feed, or of the feeds a homepage links to."""
    body, base, failure = _read_document(source, source.location, client, max_bytes)
    if failure:
        yield failure
        return
    entries = parse_feed(body or b"", base)
    if entries is None:
        html = (body or b"").decode("utf-8", errors="replace")
        feeds = find_feed_links(html, base)
        if not feeds:
            yield failed_page(
                source.name,
                source.location,
                "not_found",
                "neither a feed nor a page that links to one",
            )
            return
        entries = []
        for feed_url in feeds:
            feed_body, feed_base, feed_failure = _read_document(source, feed_url, client, max_bytes)
            parsed = parse_feed(feed_body, feed_base) if feed_body else None
            if feed_failure or parsed is None:
                yield feed_failure or failed_page(source.name, feed_url, "not_found", "not a feed")
                continue
            entries.extend(parsed)
    yield from _refs(source, entries)


def _refs(source: Source,
          entries: list[tuple[str, datetime | None]]) -> Iterator[PageRef | RawPage]:
    """PageRefs for (url, date) entries: filtered, capped; a URL found again (by canonical URL)
    is a duplicate_url page instead."""
    first: dict[str, str] = {}
    limit = int(source.options.get("max_urls", 0)) or None
    for url, when in entries:
        if not _is_remote(url) or not _keep(source, url, when):
            continue
        duplicate = _duplicate(source, url, first)
        if duplicate:
            yield duplicate
            continue
        yield PageRef(source=source.name, url=url, lastmod=when)
        if limit and len(first) >= limit:
            return


def _duplicate(source: Source, url: str, first: dict[str, str]) -> RawPage | None:
    """A duplicate_url page when a URL canonicalizes like one found before (never fetched),
    else None, and the URL is remembered."""
    key = canonicalize(url)
    if key not in first:
        first[key] = url
        return None
    return failed_page(source.name, url, "duplicate_url",
                       f"same canonical URL {key} as {first[key]}, fetched once")


# ---------------------------------------------------------------- sitemaps


def discover_sitemap(
    source: Source, client: HttpClient | None, policy: FetchPolicy
) -> Iterator[PageRef | RawPage]:
    """Pages of a sitemap (or of the sitemaps a robots.txt lists), following indexes breadth-first."""
    queue = [(source.location, 0)]
    visited: set[str] = set()
    entries: list[tuple[str, datetime | None]] = []
    since = _since(source)
    while queue and len(visited) < MAX_SITEMAPS:
        location, depth = queue.pop(0)
        if location in visited:
            continue
        visited.add(location)
        body, base, failure = _read_document(source, location, client, policy.max_bytes)
        if failure:
            yield failure
            continue
        xml = gunzip(body or b"", policy.max_decompressed_bytes)
        parsed = parse_sitemap(xml, base) if xml is not None else None
        if parsed is None and xml is not None and location.endswith("/robots.txt"):
            parsed = [], [(url, None) for url in robots_sitemaps(xml, base)]
        if parsed is None:
            reason = "decompression_bomb" if xml is None else "not_found"
            yield failed_page(source.name, location, reason, "not a sitemap")
            continue
        pages, children = parsed
        entries.extend(pages)
        for child, when in children:
            if depth < MAX_SITEMAP_DEPTH and not (since and when and when < since):
                queue.append((child, depth + 1))
    yield from _refs(source, entries)


# ---------------------------------------------------------------- WARC


def _warc_page(source: Source, record, max_bytes: int) -> RawPage | None:
    """A RawPage for one WARC response record; None when it is not an HTML page."""
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    http = record.http_headers
    if http is None or not _is_remote(url):
        return None
    status = int(http.get_statuscode() or 0)
    ctype = http.get_header("Content-Type") or ""
    if ctype.split(";")[0].strip().lower() not in ("text/html", "application/xhtml+xml"):
        return None
    if 300 <= status < 400:
        return None
    when = utc_date(record.rec_headers.get_header("WARC-Date"))
    body = record.content_stream().read(max_bytes + 1)
    if status >= 400:
        reason = "not_found" if status in (404, 410) else "http_error"
        page = failed_page(source.name, url, reason, f"HTTP {status}", http_status=status)
    elif len(body) > max_bytes:
        page = failed_page(
            source.name,
            url,
            "too_large",
            f"body exceeds {max_bytes} bytes",
            http_status=status,
            content_type=ctype,
            n_bytes=max_bytes,
        )
    else:
        page = page_from_body(source.name, url, url, body, ctype, status, 1)
    return replace(page, fetched_at=when) if when else page


def discover_warc(source: Source, max_bytes: int) -> Iterator[RawPage]:
    """HTML responses of a WARC or WARC.gz file, read as a stream, bodies size-capped."""
    url = _location_url(source.location)
    try:
        fh = open(source.location, "rb")  # noqa: SIM115 - closed below; open errors become pages
    except OSError as exc:
        yield failed_page(source.name, url, "not_found", str(exc))
        return
    with fh:
        try:
            for record in ArchiveIterator(fh):
                if record.rec_type != "response":
                    continue
                page = _warc_page(source, record, max_bytes)
                if page is not None and _keep(source, page.url, page.fetched_at):
                    yield page
        except Exception as exc:  # noqa: BLE001 - a corrupt archive ends its own discovery only
            yield failed_page(
                source.name, url, "decode_error", f"corrupt WARC: {type(exc).__name__}: {exc}"
            )


# ---------------------------------------------------------------- entry point


def discover(
    source: Source, policy: FetchPolicy | None = None, client: HttpClient | None = None
) -> Iterator[PageRef | RawPage]:
    """Yield the pages of one source: PageRefs to fetch, or RawPages already read or failed."""
    policy = policy_for(source, policy or FetchPolicy())
    max_bytes = int(source.options.get("max_bytes", policy.max_bytes))
    own_client = client is None and source.kind in ("feed", "sitemap", "urls")
    client = client or (HttpClient(policy) if own_client else None)
    try:
        if source.kind == "html_dir":
            yield from discover_html_dir(source)
        elif source.kind == "urls":
            yield from discover_urls(source, client, max_bytes)
        elif source.kind == "feed":
            yield from discover_feed(source, client, max_bytes)
        elif source.kind == "sitemap":
            yield from discover_sitemap(source, client, replace(policy, max_bytes=max_bytes))
        elif source.kind == "warc":
            yield from discover_warc(source, max_bytes)
        else:
            yield failed_page(
                source.name, source.location, "bad_scheme", f"unknown kind {source.kind}"
            )
    finally:
        if own_client and client is not None:
            client.close()
