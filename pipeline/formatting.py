"""Tables as Korean readers and their tools expect them: blanks for missing values, 억/조 원,
integers without `.0`, columns aligned by display width (a Hangul syllable takes two cells)."""

from __future__ import annotations

import math
import unicodedata

import numpy as np
import pandas as pd

# Columns holding won amounts (reports and event listings name them so).
MONEY_COLUMNS = frozenset({"amount", "total_krw", "krw", "largest_krw", "total_amount",
                           "budget_krw", "amount_krw"})
JO, EOK, MAN = 10**12, 10**8, 10**4


def is_missing(value) -> bool:
    """None, NaN, NaT and pandas' NA: shown as a blank."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def won(amount) -> str:
    """An amount in won as Koreans write it: 1조 2,300억 원, 150억 원, 5,000만 원, 9,000 원."""
    if is_missing(amount):
        return ""
    value = float(amount)
    sign, value = ("-" if value < 0 else ""), abs(value)
    if value >= JO:
        jo, rest = divmod(round(value / EOK), JO // EOK)
        return f"{sign}{jo:,}조" + (f" {rest:,}억" if rest else "") + " 원"
    if value >= EOK:
        eok, rest = divmod(round(value / MAN), EOK // MAN)
        return f"{sign}{eok:,}억" + (f" {rest:,}만" if rest else "") + " 원"
    if value >= MAN:
        man, rest = divmod(round(value), MAN)
        return f"{sign}{man:,}만" + (f" {rest:,}" if rest else "") + " 원"
    return f"{sign}{round(value):,} 원"


def integral_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Float columns whose values are all whole numbers (counts with a gap) as nullable ints."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_float_dtype(series):
            present = series.dropna()
            if len(present) and (present == present.round()).all() and present.abs().max() < 2**53:
                out[column] = series.astype("Int64")
    return out


def cell(value, column: str = "", currency: str | None = None) -> str:
    """One value as text: blank when missing, 억/조 원 for KRW amounts, 1,234 for integers."""
    if is_missing(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if column in MONEY_COLUMNS and currency in (None, "KRW") and pd.api.types.is_number(value):
        return won(value)
    if pd.api.types.is_integer(value):
        return f"{int(value):,}"
    if pd.api.types.is_float(value):
        value = float(value)
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else \
            value.strftime("%Y-%m-%d")
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def display_width(text: str) -> int:
    """Terminal cells text takes: 2 for wide (Hangul, CJK) characters, 0 for combining ones."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def cells(frame: pd.DataFrame) -> list[list[str]]:
    """Every row of frame as display strings (see `cell`)."""
    frame = integral_columns(frame)
    currencies = frame["currency"].tolist() if "currency" in frame.columns else None
    return [[cell(v, c, currencies[i] if currencies else None) for c, v in zip(frame.columns, row)]
            for i, row in enumerate(frame.itertuples(index=False))]


def render_table(frame: pd.DataFrame, max_width: int = 60) -> str:
    """A plain-text table aligned by display width; numbers right-aligned, long cells cut."""
    if frame.empty:
        return "(no rows)"
    rows = cells(frame)
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
               for c in frame.columns]

    def cut(text: str) -> str:
        text = " ".join(text.split())
        if display_width(text) <= max_width:
            return text
        out, used = "", 0
        for ch in text:
            used += display_width(ch)
            if used > max_width - 1:
                break
            out += ch
        return out + "…"

    rows = [[cut(v) for v in row] for row in rows]
    header = [str(c) for c in frame.columns]
    widths = [max(display_width(h), *(display_width(r[i]) for r in rows))
              for i, h in enumerate(header)]
    lines = ["  ".join(_pad(h, w, num) for h, w, num in zip(header, widths, numeric)).rstrip()]
    lines += ["  ".join(_pad(v, w, num) for v, w, num in zip(row, widths, numeric)).rstrip()
              for row in rows]
    return "\n".join(lines)


def zoned_times_as_text(series: pd.Series) -> pd.Series:
    """Time-zone-aware times as pandas writes them to CSV (`2026-01-12 17:53:00+09:00`), made in
    whole columns: pandas formats such a column one value at a time (0.65 s for 29,000 rows of
    a report at 100,000 articles, 0.2 s this way). Missing times stay missing."""
    local = series.dt.tz_localize(None)
    minutes = (local - series.dt.tz_convert("UTC").dt.tz_localize(None)) // pd.Timedelta(minutes=1)
    minutes = minutes.fillna(0).astype("int64")
    sign = pd.Series(np.where(minutes < 0, "-", "+"), index=series.index)
    hours, rest = (minutes.abs() // 60).astype(str), (minutes.abs() % 60).astype(str)
    text = local.astype(str) + sign + hours.str.zfill(2) + ":" + rest.str.zfill(2)
    return text.where(series.notna(), None)


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame for CSV: integers without `.0`; missing values stay empty cells."""
    out = integral_columns(frame)
    for column in out.columns:
        if isinstance(out[column].dtype, pd.DatetimeTZDtype):
            out[column] = zoned_times_as_text(out[column])
    return out
