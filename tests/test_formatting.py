"""Output for Korean users' tools: blanks, 억/조 원, integers, display-width alignment, BOM, URLs."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.formatting import display_width, render_table, won


@pytest.mark.parametrize(("amount", "text"), [
    (1.5e10, "150억 원"), (1.23e12, "1조 2,300억 원"), (2e12, "2조 원"), (5e7, "5,000만 원"),
    (1.2345e9, "12억 3,450만 원"), (9000, "9,000 원"), (None, ""), (float("nan"), ""),
])
def test_won_amounts_are_written_as_koreans_write_them(amount, text):
    assert won(amount) == text


def test_table_shows_blanks_integers_and_won_and_aligns_hangul_by_display_width():
    frame = pd.DataFrame({"province": ["전라남도", "제주특별자치도", None],
                          "events": [1.0, np.nan, 42.0],
                          "total_krw": [1.5e10, np.nan, 6.4e9]})
    text = render_table(frame)
    assert "nan" not in text.lower() and "none" not in text.lower()
    assert "42.0" not in text and "1.500000e+10" not in text
    assert "150억 원" in text and "64억 원" in text
    header, first, _blank, last = text.splitlines()

    def end_of(line: str, word: str) -> int:  # display column where word ends
        return display_width(line[:line.index(word) + len(word)])

    # right-aligned numbers end under the heading's end, Hangul counted two cells wide
    assert end_of(first, " 1 ") - 1 == end_of(header, "events") == end_of(last, "42")
    assert end_of(first, "150억 원") == end_of(header, "total_krw") == end_of(last, "64억 원")


def test_report_csv_has_integers_blanks_and_a_bom_when_asked(demo_run, capsys):
    args = ["report", "funding_by_province", "--format", "csv", "--warehouse",
            str(demo_run.warehouse)]
    assert main([*args, "--bom"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeffprovince,events,")
    assert ".0," not in out and "nan" not in out.lower()
    assert main(args) == 0
    assert not capsys.readouterr().out.startswith("\ufeff")


def test_report_csv_files_start_with_a_bom_for_excel(demo_run):
    data = (demo_run.reports_dir / "top_people.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfperson,")


def test_event_list_and_search_give_each_article_url(demo_run, capsys):
    assert main(["events", "--list", "--format", "json", "--warehouse",
                 str(demo_run.warehouse)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records and all(r["url"] for r in records)
    assert main(["search", "반도체", "--format", "json", "--warehouse",
                 str(demo_run.warehouse)]) == 0
    hits = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert hits and all(h["url"].startswith(("http", "file:")) for h in hits)
    assert main(["search", "반도체", "--warehouse", str(demo_run.warehouse)]) == 0
    assert hits[0]["url"] in capsys.readouterr().out


def test_chart_report_links_each_listed_article(demo_run, demo_con):
    page = (demo_run.reports_dir / "axnews-report.html").read_text(encoding="utf-8")
    (url,) = demo_con.execute("select a.url from events e join articles a using (article_id) "
                              "where e.date is not null order by e.date desc limit 1").fetchone()
    assert f"<a href='{url}'>" in page
    for missing in ("<td>nan</td>", "<td>None</td>", "<td>NaT</td>", "<td><NA></td>"):
        assert missing not in page


@pytest.mark.parametrize("zone", ["Asia/Seoul", "America/New_York", "Asia/Kolkata", "UTC",
                                  "America/St_Johns"])
@pytest.mark.parametrize("with_micros", [False, True])
def test_csv_writes_zoned_times_as_pandas_does_only_faster(zone, with_micros):
    from pipeline.formatting import csv_frame

    times = pd.Series(pd.to_datetime(
        ["2026-01-12 17:53:00", None, "2026-07-01 00:00:00", "1999-12-31 23:59:59"]
        + (["2026-03-08 02:30:00.123456"] if with_micros else []), utc=True, format="ISO8601")
    ).astype("datetime64[us, UTC]").dt.tz_convert(zone)  # DuckDB's resolution
    frame = pd.DataFrame({"published_at": times, "n": range(len(times))})
    written = csv_frame(frame)
    assert not isinstance(written["published_at"].dtype, pd.DatetimeTZDtype)  # text already
    assert written.to_csv(index=False) == frame.to_csv(index=False)
