"""MONEY and DATE expressions: patterns, amount parsing and date resolution."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING

from .text import PARTICLES, Candidate

if TYPE_CHECKING:
    from .context import RuleContext

KO_BIG_UNITS = {"조": 1e12, "억": 1e8, "만": 1e4}
KO_SMALL_UNITS = {"천": 1e3, "백": 1e2, "십": 1e1}
CURRENCIES = {
    "원": "KRW",
    "달러": "USD",
    "유로": "EUR",
    "엔": "JPY",
    "위안": "CNY",
    "파운드": "GBP",
    "$": "USD",
    "US$": "USD",
    "USD": "USD",
    "€": "EUR",
    "EUR": "EUR",
    "₩": "KRW",
    "KRW": "KRW",
    "£": "GBP",
    "¥": "JPY",
    "dollars": "USD",
    "won": "KRW",
    "euros": "EUR",
}
EN_SCALES = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "k": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "bn": 1e9,
    "b": 1e9,
    "tn": 1e12,
}

NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# The scanning patterns below open with a lookahead for the characters a match can start with:
# the other positions then fail on one character test instead of trying every alternative.
KO_GROUP = rf"(?:{NUM})(?:\s?[천백십])?(?:\s?[조억만])?"
KO_AMOUNT = rf"{KO_GROUP}(?:\s?{KO_GROUP})*"
MONEY_KO = re.compile(rf"(?=\d)(?<![\d.,])({KO_AMOUNT})\s?(원|달러|유로|엔|위안|파운드)(?![가-힣]?화)")
MONEY_EN = re.compile(
    r"(?=[\d$€£₩¥UEK])"
    rf"(?:(US\$|\$|€|£|₩|¥)\s?({NUM})(?:\s?(thousand|million|billion|trillion|bn|mn|tn|[kmb])\b)?"
    rf"|\b(USD|EUR|KRW)\s?({NUM})(?:\s?(thousand|million|billion|trillion|bn|mn|tn)\b)?"
    rf"|\b({NUM})\s?(thousand|million|billion|trillion)?\s?(dollars|won|euros)\b)",
    re.IGNORECASE,
)
KO_PART = re.compile(rf"({NUM})\s?([천백십])?\s?([조억만])?")
# Korean "원" also ends ordinary words (연구원, 위원): refuse an amount glued to a noun after it.
WON_FALSE_FOLLOW = re.compile(r"[가-힣]")

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9
EN_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
RELATIVE_YEARS = {
    "올해": 0,
    "금년": 0,
    "지난해": -1,
    "작년": -1,
    "전년": -1,
    "내년": 1,
    "이듬해": 1,
    "재작년": -2,
    "내후년": 2,
}
PERIODS = r"상반기|하반기|1분기|2분기|3분기|4분기|연초|연말|초|말|중"
DATE_KO = re.compile(
    r"(?=[\d재지올내작금이다상하연])(?:(?<![\d.])(?:"
    rf"(?P<ry>재작년|지난해|올해|내년|작년|금년|내후년)(?:\s?(?P<rm>1[0-2]|[1-9])월(?:\s?(?P<rd>[12]\d|3[01]|[1-9])일)?|\s?(?P<rp>{PERIODS}))?"
    r"|(?P<y>(?:19|20)\d{2})년(?:\s?(?P<m>1[0-2]|0?[1-9])월(?:\s?(?P<d>[12]\d|3[01]|0?[1-9])일|\s?(?:초|말|중순|하순|초순|상순))?|\s?(?P<yp>상반기|하반기|[1-4]분기|초|말))?"
    r"|(?P<m2>1[0-2]|[1-9])월(?:\s?(?P<d2>[12]\d|3[01]|[1-9])일|\s?(?:초|말|중순|하순|초순|상순))?"
    r"|(?P<rel>지난달|이달|다음\s?달|내달)(?:\s?(?P<reld>[12]\d|3[01]|[1-9])일)?"
    r"|(?P<half>상반기|하반기|연말|연초)"
    r"|(?P<d3>[12]\d|3[01]|[1-9])일"
    r"|(?P<iy>(?:19|20)\d{2})[.-]\s?(?P<im>1[0-2]|0?[1-9])[.-]\s?(?P<id>[12]\d|3[01]|0?[1-9])\.?"
    r")(?!\d)|(?P<ry2>지난해|올해|내년|작년)(?=[은는도의에\s,]))"
)
# "30일 이내", "3일간" are durations, not dates.
DURATION_AFTER = re.compile(r"^(?:간|동안|\s?(?:동안|이내|만에|째|가량|정도|내|이상|이하|분))")
DATE_EN = re.compile(
    r"(?=[\dJFMASOND])"
    rf"\b(?:(?P<mon>{EN_MONTH})\s(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?:,?\s(?P<year>(?:19|20)\d{{2}}))?"
    rf"|(?P<day2>[12]\d|3[01]|0?[1-9])\s(?P<mon2>{EN_MONTH})(?:,?\s(?P<year2>(?:19|20)\d{{2}}))?"
    rf"|(?P<mon3>{EN_MONTH})\s(?P<year3>(?:19|20)\d{{2}})"
    r"|(?P<iso>(?:19|20)\d{2}-[01]\d-[0-3]\d))\b"
)
EN_YEAR = re.compile(r"\b(?:in|since|by|until|of|from|through)\s((?:19|20)\d{2})\b")
EN_RELATIVE = re.compile(
    r"(?=[emlfstnJFMASOND])"
    rf"\b(?:(?:(?:early|mid|late)\s|end\sof\s)?(?P<mon>{EN_MONTH[3:-4]})(?![a-z])(?:\s(?P<year>(?:19|20)\d{{2}}))?"
    r"|(?:(?:first|second)\shalf\sof\s)(?P<hy>(?:19|20)\d{2})"
    r"|(?P<rel>this|next|last)\s(?P<unit>year|month)"
    r"|(?:early|mid|late)\s(?:19|20)\d0s)\b"
)


def _num(text: str) -> float:
    """A number with thousands separators."""
    return float(text.replace(",", ""))


def _korean_amount(text: str) -> float | None:
    """Value of an amount such as '3조 5천억' or '1억5000만'."""
    total = 0.0
    group = 0.0  # the part before the next 조/억/만: '1천200' in '1천200만'
    found = False
    for m in KO_PART.finditer(text):
        group += _num(m.group(1)) * KO_SMALL_UNITS.get(m.group(2) or "", 1.0)
        found = True
        if m.group(3):
            total += group * KO_BIG_UNITS[m.group(3)]
            group = 0.0
    return total + group if found else None


def parse_money(surface: str) -> tuple[float, str] | None:
    """Amount and ISO currency of a money expression, e.g. '120억 원' -> (1.2e10, 'KRW')."""
    text = " ".join(surface.split())
    m = MONEY_KO.fullmatch(text)
    if m:
        value = _korean_amount(m.group(1))
        return (value, CURRENCIES[m.group(2)]) if value is not None else None
    m = MONEY_EN.fullmatch(text)
    if m is None:
        return None
    if m.group(1):
        cur, num, scale = m.group(1), m.group(2), m.group(3)
    elif m.group(4):
        cur, num, scale = m.group(4), m.group(5), m.group(6)
    else:
        num, scale, cur = m.group(7), m.group(8), m.group(9)
    factor = EN_SCALES.get((scale or "").lower(), 1.0)
    return _num(num) * factor, CURRENCIES.get(cur, CURRENCIES.get(cur.upper(), cur.lower()))


def money_candidates(text: str) -> list[Candidate]:
    """MONEY mentions: Korean amounts with 원/달러/..., and $/USD/million forms."""
    out: list[Candidate] = []
    for pattern in (MONEY_KO, MONEY_EN):
        for m in pattern.finditer(text):
            start, end = m.span()
            while end > start and text[end - 1] == " ":
                end -= 1
            surface = text[start:end]
            # "3 연구원" is not money; "120억원을", "2억 원까지" are (a particle follows).
            if (
                pattern is MONEY_KO
                and m.group(2) == "원"
                and WON_FALSE_FOLLOW.match(text[end : end + 1])
                and not any(text.startswith(p, end) for p in PARTICLES)
            ):
                continue
            parsed = parse_money(surface)
            if parsed is None:
                continue
            out.append(
                Candidate(start, end, "MONEY", surface, priority=3, value=parsed[0], unit=parsed[1])
            )
    return out


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    """(year, month) moved by delta months."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _iso(year: int | None, month: int | None = None, day: int | None = None) -> str | None:
    """ISO date, year-month or year, or None when not a valid date."""
    if year is None:
        return None
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _resolve_ko(m: re.Match, text: str, published: datetime | None) -> str | None:
    """ISO value of a Korean date match, resolved against the publication date."""
    g = m.groupdict()
    base = published
    if g["iy"]:
        return _iso(int(g["iy"]), int(g["im"]), int(g["id"]))
    if g["y"]:
        if g["yp"]:
            return _iso(int(g["y"]))
        return _iso(int(g["y"]), int(g["m"]) if g["m"] else None, int(g["d"]) if g["d"] else None)
    if base is None:
        return None
    rel = g["ry"] or g["ry2"]
    if rel:
        year = base.year + RELATIVE_YEARS[rel]
        if g["rm"]:
            return _iso(year, int(g["rm"]), int(g["rd"]) if g["rd"] else None)
        return _iso(year)
    if g["rel"]:
        delta = {"지난달": -1, "이달": 0}.get(g["rel"], 1)
        year, month = _shift_month(base.year, base.month, delta)
        return _iso(year, month, int(g["reld"]) if g["reld"] else None)
    if g["half"]:
        return _iso(base.year)
    if g["m2"]:
        month = int(g["m2"])
        year = base.year
        # A month far ahead of publication without a year is usually last year's (12월 in January).
        if month - base.month > 6:
            year -= 1
        elif base.month - month > 6 and "오는" in text[max(0, m.start() - 4) : m.start()]:
            year += 1
        return _iso(year, month, int(g["d2"]) if g["d2"] else None)
    if g["d3"]:
        day = int(g["d3"])
        year, month = base.year, base.month
        before = text[max(0, m.start() - 4) : m.start()]
        if day > base.day and "오는" not in before:
            year, month = _shift_month(year, month, -1)
        elif day < base.day and "오는" in before:
            year, month = _shift_month(year, month, 1)
        return _iso(year, month, day)
    return None


