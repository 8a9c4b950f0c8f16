"""Pages written by this project in the shapes that real third-party pages broke us on.

Each reproduces one failure seen on real pages (../shared/data/ko_pages): a board view in a
table layout whose meta titles are the site's name, a headline with the site name appended and
the paper's registration dates in the footer, a byline box with common words beside the name,
and a short notice that the quality gate used to refuse as too short or as a list.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pipeline.models import Article, RawPage
from pipeline.stages.charset import decode_html
from pipeline.stages.clean import process_page
from pipeline.stages.dates import SEOUL

FIXTURES = Path(__file__).parent / "fixtures" / "real_shapes"
FETCHED = datetime(2026, 3, 1, tzinfo=UTC)


def article(name: str) -> Article:
    html, encoding = decode_html((FIXTURES / name).read_bytes())
    url = f"https://example.kr/{name}"
    result = process_page(RawPage(name, "fixture", url, url, url, FETCHED, True, encoding=encoding, html=html))
    assert isinstance(result, Article), result
    return result


def test_board_view_keeps_its_short_bulleted_press_release():
    assert "120곳으로 늘린다" in article("board_view.html").text


def test_board_view_information_table_stays_out_of_the_body():
    text = article("board_view.html").text
    assert "조회수" not in text and "작성자" not in text


def test_board_view_title_is_the_post_subject_not_the_site_name():
    assert article("board_view.html").title == "가상군, 겨울철 마을회관 난방비 지원 확대"


def test_board_view_date_and_author_come_from_its_fields():
    a = article("board_view.html")
    assert a.published_at.astimezone(SEOUL).date().isoformat() == "2025-11-20"
    assert a.authors == ("한누리",)


def test_site_name_suffix_is_dropped_from_the_title():
    assert article("site_suffix.html").title == "항구도시 야간 관광버스 첫 운행"


def test_footer_registration_dates_are_not_the_article_date():
    assert article("site_suffix.html").published_at == datetime(2025, 10, 14, 9, 20, tzinfo=SEOUL)


def test_byline_keeps_the_name_and_no_common_word():
    assert article("site_suffix.html").authors == ("서단비",)


def test_short_notice_is_an_article_with_its_title_date_and_team():
    a = article("short_notice.html")
    assert "사무공간 10실을 제공합니다" in a.text
    assert a.title == "2026년 창업기업 사무공간 입주 신청 안내"
    assert a.published_at.astimezone(SEOUL).date().isoformat() == "2026-01-08"
    assert a.authors == ("기업지원팀",)


def test_a_refused_page_keeps_its_text_in_the_rejects_table():
    import duckdb

    from pipeline.models import Reject
    from pipeline.warehouse import rows as R
    from pipeline.warehouse.db import apply_schema, insert_rows

    con = duckdb.connect()
    apply_schema(con)
    reject = Reject("p1", "fixture", "https://example.kr/1", "clean", "too_short", "42 chars", "짧은 공지 본문")
    insert_rows(con, "rejects", R.to_table([R.reject_row(reject)], R.REJECTS))
    assert con.execute("select reason, text from rejects").fetchall() == [("too_short", "짧은 공지 본문")]


def test_old_rejects_tables_gain_the_text_column():
    import duckdb

    from pipeline.warehouse.db import apply_schema

    con = duckdb.connect()
    con.execute("create table rejects (page_id varchar not null, source varchar, url varchar, "
                "stage varchar not null, reason varchar not null, detail varchar)")
    apply_schema(con)
    assert "text" in [r[0] for r in con.execute("describe rejects").fetchall()]


def test_a_teaser_list_page_is_refused_as_no_article():
    # A section page: headline links, leads cut off with '…' and date stamps. The extractor
    # drops the links, so the link-text rule alone let its leads through as one article.
    from pipeline.models import Reject
    from tests.conftest import DEMO_DIR

    path = DEMO_DIR / "pages" / "regional" / "regional-a-index.html"
    html, encoding = decode_html(path.read_bytes())
    url = "https://example.kr/section/economy"
    result = process_page(RawPage("list", "fixture", url, url, url, FETCHED, True,
                                  encoding=encoding, html=html))
    assert isinstance(result, Reject) and result.reason == "not_article"
    assert "반도체" in result.text  # refused, but its text kept for the rejects table
