"""Which discovered entries become pages: the day's feed and sitemap entries, files changed since
they were read, every WARC record as it comes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from zoneinfo import ZoneInfo

from pipeline.models import RawPage

SEOUL = ZoneInfo("Asia/Seoul")
DATED_KINDS = ("feed", "sitemap")  # kinds whose entries carry a publication/lastmod date


def in_day(ref, kind: str, day: date | None) -> bool:
    """Whether a discovered entry belongs to the day being ingested (undated ones always do)."""
    if day is None or kind not in DATED_KINDS or ref.lastmod is None:
        return True
    local = ref.lastmod.astimezone(SEOUL).date() if ref.lastmod.tzinfo else ref.lastmod.date()
    return local == day


def fetch_stream(refs_and_failures: Iterable, policy, skip_urls: frozenset[str],
                 attempts: dict[str, int], max_attempts: int, counts: Counter[str], kind: str,
                 files_read: dict[str, float] | None = None) -> Iterator[RawPage]:
    """Split discovery output: pages already read (WARC) or failed pass through, refs get fetched.

    A saved file read OK before and not modified since (`files_read`: file URL → read time, epoch seconds) is
    skipped, so a re-run over an unchanged folder reads nothing.
    """
    from pipeline.stages.fetch import fetch_pages

    if kind == "warc":  # every record is already a page: stream them, hold none
        for page in refs_and_failures:
            counts["discovered"] += 1
            yield page
        return
    failures: list[RawPage] = []  # discovery failures: few, held until the fetcher is done

    def refs():
        for item in refs_and_failures:
            if isinstance(item, RawPage):
                failures.append(item)
                continue
            counts["discovered"] += 1
            read_at = files_read.get(item.url) if files_read and item.path else None
            if read_at and item.lastmod and item.lastmod.timestamp() <= read_at:
                counts["skipped"] += 1
                continue
            yield item

    def on_skip(*_args) -> None:
        counts["skipped"] += 1

    yield from fetch_pages(refs(), policy, skip_urls=skip_urls, attempts_so_far=attempts,
                           max_attempts=max_attempts, on_skip=on_skip)
    yield from failures
