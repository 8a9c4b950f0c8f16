"""Resolve Korean date expressions (12일, 지난해 11월, 올해 상반기, 다음 달 …) to a date range.

The range is (first day, last day). A bare day or month is read relative to the publication date;
for an event reported as past it never lands after the publication date (``past=True``): a day
later than the publication day means the previous month, a month later than the publication month
means the previous year. For a future event an earlier day or month means the next one.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

RELATIVE_YEAR = {"재작년": -2, "지난해": -1, "작년": -1, "전년": -1, "올해": 0, "금년": 0, "이번 해": 0,
                 "내년": 1, "이듬해": 1, "다음 해": 1, "내후년": 2}
RELATIVE_MONTH = {"지난달": -1, "전월": -1, "이달": 0, "이번달": 0, "금월": 0, "다음달": 1, "내달": 1,
                  "익월": 1}  # keys without spaces: "다음 달" is looked up as "다음달"
# Sub-periods of a year: (first month, last month).
YEAR_PARTS = {"상반기": (1, 6), "하반기": (7, 12), "1분기": (1, 3), "2분기": (4, 6), "3분기": (7, 9),
              "4분기": (10, 12), "연초": (1, 2), "연말": (11, 12), "초": (1, 3), "말": (10, 12),
              "중": (1, 12)}
# Sub-periods of a month: (first day, last day or 31 = month end).
MONTH_PARTS = {"초": (1, 10), "초순": (1, 10), "중순": (11, 20), "말": (21, 31), "하순": (21, 31),
               "중": (1, 31)}
_REL_YEAR = "|".join(sorted(RELATIVE_YEAR, key=len, reverse=True))
_REL_MONTH = "|".join(k[:-1] + r"\s?달" if k.endswith("달") else k
                      for k in sorted(RELATIVE_MONTH, key=len, reverse=True))
_YEAR_PART = "|".join(sorted(YEAR_PARTS, key=len, reverse=True))
_MONTH_PART = "|".join(sorted(MONTH_PARTS, key=len, reverse=True))
DATE_EXPR = re.compile(
    r"^(?P<ahead>오는\s?|지난\s?)?"
    rf"(?:(?P<year>(?:19|20)\d{{2}})년|(?P<ryear>{_REL_YEAR})|(?P<rmonth>{_REL_MONTH}))?\s?"
    r"(?:(?P<month>1[0-2]|0?[1-9])월)?\s?"
    r"(?:(?P<day>[12]\d|3[01]|0?[1-9])일)?\s?"
    rf"(?P<part>{_YEAR_PART}|{_MONTH_PART})?"
    r"(?:\s?(?:부로|부터|까지|께|경|쯤|중|에|부))*\s?$"
)
ISO_EXPR = re.compile(r"^((?:19|20)\d{2})[.\-/]\s?(1[0-2]|0?[1-9])(?:[.\-/]\s?([12]\d|3[01]|0?[1-9]))?\.?$")


def _month_end(year: int, month: int) -> int:
    """Last day of a month."""
    return calendar.monthrange(year, month)[1]


def _shift(year: int, month: int, delta: int) -> tuple[int, int]:
    """(year, month) moved by delta months."""
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


def _day_range(year: int, month: int, first: int, last: int) -> tuple[date, date] | None:
    """Days first..last of a month (last clipped to the month end)."""
    end = _month_end(year, month)
    if first > end:
        return None
    return date(year, month, first), date(year, month, min(last, end))


def _anchor_month(month: int, base: date, past: bool, ahead: str | None) -> int:
    """The year of a bare month: never after base for a past event, never before it for a future one."""
    if ahead and ahead.startswith("오는"):
        past = False
    if past and month > base.month:
        return base.year - 1
    if not past and month < base.month:
        return base.year + 1
    return base.year


def _anchor_day(day: int, base: date, past: bool, ahead: str | None) -> tuple[int, int]:
    """(year, month) of a bare day: the previous month when it would be after base for a past event."""
    if ahead and ahead.startswith("오는"):
        past = False
    if past and day > base.day:
        return _shift(base.year, base.month, -1)
    if not past and day < base.day:
        return _shift(base.year, base.month, 1)
    return base.year, base.month


def resolve_date(expression: str, published_at: datetime | date | None,
                 past: bool = True) -> tuple[date, date] | None:
    """(first, last) day of a date expression relative to published_at; None when unreadable."""
    text = " ".join(expression.split())
    iso = ISO_EXPR.match(text)
    if iso:
        year, month = int(iso.group(1)), int(iso.group(2))
        day = int(iso.group(3)) if iso.group(3) else None
        return _day_range(year, month, day or 1, day or 31)
    m = DATE_EXPR.match(text)
    if not m or not any(m.group(k) for k in ("year", "ryear", "rmonth", "month", "day", "part")):
        return None
    base = published_at.date() if isinstance(published_at, datetime) else published_at
    g = m.groupdict()
    if g["year"]:
        year = int(g["year"])
    elif base is None:
        return None
    elif g["ryear"]:
        year = base.year + RELATIVE_YEAR[g["ryear"]]
    else:
        year = base.year
    if g["rmonth"]:
        delta = RELATIVE_MONTH[g["rmonth"].replace(" ", "")]
        year, month = _shift(base.year, base.month, delta)
    elif g["month"]:
        month = int(g["month"])
        if not (g["year"] or g["ryear"]):
            year = _anchor_month(month, base, past, g["ahead"])
    elif g["day"] and not (g["year"] or g["ryear"]):
        year, month = _anchor_day(int(g["day"]), base, past, g["ahead"])
    else:
        month = None
    day = int(g["day"]) if g["day"] else None
    part = g["part"]
    if month is None:
        if day is not None:
            return None
        first, last = YEAR_PARTS.get(part, (1, 12)) if part else (1, 12)
        if part and not (g["year"] or g["ryear"]) and base is not None:
            year = _anchor_part(first, base, past)
        return date(year, first, 1), date(year, last, _month_end(year, last))
    if day is not None:
        return _day_range(year, month, day, day)
    first, last = MONTH_PARTS.get(part, (1, 31)) if part else (1, 31)
    return _day_range(year, month, first, last)


def _anchor_part(first_month: int, base: date, past: bool) -> int:
    """The year of a bare 상반기/하반기: last year's when a past event's part starts after base."""
    if past and first_month > base.month:
        return base.year - 1
    return base.year