def _resolve_en(m: re.Match, published: datetime | None) -> str | None:
    """ISO value of an English date match."""
    g = m.groupdict()
    if g["iso"]:
        return g["iso"]
    mon = g["mon"] or g["mon2"] or g["mon3"]
    month = MONTHS.get(
        mon.rstrip(".").lower()[:4]
        if mon.lower().startswith("sept")
        else mon.rstrip(".").lower()[:3]
    )
    day = g["day"] or g["day2"]
    year = g["year"] or g["year2"] or g["year3"]
    if year is None and published is not None:
        year = published.year
    return _iso(int(year) if year else None, month, int(day) if day else None)


def _resolve_relative(m: re.Match, published: datetime | None) -> str | None:
    """ISO value of 'January', 'first half of 2028', 'next year' against the publication date."""
    g = m.groupdict()
    if g["hy"]:
        return g["hy"]
    if g["year"] and g["mon"]:
        return _iso(int(g["year"]), MONTHS.get(g["mon"].rstrip(".").lower()[:3]))
    if published is None:
        return None
    if g["rel"]:
        delta = {"this": 0, "next": 1, "last": -1}[g["rel"]]
        if g["unit"] == "year":
            return _iso(published.year + delta)
        year, month = _shift_month(published.year, published.month, delta)
        return _iso(year, month)
    if g["mon"]:
        month = MONTHS.get(g["mon"].rstrip(".").lower()[:3])
        year = published.year - (1 if month and month - published.month > 6 else 0)
        return _iso(year, month)
    return None


