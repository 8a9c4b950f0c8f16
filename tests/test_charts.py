"""The chart report is one self-contained HTML file with every chart drawn from the warehouse."""

from __future__ import annotations

import re

import pandas as pd

from pipeline import charts
from pipeline.charts import bar_chart, build_chart_report, heatmap, line_chart


def test_demo_chart_report_is_self_contained_and_complete(demo_run, demo_con):
    page = (demo_run.reports_dir / "axnews-report.html").read_text(encoding="utf-8")
    for title in ("Entity trends", "Organization × technology", "Provinces", "Most-quoted people",
                  "Policy events timeline"):
        assert title in page, title
    assert not re.search(r"""(src|href)\s*=\s*["']https?://""", page)  # opens offline
    assert "<script" not in page
    assert page.count("<polyline") >= 2  # trend lines
    assert page.count("<circle") == demo_con.execute(
        "select count(*) from events where date is not null").fetchone()[0]
    n_articles = demo_con.execute("select count(*) from articles").fetchone()[0]
    assert f"{n_articles} articles" in page


def test_heatmap_shades_follow_counts():
    pairs = pd.DataFrame({"organization": ["A", "A", "B"], "technology": ["x", "y", "x"],
                          "articles": [4, 1, 2]})
    svg = heatmap(pairs, "organization", "technology", "articles")
    shades = {int(m) for m in re.findall(r"fill='rgb\((\d+),", svg)}
    assert min(shades) == 55 and 255 in shades  # darkest for the peak, white for an empty cell


def test_empty_inputs_say_so_instead_of_drawing():
    empty = pd.DataFrame(columns=["entity", "week", "mentions"])
    for drawn, message in ((line_chart(empty), "No dated mentions"),
                           (bar_chart(pd.Series(dtype=float)), "No data")):
        assert drawn.startswith(f"<p>{message}") and "<svg" not in drawn
    trend = pd.DataFrame({"entity": ["A", "A", "B"], "mentions": [1, 3, 2],
                          "week": pd.to_datetime(["2026-01-05", "2026-01-12", "2026-01-05"])})
    lines = line_chart(trend)
    assert lines.startswith("<svg") and lines.count("<polyline") == 2
    assert "No dated" not in lines
    bars = bar_chart(pd.Series({"x": 3, "y": 1}))
    assert bars.startswith("<svg") and "No data" not in bars
    widths = [float(w) for w in re.findall(r"<rect[^>]*width='([\d.]+)'", bars)]
    assert len(widths) == 2 and abs(widths[0] - 3 * widths[1]) < 0.5  # proportional, largest first


def test_timeline_draws_the_latest_events_only_and_says_so(demo_con, monkeypatch):
    dated = demo_con.execute("select date from events where date is not null "
                             "order by date desc").fetchall()
    assert len(dated) > 3
    monkeypatch.setattr(charts, "TIMELINE_EVENTS", 3)
    page = build_chart_report(demo_con)
    assert page.count("<circle") == 3
    assert f"The latest 3 of {len(dated):,} dated events" in page
    assert str(dated[-1][0]) not in page.split("Policy events timeline")[1].split("<table")[0]
