"""One page per page id over a whole run: which of two reads of one page is kept.

Saved copies of one article, a URL listed twice and WARC revisits give one page id several
reads; the kept one is the read that went OK, then the most recently modified file, or the
latest fetch. Every other read becomes a `duplicate_url` reject that says where the user finds it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from pipeline.models import RawPage, Reject

DUPLICATE_URL = "duplicate_url"
_OLDEST = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class HeldPage:
    """What decides between two pages with one page id, and where the user finds each."""

    page_id: str
    source: str
    url: str
    final_url: str | None
    ok: bool
    fetched_at: datetime


def held(page: RawPage) -> HeldPage:
    """The deciding fields of a page just read."""
    return HeldPage(page.page_id, page.source, page.url, page.final_url, page.ok, page.fetched_at)


def is_file(url: str | None) -> bool:
    """Whether a URL names a saved file."""
    return bool(url) and url.startswith("file:")


def where_found(page: RawPage | HeldPage) -> str:
    """The saved file of a file page (its `url` is the URL it declares), else the URL."""
    return page.final_url if is_file(page.final_url) else page.url


def pair_key(page_id: str, url: str) -> str:
    """The key of a duplicate_url reject: a URL (or file) found again for a page id."""
    return f"{page_id} {url}"


def _file_mtime(url: str) -> datetime:
    try:
        return datetime.fromtimestamp(Path(url2pathname(urlsplit(url).path)).stat().st_mtime, UTC)
    except OSError:  # gone since: the oldest
        return _OLDEST


def rank(page: HeldPage) -> tuple[bool, datetime]:
    """Of two pages with one id the higher rank is kept: one read OK, then the most recently
    modified file, or the latest fetch (a WARC record's date)."""
    when = _file_mtime(page.final_url) if is_file(page.final_url) else page.fetched_at
    return page.ok, when if when.tzinfo else when.replace(tzinfo=UTC)


def _reason(kept: HeldPage, lost: HeldPage) -> str:
    return (f"same page as {where_found(kept)}, kept as "
            + ("the one read OK" if kept.ok != lost.ok else
               "the most recently modified file" if is_file(kept.final_url) else
               "the latest fetch"))


class OnePagePerKey:
    """One `pages` row per page id over a whole run, however often a batch or a later batch
    repeats the id. `stored` returns the stored rows (HeldPage fields) of some page ids."""

    def __init__(self, stored: Callable[[list[str]], Sequence[tuple]]) -> None:
        self.stored = stored
        self.written: set[str] = set()  # page ids written by this run

    def split(self, batch: list[RawPage]) -> tuple[list[RawPage], list[Reject]]:
        """The pages to write, and a duplicate_url reject for every other page or URL."""
        keep: dict[str, RawPage] = {}
        losers: list[tuple[HeldPage, HeldPage]] = []  # (not kept, kept)
        rejects: list[Reject] = []
        for page in batch:
            if page.reason == DUPLICATE_URL:  # discovery found the URL twice
                rejects.append(Reject(page.page_id, page.source, page.url, "fetch",
                                      DUPLICATE_URL, page.detail or ""))
                continue
            other = keep.get(page.page_id)
            if other is not None and rank(held(page)) < rank(held(other)):
                losers.append((held(page), held(other)))
                continue
            if other is not None:
                losers.append((held(other), held(page)))
            keep[page.page_id] = page
        for old in (HeldPage(*row) for row in self.stored(list(keep))):
            new = held(keep[old.page_id])
            rivals = old.page_id in self.written or (
                old.ok and is_file(old.final_url) and is_file(new.final_url)
                and old.final_url != new.final_url)  # another saved copy, read by an earlier run
            if not rivals:
                continue  # the same page again: the new read replaces it
            if rank(new) < rank(old):
                losers.append((new, old))
                del keep[old.page_id]
            else:
                losers.append((old, new))
        self.written.update(keep)
        rejects += [Reject(lost.page_id, lost.source, where_found(lost), "fetch", DUPLICATE_URL,
                           _reason(kept, lost)) for lost, kept in losers]
        return list(keep.values()), unique_rejects(rejects)


def unique_rejects(rejects: list[Reject]) -> list[Reject]:
    """One duplicate_url reject per page id and URL (a URL found three times is one row)."""
    found: dict[str, Reject] = {}
    for reject in rejects:
        found.setdefault(pair_key(reject.page_id, reject.url), reject)
    return list(found.values())