def date_candidates(text: str, published: datetime | None) -> list[Candidate]:
    """DATE mentions with Mention.unit set to the ISO date when resolvable."""
    out: list[Candidate] = []
    for m in DATE_KO.finditer(text):
        start, end = m.span()
        surface = text[start:end]
        if m.group("d3") and DURATION_AFTER.match(text[end : end + 4]):
            continue
        out.append(
            Candidate(start, end, "DATE", surface, priority=3, unit=_resolve_ko(m, text, published))
        )
    for m in DATE_EN.finditer(text):
        out.append(
            Candidate(
                m.start(), m.end(), "DATE", m.group(0), priority=3, unit=_resolve_en(m, published)
            )
        )
    for m in EN_RELATIVE.finditer(text):
        if not m.group(0)[:1].isupper() and m.group("mon") and m.group(0) == m.group("mon"):
            continue
        start = m.start()
        out.append(
            Candidate(
                start, m.end(), "DATE", m.group(0), priority=2, unit=_resolve_relative(m, published)
            )
        )
    for m in EN_YEAR.finditer(text):
        out.append(Candidate(m.start(1), m.end(1), "DATE", m.group(1), priority=3, unit=m.group(1)))
    return out


def find_money(ctx: RuleContext) -> list[Candidate]:
    """Rule: amounts of money (3억 원, $2 million)."""
    return money_candidates(ctx.text)


def find_dates(ctx: RuleContext) -> list[Candidate]:
    """Rule: dates, resolved against the publication date."""
    return date_candidates(ctx.text, ctx.published)
