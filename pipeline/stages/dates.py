"""Parse Korean and English date strings into tz-aware datetimes and pick published/updated.

One pattern table reads the numeric, year-first forms Korean pages use (2026.01.12 오후 5:53,
2026년 1월 12일 17시 53분, ISO 8601); dateutil (htmldate's own full-timestamp parser) reads
the forms that name the month (Jan 12, 2026 5:53 PM KST; RFC 822).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone

from dateutil import parser as dateutil_parser

SEOUL = timezone(timedelta(hours=9), "KST")  # Korea has no daylight saving time

ZONES = {"kst": SEOUL, "utc": UTC, "gmt": UTC, "z": UTC}
DATEUTIL_ZONES = {"KST": SEOUL, "UTC": UTC, "GMT": UTC}
# A month named in words and a four-digit year: the only other strings handed to dateutil.
MONTH_WORD = re.compile(r"[A-Za-z]{3}")
YEAR = re.compile(r"\d{4}")
WORD_START = re.compile(r"(?<=\s)\S")
MAX_DATE_STARTS = 12
# Two defaults that differ in year, month and day: a date parsed alike under both names all three.
PROBE_DEFAULTS = (datetime(1904, 1, 1), datetime(1908, 2, 2))

TIME = (
    r"(?:\s*(?:T|,|at)?\s*(?P<ampm1>오전|오후|AM|PM|am|pm|a\.m\.|p\.m\.)?\s*"
    r"(?P<hour>\d{1,2})\s*[:시]\s*(?P<minute>\d{2})(?:\s*[:분]\s*(?P<second>\d{2})(?:\.\d+)?)?\s*초?"
    r"\s*(?P<ampm2>AM|PM|am|pm|a\.m\.|p\.m\.)?)?"
    r"\s*(?P<zone>Z|[+-]\d{2}:?\d{2}|KST|UTC|GMT)?"
)
# 2026-01-12 17:53, 2026.01.12 오후 5:53, 2026년 1월 12일, 2026-01-12T08:53:00Z
NUMERIC = re.compile(
    r"(?P<year>\d{4})\s*[.\-/년]\s*(?P<month>\d{1,2})\s*[.\-/월]\s*(?P<day>\d{1,2})\s*일?\.?"
    r"(?:\s*\(?[월화수목금토일]\)?)?" + TIME
)
PUBLISHED_LABELS = (
    "입력", "기사입력", "최초입력", "등록", "게재", "발행", "송고", "승인", "published", "posted",
    # board views: 작성일, 게시일, 배포일 and a bare 날짜/일자 column
    "작성", "게시", "배포", "날짜", "일자",
)
UPDATED_LABELS = ("수정", "최종수정", "업데이트", "updated", "modified")
# Source order for each date: visible labels first, then metadata, then trafilatura's guess.
PUBLISHED_ORDER = ("label", "meta_published", "ld_published", "time", "trafilatura")
UPDATED_ORDER = ("label", "meta_updated", "ld_updated")


def zone_of(text: str | None) -> timezone | None:
    """A timezone from 'Z', '+09:00', '+0900' or a zone abbreviation; None when absent."""
    if not text:
        return None
    if text.lower() in ZONES:
        return ZONES[text.lower()]
    sign = 1 if text[0] == "+" else -1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))


def hour24(hour: int, ampm: str | None) -> int:
    """Convert a 12-hour clock reading with 오전/오후/AM/PM to 24-hour."""
    if not ampm:
        return hour
    pm = ampm.lower().replace(".", "") in ("오후", "pm")
    return hour % 12 + (12 if pm else 0)


def build(m: re.Match, default_tz: timezone) -> datetime | None:
    """A datetime from a match of the numeric pattern; None when out of range."""
    g = m.groupdict()
    hour = hour24(int(g["hour"] or 0), g["ampm1"] or g["ampm2"])
    try:
        return datetime(
            int(g["year"]), int(g["month"]), int(g["day"]), hour, int(g["minute"] or 0), int(g["second"] or 0),
            tzinfo=zone_of(g["zone"]) or default_tz,
        )
    except ValueError:
        return None


def _dateutil_full(text: str, default_tz: timezone) -> datetime | None:
    """text read whole by dateutil; None unless it gives year, month and day."""
    try:
        parsed = [dateutil_parser.parse(text, default=d, tzinfos=DATEUTIL_ZONES)
                  for d in PROBE_DEFAULTS]
    except (ValueError, OverflowError):
        return None
    if parsed[0].date() != parsed[1].date():
        return None
    return parsed[0] if parsed[0].tzinfo else parsed[0].replace(tzinfo=default_tz)


def _month_named(text: str, default_tz: timezone) -> datetime | None:
    """A date that names its month in words, read from the first word where one starts.

    Not dateutil's fuzzy mode: it builds dates out of stray numbers ("Vol 12 No 3, March 2024").
    """
    for start in [0, *(m.start() for m in WORD_START.finditer(text, 1))][:MAX_DATE_STARTS]:
        parsed = _dateutil_full(text[start:], default_tz)
        if parsed:
            return parsed
    return None


def parse_date(text: str | None, default_tz: timezone = SEOUL) -> datetime | None:
    """Parse one date string; Asia/Seoul when it names no zone; None when unparseable."""
    if not text:
        return None
    text = text.strip()
    m = NUMERIC.search(text)
    if m:
        return build(m, default_tz)
    if MONTH_WORD.search(text) and YEAR.search(text):
        return _month_named(text, default_tz)
    return None


def label_kind(label: str) -> str | None:
    """'published' or 'updated' for a visible date label, None for other hint kinds."""
    key = re.sub(r"\s+", "", label).lower()
    if key in UPDATED_LABELS:
        return "updated"
    if key in PUBLISHED_LABELS:
        return "published"
    return None


def ranked(candidates: Iterable[tuple[str, str]], kind: str, order: tuple[str, ...]) -> list[str]:
    """Date strings of one kind, ordered by how much their source is trusted."""
    buckets: dict[str, list[str]] = {k: [] for k in order}
    for label, value in candidates:
        lk = label_kind(label)
        source = "label" if lk else label
        if lk and lk != kind:
            continue
        if source in buckets:
            buckets[source].append(value)
    return [v for k in order for v in buckets[k]]


def first_valid(values: Iterable[str], now: datetime | None) -> datetime | None:
    """The first parseable value that is not in the future of now."""
    for value in values:
        parsed = parse_date(value)
        if parsed and (now is None or parsed <= now):
            return parsed
    return None


def choose_dates(
    candidates: Iterable[tuple[str, str]], now: datetime | None = None
) -> tuple[datetime | None, datetime | None]:
    """(published_at, updated_at) from (label, date string) candidates."""
    if now is not None and now.tzinfo is None:
        now = now.replace(tzinfo=SEOUL)
    items = list(candidates)
    published = first_valid(ranked(items, "published", PUBLISHED_ORDER), now)
    updated = first_valid(ranked(items, "updated", UPDATED_ORDER), now)
    if updated and published and (updated <= published):
        updated = None  # an "update" at or before publication is the publication stamp again
    return published, updated
