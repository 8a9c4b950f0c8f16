"""A self-contained HTML report with inline SVG charts: opens offline, no script, no CDN.

The charts are drawn by matplotlib (its SVG backend, text kept as text so Hangul shows in the
reader's fonts) and embedded inline; hover titles are added to the groups matplotlib names
after each artist's gid.
"""

from __future__ import annotations

import html
import io
import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd
from matplotlib import rc_context
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from pipeline.formatting import cells
from pipeline.warehouse import run_report
from pipeline.warehouse.sqlfiles import run_load

SEOUL = ZoneInfo("Asia/Seoul")

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf")
FONTS = ["Noto Sans CJK KR", "Malgun Gothic", "DejaVu Sans"]
PX = 1 / 72  # matplotlib's SVG user unit is the point: a figure inch is 72 units
# Same data, same bytes: fixed ids (hash salt), no creation date, text as <text> elements.
SVG_RC = {"svg.hashsalt": "axnews", "svg.fonttype": "none", "font.family": "sans-serif",
          "font.sans-serif": FONTS, "font.size": 11, "axes.spines.top": False,
          "axes.spines.right": False}
SVG_START = re.compile(r"<svg\b")
# matplotlib sizes the SVG in points; in pixels it shows at the size the layout was made for.
SVG_SIZE_PT = re.compile(r'\b(width|height)="([\d.]+)pt"')


def _e(value) -> str:
    return html.escape(str(value))


@contextmanager
def _quiet() -> Iterator[None]:
    """Matplotlib settings for our SVGs, without its complaints about fonts this machine lacks
    (the layout falls back to another font's metrics; the reader's browser draws the text)."""
    font_log = logging.getLogger("matplotlib.font_manager")
    level = font_log.level
    font_log.setLevel(logging.ERROR)
    try:
        with rc_context(SVG_RC), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Glyph .* missing from")
            yield
    finally:
        font_log.setLevel(level)


