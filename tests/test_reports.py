"""Every SQL report runs against the demo warehouse and answers its question with real rows."""

from __future__ import annotations

import pytest

from pipeline.settings import DEMO_SOURCES
from pipeline.sources import load_sources
from pipeline.warehouse import list_reports, run_report


def test_every_report_has_a_header_comment():
    reports = list_reports()
    assert len(reports) >= 9
    assert all(description for description in reports.values()), reports


# entities_new_this_week depends on the newest week only: asserted by its own test below
@pytest.mark.parametrize("name", sorted(set(list_reports()) - {"entities_new_this_week"}))
def test_every_report_returns_rows_on_the_demo(demo_con, name):
    assert len(run_report(demo_con, name)) > 0, name


def test_articles_per_source_lists_every_demo_source(demo_con):
    frame = run_report(demo_con, "articles_per_source")
    assert set(frame["source"]) == {s.name for s in load_sources(DEMO_SOURCES)}
    assert frame["articles"].sum() == demo_con.execute("select count(*) from articles").fetchone()[0]


def test_top_organizations_are_led_by_known_public_bodies(demo_con):
    frame = run_report(demo_con, "top_organizations")
    assert "과학기술정보통신부" in set(frame["organization"].head(5))
    assert frame["n_mentions"].is_monotonic_decreasing


def test_top_people_carry_roles(demo_con):
    frame = run_report(demo_con, "top_people")
    assert frame["role"].notna().sum() >= len(frame) // 2


def test_top_technologies_include_the_ax_taxonomy(demo_con):
    techs = set(run_report(demo_con, "top_technologies")["technology"])
    assert {"AI 반도체", "온디바이스 AI", "피지컬 AI"} <= techs


def test_syndicated_press_release_is_one_story_across_outlets(demo_con):
    frame = run_report(demo_con, "stories_by_outlets")
    assert frame["outlets"].max() >= 3


def test_rejects_report_names_non_article_pages(demo_con):
    reasons = set(run_report(demo_con, "rejects_by_reason")["reason"])
    assert reasons & {"not_article", "error_page"}, reasons


def test_most_quoted_people_have_a_latest_quote(demo_con):
    frame = run_report(demo_con, "most_quoted_people")
    assert frame["latest_quote"].str.len().min() > 5
    assert frame["quotes"].is_monotonic_decreasing


def test_entities_new_this_week_were_first_seen_in_the_newest_week(demo_con):
    frame = run_report(demo_con, "entities_new_this_week")
    newest = demo_con.execute("select date_trunc('week', max(published_at)) from articles").fetchone()[0]
    assert len(frame) > 0
    assert (frame["first_seen"] >= newest).all()


def test_budget_by_organization_sums_krw_amounts(demo_con):
    frame = run_report(demo_con, "budget_by_organization")
    krw = frame[frame["currency"] == "KRW"]
    assert len(krw) > 0 and (krw["total"] >= krw["largest"]).all()
    assert krw["largest"].max() >= 1e8  # 억 원 amounts were normalized, not left as 120


def test_law_mentions_include_the_software_promotion_act(demo_con):
    laws = set(run_report(demo_con, "law_mentions")["law_or_policy"])
    assert "소프트웨어진흥법" in laws


def test_org_tech_and_region_tech_pairs_are_counted_per_article(demo_con):
    pairs = run_report(demo_con, "org_tech_cooccurrence")
    n_articles = demo_con.execute("select count(*) from articles").fetchone()[0]
    assert (pairs["articles"] >= 2).all() and (pairs["articles"] <= n_articles).all()
    regions = run_report(demo_con, "region_tech")
    assert (regions["articles"] <= n_articles).all()


def test_weekly_trend_weeks_start_on_monday(demo_con):
    frame = run_report(demo_con, "weekly_mention_trend")
    assert {w.weekday() for w in frame["week"]} == {0}


def test_source_coverage_counts_match_pages(demo_con):
    frame = run_report(demo_con, "source_coverage")
    assert frame["pages"].sum() == demo_con.execute("select count(*) from pages").fetchone()[0]
