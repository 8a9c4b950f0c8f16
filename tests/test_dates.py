"""Date parsing and the choice of published/updated dates."""

from datetime import datetime, timedelta, timezone

import pytest

from pipeline.stages.dates import SEOUL, choose_dates, parse_date

KST = timezone(timedelta(hours=9))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("입력 2026-01-12 17:53", datetime(2026, 1, 12, 17, 53, tzinfo=KST)),
        ("수정 2026.01.12 18:02", datetime(2026, 1, 12, 18, 2, tzinfo=KST)),
        ("2026.01.12 오후 5:53", datetime(2026, 1, 12, 17, 53, tzinfo=KST)),
        ("2026.01.12 오전 12:05", datetime(2026, 1, 12, 0, 5, tzinfo=KST)),
        ("2026년 1월 12일", datetime(2026, 1, 12, tzinfo=KST)),
        ("2026년 1월 12일 17시 53분", datetime(2026, 1, 12, 17, 53, tzinfo=KST)),
        ("2026-01-12T08:53:00Z", datetime(2026, 1, 12, 17, 53, tzinfo=KST)),
        ("2026-01-12T17:53:00+09:00", datetime(2026, 1, 12, 17, 53, tzinfo=KST)),
        ("Jan 12, 2026 5:53 PM KST", datetime(2026, 1, 12, 17, 53, tzinfo=KST)),
        ("January 12, 2026", datetime(2026, 1, 12, tzinfo=KST)),
        ("12 January 2026 08:53 UTC", datetime(2026, 1, 12, 17, 53, tzinfo=KST)),
        ("Mon, 12 Jan 2026 08:53:00 GMT", datetime(2026, 1, 12, 17, 53, tzinfo=KST)),
        ("Jan 12, 2026, at 5:53 PM KST", datetime(2026, 1, 12, 17, 53, tzinfo=KST)),
        ("Published 12 January 2026", datetime(2026, 1, 12, tzinfo=KST)),
        ("Posted by Kim, 3 comments, Jan 12 2026", datetime(2026, 1, 12, tzinfo=KST)),
    ],
)
def test_korean_and_english_date_strings_parse_to_the_same_instant(text, expected):
    parsed = parse_date(text)
    assert parsed == expected
    assert parsed.tzinfo is not None


def test_date_without_zone_is_read_as_seoul_time():
    assert parse_date("2026-01-12 17:53").utcoffset() == timedelta(hours=9)


@pytest.mark.parametrize("text", ["", "오늘", "2026-13-45", "Smarch 40, 2026", None,
                                  "January 2026", "Page 3 of 10 January", "5:53 PM KST"])
def test_unparseable_or_impossible_dates_give_none(text):
    assert parse_date(text) is None


def test_visible_input_label_beats_trafilatura_day_only_date():
    published, _ = choose_dates([("trafilatura", "2026-01-12"), ("입력", "2026-01-12 17:53")])
    assert published == datetime(2026, 1, 12, 17, 53, tzinfo=SEOUL)


def test_edit_label_becomes_updated_at_not_published_at():
    published, updated = choose_dates([("수정", "2026.01.12 18:02"), ("입력", "2026.01.12 17:53")])
    assert published == datetime(2026, 1, 12, 17, 53, tzinfo=SEOUL)
    assert updated == datetime(2026, 1, 12, 18, 2, tzinfo=SEOUL)


def test_future_candidate_is_skipped_for_the_next_one():
    now = datetime(2026, 1, 13, tzinfo=SEOUL)
    published, _ = choose_dates([("입력", "2027-05-01 09:00"), ("meta_published", "2026-01-12T17:53:00+09:00")], now)
    assert published == datetime(2026, 1, 12, 17, 53, tzinfo=SEOUL)


def test_only_future_dates_give_no_date():
    now = datetime(2026, 1, 13, tzinfo=SEOUL)
    assert choose_dates([("입력", "2027-05-01 09:00")], now) == (None, None)


def test_update_before_publication_is_dropped():
    _, updated = choose_dates([("입력", "2026-01-12 17:53"), ("수정", "2026-01-11 10:00")])
    assert updated is None