def _svg(fig: Figure, titles: dict[str, str] | None = None) -> str:
    """The figure as an inline <svg> element, each titled gid's group given its hover <title>."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[SVG_START.search(text).start():]
    text = SVG_SIZE_PT.sub(r'\1="\2"', text, count=2)
    for gid, title in (titles or {}).items():
        text = text.replace(f'<g id="{gid}">', f'<g id="{gid}"><title>{_e(title)}</title>', 1)
    return text


def _figure(width: float, height: float) -> Figure:
    """A figure of width × height pixels (SVG points)."""
    return Figure(figsize=(width * PX, height * PX))


def line_chart(trend: pd.DataFrame, top: int = 5, width: int = 760, height: int = 280) -> str:
    """Weekly mentions of the most mentioned entities, one line each."""
    if trend.empty:
        return "<p>아직 날짜가 있는 언급이 없습니다.</p>"
    totals = trend.groupby("entity")["mentions"].sum().sort_values(ascending=False)
    names = list(totals.index[:top])
    weeks = sorted(trend["week"].unique())
    with _quiet():
        fig = _figure(width, height)
        ax = fig.add_axes((0.06, 0.14, 0.72, 0.82))
        for n, name in enumerate(names):
            series = trend[trend["entity"] == name].set_index("week")["mentions"]
            values = [float(series.get(w, 0)) for w in weeks]
            ax.plot(range(len(weeks)), values, color=PALETTE[n % len(PALETTE)], linewidth=2,
                    label=str(name), gid=f"trend-{n}")
        step = 1 if len(weeks) <= 12 else max(1, len(weeks) // 8)
        ticks = list(range(0, len(weeks), step))
        ax.set_xticks(ticks, [str(weeks[i])[:10] for i in ticks])
        ax.set_ylim(bottom=0)
        legend = ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
        for text, line in zip(legend.get_texts(), legend.get_lines()):
            text.set_color(line.get_color())  # each name in its line's colour
        return _svg(fig, {f"trend-{n}": f"{name}: {int(totals[name])}"
                          for n, name in enumerate(names)})


def _shade(value: float, peak: float) -> str:
    """White for nothing, deeper blue for more: rgb(s, s, 255) with s from 255 down to 55."""
    level = int(255 - 200 * value / peak)
    return f"#{level:02x}{level:02x}ff"


def heatmap(pairs: pd.DataFrame, row: str, col: str, value: str, max_rows: int = 12,
            max_cols: int = 8) -> str:
    """A heatmap of value by row × col (e.g. organization × technology)."""
    if pairs.empty:
        return "<p>아직 함께 나온 쌍이 없습니다.</p>"
    rows = list(pairs.groupby(row)[value].sum().sort_values(ascending=False).index[:max_rows])
    cols = list(pairs.groupby(col)[value].sum().sort_values(ascending=False).index[:max_cols])
    grid = pairs.set_index([row, col])[value].to_dict()
    peak = max(1, max(grid.get((r, c), 0) for r in rows for c in cols))
    cell, label_w, head_h = 44, 190, 90
    width, height = label_w + cell * len(cols) + 10, head_h + cell * len(rows) + 10
    titles = {}
    with _quiet():
        fig = _figure(width, height)
        ax = fig.add_axes((label_w / width, 10 / height, cell * len(cols) / width,
                           cell * len(rows) / height))
        for i, r in enumerate(rows):
            for j, c in enumerate(cols):
                v = grid.get((r, c), 0)
                gid = f"cell-{i}-{j}"
                ax.add_patch(Rectangle((j, i), 0.95, 0.95, facecolor=_shade(v, peak), gid=gid))
                titles[gid] = f"{r} × {c}: {v}"
                if v:
                    ax.text(j + 0.47, i + 0.5, str(v), ha="center", va="center")
        ax.set_xlim(0, len(cols))
        ax.set_ylim(len(rows), 0)
        ax.set_xticks([j + 0.47 for j in range(len(cols))], [str(c) for c in cols],
                      rotation=40, ha="left")
        ax.set_yticks([i + 0.47 for i in range(len(rows))], [str(r) for r in rows])
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        return _svg(fig, titles)


def bar_chart(totals: pd.Series, width: int = 760, bar_h: int = 22) -> str:
    """Horizontal bars, largest first."""
    if totals.empty:
        return "<p>아직 데이터가 없습니다.</p>"
    totals = totals.sort_values(ascending=False).head(17)
    height = bar_h * len(totals) + 10
    with _quiet():
        fig = _figure(width, height)
        ax = fig.add_axes((150 / width, 5 / height, (width - 210) / width, 1 - 10 / height))
        for i, (name, v) in enumerate(totals.items()):
            ax.barh(i, float(v), height=0.75, color=PALETTE[0], gid=f"bar-{i}")
            ax.text(float(v), i, f" {int(v)}", va="center")
        ax.set_yticks(range(len(totals)), [str(n) for n in totals.index])
        ax.set_ylim(len(totals) - 0.5, -0.5)
        ax.set_xlim(0, float(totals.max()) or 1)
        ax.xaxis.set_visible(False)
        ax.spines["bottom"].set_visible(False)
        ax.tick_params(length=0)
        return _svg(fig, {f"bar-{i}": f"{name}: {int(v)}"
                          for i, (name, v) in enumerate(totals.items())})


def table(frame: pd.DataFrame, limit: int = 15, headings: dict[str, str] | None = None) -> str:
    """An HTML table: blanks for missing values, 억 원 amounts, a link for each article URL."""
    if frame.empty:
        return "<p>아직 행이 없습니다.</p>"
    frame = frame.head(limit)
    headings = headings or {}
    columns = list(frame.columns)
    head = "".join(f"<th>{_e(headings.get(c, c))}</th>" for c in columns if c != "url")
    rows = []
    for values, raw in zip(cells(frame), frame.itertuples(index=False)):
        record = dict(zip(columns, values))
        url = getattr(raw, "url", None) if "url" in columns else None
        tds = []
        for c in columns:
            if c == "url":
                continue
            text = _e(record[c])
            if url and c in ("article", "article_title", "title", "latest_quote"):
                text = f"<a href='{_e(url)}'>{text}</a>"
            tds.append(f"<td>{text}</td>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def province_totals(region_tech: pd.DataFrame, provinces: set[str]) -> pd.Series:
    """Articles per province from the region × technology report (provinces only)."""
    if region_tech.empty:
        return pd.Series(dtype=float)
    mask = region_tech["region"].isin(provinces)
    return region_tech[mask].groupby("region")["articles"].sum()


PROVINCES = {
    "서울특별시", "부산광역시", "대구광역시", "인천광역시", "광주광역시", "대전광역시", "울산광역시",
    "세종특별자치시", "경기도", "강원특별자치도", "충청북도", "충청남도", "전북특별자치도", "전라남도",
    "경상북도", "경상남도", "제주특별자치도",
}


EVENT_COLORS = {"DESIGNATION": "#d62728", "SELECTION": "#1f77b4", "FUNDING": "#2ca02c",
                "AGREEMENT": "#9467bd", "LAUNCH": "#ff7f0e", "CALL": "#8c564b",
                "INVESTMENT": "#17becf", "LAW": "#7f7f7f", "PLAN": "#bcbd22"}


def events_timeline(events: pd.DataFrame, width: int = 900, row_h: int = 22) -> str:
    """Events as dots on a time axis, one row per event type; each dot titled with its event."""
    events = events.dropna(subset=["date"])
    if events.empty:
        return "<p>아직 날짜가 있는 사건이 없습니다.</p>"
    dates = pd.to_datetime(events["date"])
    types = [t for t in EVENT_COLORS if t in set(events["type"])]
    height = row_h * len(types) + 40
    titles = {}
    with _quiet():
        fig = _figure(width, height)
        ax = fig.add_axes((110 / width, 30 / height, 1 - 180 / width, 1 - 40 / height))
        for n, ((_, row), d) in enumerate(zip(events.iterrows(), dates)):
            gid = f"event-{n}"
            ax.plot([date2num(d)], [types.index(row["type"])], "o", markersize=7, alpha=0.7,
                    color=EVENT_COLORS[row["type"]], gid=gid)
            titles[gid] = (f"{d.date()!s} {row.get('agent') or ''} → {row.get('object') or ''} "
                           f"{row.get('title') or ''}")
        ax.set_yticks(range(len(types)), types)
        ax.set_ylim(len(types) - 0.5, -0.5)
        first, last = date2num(dates.min()), date2num(dates.max())
        ax.set_xticks([first, last], [str(dates.min().date()), str(dates.max().date())])
        ax.margins(x=0.02)  # the first and last dots whole
        ax.grid(axis="y", color="#eee")
        ax.tick_params(length=0)
        return _svg(fig, titles)


HEADINGS = {"date": "날짜", "type": "유형", "agent": "주체", "object": "대상", "title": "사업·명칭",
            "amount": "금액", "currency": "통화", "article": "기사", "speaker": "발언자",
            "role": "직함", "organization": "소속", "quotes": "인용 수", "latest_quote": "최근 발언"}
# The timeline draws the latest events only: at 100,000 pages all 91,000 dots took 8 s to draw
# and made a page no browser shows usefully.
TIMELINE_EVENTS = 500


def build_chart_report(con: duckdb.DuckDBPyConnection, extra_sections: list[tuple[str, str]] = ()) -> str:
    """The whole report as one HTML string."""
    trend = run_report(con, "weekly_mention_trend")
    org_tech = run_report(con, "org_tech_cooccurrence")
    region_tech = run_report(con, "region_tech")
    quotes = run_report(con, "most_quoted_people")
    events = run_load(con, "events_timeline", {"limit": TIMELINE_EVENTS}).df()
    n_dated, n_articles = run_load(con, "chart_totals").fetchone()
    shown = (f"<p>날짜가 있는 사건 {n_dated:,}건 중 최근 {TIMELINE_EVENTS:,}건.</p>"
             if n_dated > TIMELINE_EVENTS else "")
    sections = [
        ("개체 추이 (주별 언급)", line_chart(trend)),
        ("기관 × 기술 (기사 수)", heatmap(org_tech, "organization", "technology", "articles")),
        ("시도별 (시도와 기술을 함께 다룬 기사 수)",
         bar_chart(province_totals(region_tech, PROVINCES))),
        ("가장 많이 인용된 사람", table(quotes, headings=HEADINGS)),
        ("정책 사건 타임라인", shown + events_timeline(events)
         + table(events, limit=20, headings=HEADINGS)),
        *extra_sections,
    ]
    body = "".join(f"<section><h2>{_e(t)}</h2>{content}</section>" for t, content in sections)
    stamp = datetime.now(SEOUL).strftime("%Y-%m-%d %H:%M KST")
    return (
        "<!DOCTYPE html><html lang='ko'><head><meta charset='utf-8'>"
        "<title>axnews 리포트</title><style>"
        "body{font-family:'Noto Sans CJK KR',sans-serif;margin:2em;max-width:1000px}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;"
        "font-size:13px;text-align:left;vertical-align:top}section{margin-bottom:2.5em}"
        "</style></head><body>"
        f"<h1>axnews — 지역 AX 뉴스 리포트</h1><p>기사 {n_articles:,}건 · 작성 {stamp}</p>"
        f"{body}</body></html>"
    )
