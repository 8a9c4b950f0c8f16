"""A self-contained HTML report with inline SVG charts: opens offline, no script, no CDN."""

from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from pipeline.formatting import cells
from pipeline.warehouse import run_report

SEOUL = ZoneInfo("Asia/Seoul")

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf")
FONT = "font-family='Noto Sans CJK KR, Malgun Gothic, sans-serif'"


def _e(value) -> str:
    return html.escape(str(value))


def line_chart(trend: pd.DataFrame, top: int = 5, width: int = 760, height: int = 280) -> str:
    """Weekly mentions of the most mentioned entities, one line each."""
    if trend.empty:
        return "<p>아직 날짜가 있는 언급이 없습니다.</p>"
    totals = trend.groupby("entity")["mentions"].sum().sort_values(ascending=False)
    names = list(totals.index[:top])
    weeks = sorted(trend["week"].unique())
    peak = max(1, int(trend[trend["entity"].isin(names)]["mentions"].max()))
    left, bottom, right, top_pad = 40, 40, 160, 10
    plot_w, plot_h = width - left - right, height - bottom - top_pad

    def x(i: int) -> float:
        return left + (plot_w * i / max(1, len(weeks) - 1))

    def y(v: float) -> float:
        return top_pad + plot_h - plot_h * v / peak

    parts = [f"<svg width='{width}' height='{height}' {FONT} font-size='11' role='img'>",
             f"<line x1='{left}' y1='{y(0)}' x2='{left + plot_w}' y2='{y(0)}' stroke='#999'/>",
             f"<text x='4' y='{y(peak) + 4}'>{peak}</text><text x='4' y='{y(0)}'>0</text>"]
    for i, week in enumerate(weeks):
        if len(weeks) <= 12 or i % max(1, len(weeks) // 8) == 0:
            parts.append(f"<text x='{x(i) - 20}' y='{height - 20}'>{_e(str(week)[:10])}</text>")
    for n, name in enumerate(names):
        series = trend[trend["entity"] == name].set_index("week")["mentions"]
        points = " ".join(f"{x(i):.1f},{y(float(series.get(w, 0))):.1f}" for i, w in enumerate(weeks))
        color = PALETTE[n % len(PALETTE)]
        parts.append(f"<polyline fill='none' stroke='{color}' stroke-width='2' points='{points}'/>")
        parts.append(f"<text x='{left + plot_w + 8}' y='{top_pad + 14 + 16 * n}' "
                     f"fill='{color}'>{_e(name)}</text>")
    parts.append("</svg>")
    return "".join(parts)


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
    parts = [f"<svg width='{width}' height='{height}' {FONT} font-size='11' role='img'>"]
    for j, c in enumerate(cols):
        cx = label_w + j * cell + cell / 2
        parts.append(f"<text transform='translate({cx},{head_h - 6}) rotate(-40)'>{_e(c)}</text>")
    for i, r in enumerate(rows):
        cy = head_h + i * cell
        parts.append(f"<text x='4' y='{cy + cell / 2 + 4}'>{_e(r)}</text>")
        for j, c in enumerate(cols):
            v = grid.get((r, c), 0)
            shade = int(255 - 200 * v / peak)
            parts.append(f"<rect x='{label_w + j * cell}' y='{cy}' width='{cell - 2}' "
                         f"height='{cell - 2}' fill='rgb({shade},{shade},255)'>"
                         f"<title>{_e(r)} × {_e(c)}: {v}</title></rect>")
            if v:
                parts.append(f"<text x='{label_w + j * cell + 14}' y='{cy + cell / 2 + 4}'>{v}</text>")
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(totals: pd.Series, width: int = 760, bar_h: int = 22) -> str:
    """Horizontal bars, largest first."""
    if totals.empty:
        return "<p>아직 데이터가 없습니다.</p>"
    totals = totals.sort_values(ascending=False).head(17)
    peak = max(1, float(totals.max()))
    label_w = 150
    parts = [f"<svg width='{width}' height='{bar_h * len(totals) + 10}' {FONT} font-size='12'>"]
    for i, (name, v) in enumerate(totals.items()):
        w = (width - label_w - 60) * float(v) / peak
        parts.append(f"<text x='4' y='{i * bar_h + 16}'>{_e(name)}</text>")
        parts.append(f"<rect x='{label_w}' y='{i * bar_h + 4}' width='{w:.1f}' height='{bar_h - 6}' "
                     f"fill='{PALETTE[0]}'/>")
        parts.append(f"<text x='{label_w + w + 6:.1f}' y='{i * bar_h + 16}'>{int(v)}</text>")
    parts.append("</svg>")
    return "".join(parts)


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
    """Events as dots on a time axis, one row per event type."""
    events = events.dropna(subset=["date"])
    if events.empty:
        return "<p>아직 날짜가 있는 사건이 없습니다.</p>"
    dates = pd.to_datetime(events["date"])
    first, last = dates.min(), dates.max()
    span = max(1, (last - first).days)
    types = [t for t in EVENT_COLORS if t in set(events["type"])]
    left, right = 110, 20
    height = row_h * len(types) + 40

    def x(d) -> float:
        return left + (width - left - right) * (d - first).days / span

    parts = [f"<svg width='{width}' height='{height}' {FONT} font-size='11' role='img'>"]
    for i, t in enumerate(types):
        y = 10 + i * row_h + row_h / 2
        parts.append(f"<text x='4' y='{y + 4}'>{t}</text>")
        parts.append(f"<line x1='{left}' y1='{y}' x2='{width - right}' y2='{y}' stroke='#eee'/>")
        for (_, row), d in zip(events[events["type"] == t].iterrows(), dates[events["type"] == t]):
            label = f"{d.date()!s} {row.get('agent') or ''} → {row.get('object') or ''} {row.get('title') or ''}"
            parts.append(f"<circle cx='{x(d):.1f}' cy='{y}' r='5' fill='{EVENT_COLORS[t]}' "
                         f"fill-opacity='0.7'><title>{_e(label)}</title></circle>")
    axis_y = height - 14
    parts.append(f"<text x='{left}' y='{axis_y}'>{first.date()}</text>")
    parts.append(f"<text x='{width - right - 70}' y='{axis_y}'>{last.date()}</text>")
    parts.append("</svg>")
    return "".join(parts)


EVENTS_SQL = """
select e.date, e.type,
       string_agg(r.name, ', ') filter (where r.role = 'agent') as agent,
       string_agg(r.name, ', ') filter (where r.role = 'object') as object,
       e.title, e.amount, e.currency, a.title as article, a.url
from events e
join articles a using (article_id)
left join event_roles r using (article_id, event_index)
group by e.article_id, e.event_index, e.date, e.type, e.title, e.amount, e.currency, a.title, a.url
order by e.date desc nulls last
limit $limit
"""
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
    events = con.execute(EVENTS_SQL, {"limit": TIMELINE_EVENTS}).df()
    (n_dated,) = con.execute("select count(*) from events where date is not null").fetchone()
    shown = (f"<p>날짜가 있는 사건 {n_dated:,}건 중 최근 {TIMELINE_EVENTS:,}건.</p>"
             if n_dated > TIMELINE_EVENTS else "")
    n_articles = con.execute("select count(*) from articles").fetchone()[0]
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
