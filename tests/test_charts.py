"""The chart report is one self-contained HTML file with every chart drawn from the warehouse."""

from __future__ import annotations

import re

import pandas as pd

from pipeline import charts
from pipeline.charts import bar_chart, build_chart_report, heatmap, line_chart


def test_demo_chart_report_is_self_contained_and_complete(demo_run, demo_con):
    page = (demo_run.reports_dir / "axnews-report.html").read_text(encoding="utf-8")
    for title in ("개체 추이", "기관 × 기술", "시도별", "가장 많이 인용된 사람", "정책 사건 타임라인"):
        assert title in page, title
    # opens offline: nothing loaded from the web (article links are plain <a> links)
    assert not re.search(r"""src\s*=\s*["']https?://|<link[^>]+href\s*=\s*["']https?://""", page)
    assert "<script" not in page
    assert len(re.findall(r'<g id="trend-\d+"><title>[^<]+: \d+</title>', page)) >= 2  # lines
    events = re.findall(r'<g id="event-\d+"><title>(\d{4}-\d\d-\d\d) ', page)
    assert len(events) == demo_con.execute(
        "select count(*) from events where date is not null").fetchone()[0]
    n_articles = demo_con.execute("select count(*) from articles").fetchone()[0]
    assert f"기사 {n_articles:,}건" in page and " KST</p>" in page


def test_heatmap_shades_follow_counts():
    pairs = pd.DataFrame({"organization": ["A", "A", "B"], "technology": ["x", "y", "x"],
                          "articles": [4, 1, 2]})
    svg = heatmap(pairs, "organization", "technology", "articles")
    cells = dict(re.findall(r'<g id="cell-\d+-\d+"><title>([^<]+)</title>\s*<path[^>]*'
                            r'style="fill: #([0-9a-f]{2})', svg))
    shades = {title: int(level, 16) for title, level in cells.items()}
    # darkest for the peak, white for the empty cell, in between by count
    assert shades == {"A × x: 4": 55, "A × y: 1": 205, "B × x: 2": 155, "B × y: 0": 255}


def test_empty_inputs_say_so_instead_of_drawing():
    empty = pd.DataFrame(columns=["entity", "week", "mentions"])
    for drawn, message in ((line_chart(empty), "아직 날짜가 있는 언급이 없습니다"),
                           (bar_chart(pd.Series(dtype=float)), "아직 데이터가 없습니다")):
        assert drawn.startswith(f"<p>{message}") and "<svg" not in drawn
    trend = pd.DataFrame({"entity": ["A", "A", "B"], "mentions": [1, 3, 2],
                          "week": pd.to_datetime(["2026-01-05", "2026-01-12", "2026-01-05"])})
    lines = line_chart(trend)
    assert lines.startswith("<svg") and lines.count('<g id="trend-') == 2
    assert "없습니다" not in lines
    bars = bar_chart(pd.Series({"x": 3, "y": 1}))
    assert bars.startswith("<svg") and "아직 데이터가 없습니다" not in bars
    paths = re.findall(r'<g id="bar-\d+"><title>([^<]+)</title>\s*<path d="([^"]+)"', bars)
    assert [title for title, _ in paths] == ["x: 3", "y: 1"]  # largest first
    xs = [[float(x) for x in re.findall(r"[ML] ([\d.]+)", d)] for _, d in paths]
    widths = [max(x) - min(x) for x in xs]
    assert abs(widths[0] - 3 * widths[1]) < 0.5  # proportional


def test_the_same_data_draws_the_same_bytes():
    trend = pd.DataFrame({"entity": ["경기도", "B"], "mentions": [1, 2],
                          "week": pd.to_datetime(["2026-01-05", "2026-01-12"])})
    first = line_chart(trend)
    assert first == line_chart(trend) and "<text" in first and "경기도" in first
    assert "<dc:date>" not in first  # no creation time in the metadata


def test_timeline_draws_the_latest_events_only_and_says_so(demo_con, monkeypatch):
    dated = demo_con.execute("select date from events where date is not null "
                             "order by date desc").fetchall()
    assert len(dated) > 3
    monkeypatch.setattr(charts, "TIMELINE_EVENTS", 3)
    page = build_chart_report(demo_con)
    assert page.count('<g id="event-') == 3
    assert f"날짜가 있는 사건 {len(dated):,}건 중 최근 3건" in page
    assert str(dated[-1][0]) not in page.split("정책 사건 타임라인")[1].split("<table")[0]
