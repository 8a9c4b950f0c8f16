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
    assert page.count("<polyline") >= 2  # trend lines
    assert page.count("<circle") == demo_con.execute(
        "select count(*) from events where date is not null").fetchone()[0]
    n_articles = demo_con.execute("select count(*) from articles").fetchone()[0]
    assert f"기사 {n_articles:,}건" in page and " KST</p>" in page


def test_heatmap_shades_follow_counts():
    pairs = pd.DataFrame({"organization": ["A", "A", "B"], "technology": ["x", "y", "x"],
                          "articles": [4, 1, 2]})
    svg = heatmap(pairs, "organization", "technology", "articles")
    shades = {int(m) for m in re.findall(r"fill='rgb\((\d+),", svg)}
    assert min(shades) == 55 and 255 in shades  # darkest for the peak, white for an empty cell


def test_empty_inputs_say_so_instead_of_drawing():
    empty = pd.DataFrame(columns=["entity", "week", "mentions"])
    for drawn, message in ((line_chart(empty), "아직 날짜가 있는 언급이 없습니다"),
                           (bar_chart(pd.Series(dtype=float)), "아직 데이터가 없습니다")):
        assert drawn.startswith(f"<p>{message}") and "<svg" not in drawn
    trend = pd.DataFrame({"entity": ["A", "A", "B"], "mentions": [1, 3, 2],
                          "week": pd.to_datetime(["2026-01-05", "2026-01-12", "2026-01-05"])})
    lines = line_chart(trend)
    assert lines.startswith("<svg") and lines.count("<polyline") == 2
    assert "없습니다" not in lines
    bars = bar_chart(pd.Series({"x": 3, "y": 1}))
    assert bars.startswith("<svg") and "아직 데이터가 없습니다" not in bars
    widths = [float(w) for w in re.findall(r"<rect[^>]*width='([\d.]+)'", bars)]
    assert len(widths) == 2 and abs(widths[0] - 3 * widths[1]) < 0.5  # proportional, largest first


def test_timeline_draws_the_latest_events_only_and_says_so(demo_con, monkeypatch):
    dated = demo_con.execute("select date from events where date is not null "
                             "order by date desc").fetchall()
    assert len(dated) > 3
    monkeypatch.setattr(charts, "TIMELINE_EVENTS", 3)
    page = build_chart_report(demo_con)
    assert page.count("<circle") == 3
    assert f"날짜가 있는 사건 {len(dated):,}건 중 최근 3건" in page
    assert str(dated[-1][0]) not in page.split("정책 사건 타임라인")[1].split("<table")[0]
