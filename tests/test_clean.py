"""Cleaning: residue rules, normalization, bylines, quality gate, and the seed page end to end."""

from __future__ import annotations

import glob
import html
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from pipeline.models import Article, ExtractedPage, RawPage, Reject
from pipeline.stages import residue
from pipeline.stages.clean import CleanOptions, clean_article, normalize_text, process_page

KST = timezone(timedelta(hours=9))

BODY_KO = [
    "경기테크노파크가 과학기술정보통신부로부터 지역 소프트웨어산업 진흥기관으로 공식 지정되며 경기도 AI 전환의 핵심 거점으로 자리매김했다.",
    "12일 경기테크노파크에 따르면 1월 9일부로 소프트웨어진흥법에 근거한 지역SW산업진흥기관으로 지정됐다고 밝혔다.",
    "지정에 따라 경기테크노파크는 경기도내 ICT·SW 융합 생태계 조성의 중심축 역할을 맡게 된다. 대형 국책사업 유치가 주요 과제로 제시됐다.",
]

# One example line per residue rule: the rule must recognize it, and nothing earlier must.
RULE_EXAMPLES = {
    "controls": ["가장작게 작게 기본 크게 가장크게", "인쇄 공유 스크랩", "가장작게", "URL복사"],
    "reactions": ["좋아요0", "화나요 12", "추가취재 원해요0", "좋아요3 화나요0 슬퍼요1"],
    "related_lists": ["주요 뉴스", "많이 본 뉴스", "관련기사", "[관련기사]", "Most Read", "실시간 암호화폐 시세"],
    "ticker_header": ["종목", "현재가(원)", "변동률"],
    "price_line": ["133,339,000", "-0.34%", "+1.48%", "4,210.55"],
    "market_status": ["01.12 장종료", "* 24시간 변동률 기준"],
    "captions": ["▲경기테크노파크 전경. (경기테크노파크)", "(사진=경기도)", "사진 제공=경기도", "[사진=연합뉴스]"],
    "copyright": ["<저작권자 © 한빛경제, 무단전재 및 재배포 금지>", "ⓒ 새한일보", "Copyright © 2026 Korea Tech Herald. All rights reserved."],
    "signoff": ["김하늘 기자 sky@econ.example", "김하늘 기자", "김하늘 기자 a@b.kr / 이수진 기자 c@d.kr"],
    "email_line": ["sky@econ.example", "(sky@econ.example)"],
    "broadcast_signoff": ["연합TV 김하늘입니다. (sky@tv.example)"],
    "page_survey": ["현재 페이지의 내용에 만족하십니까?", "보내주신 소중한 의견은 페이지 개선에 반영됩니다."],
    "attachment": ["붙임1. 보도자료.hwp(87 kb)", "[pdf,1.2 MB]"],
    "tip_request": ["기사문의 및 제보 : 전화 02-000-0000", "많은 제보 부탁드립니다."],
    "hashtags": ["#물가 #절약"],
    "agency_tail": ["/코리아뉴스통신"],
    "en_byline": ["By Jane Doe", "By Jane Doe and Min-ji Park"],
    "kogl": ["본 저작물은 공공누리 제1유형에 따라 출처표시 조건으로 이용할 수 있습니다."],
    "subscription": ["한빛경제 뉴스레터 구독하기", "기사 제보 jebo@koreanews.example", "Subscribe to our newsletter"],
    "date_stamp": ["입력 2026-01-12 17:53", "수정 2026.01.12 18:02", "송고시간 2026.01.12 오후 5:53", "Published Jan 12, 2026 5:53 PM KST"],
    "breadcrumb": ["홈 > 산업 > IT·과학"],
    "article_nav": ["이전기사", "목록"],
}


@pytest.mark.parametrize(("name", "line"), [(n, line) for n, lines in RULE_EXAMPLES.items() for line in lines])
def test_each_residue_rule_recognizes_its_lines(name, line):
    rule = residue.match_rule(line)
    assert rule is not None and rule.name == name


def test_every_residue_rule_has_examples():
    assert {r.name for r in residue.RULES} == set(RULE_EXAMPLES)


@pytest.mark.parametrize("line", BODY_KO + [
    "정진수 원장은 \"이번 지정은 의미가 있다\"며 \"역할을 다하겠다\"고 밝혔다.",
    "도는 올해 공유 오피스 3곳과 인쇄 산업 지원센터를 새로 연다고 밝혔다.",
    "The ministry said 404 companies had applied for the vouchers by Friday.",
    "관련 기관들은 뉴스레터와 구독 서비스를 통해 지역 기업에 정보를 제공하고 있으며, 올해 예산은 120억 원 규모로 책정됐다고 설명했다.",
])
def test_body_sentences_match_no_residue_rule(line):
    assert residue.match_rule(line) is None


def test_block_items_are_headlines_not_sentences():
    assert residue.is_block_item("'두쫀쿠' 대신 '짭쫀쿠'라도… [해시태그]")
    assert not residue.is_block_item(BODY_KO[0])


def extracted(lines: list[str], **kw) -> ExtractedPage:
    """An ExtractedPage with the given body lines."""
    base = {"page_id": "p1", "source": "test", "url": "https://example.kr/1", "title": "경기테크노파크 지정",
            "text": "\n".join(lines), "body_source": "trafilatura", "html_hints": {}}
    base.update(kw)
    return ExtractedPage(**base)


def test_full_width_ascii_becomes_half_width():
    assert normalize_text("ＡＩ　２０２６％") == "AI 2026%"


def test_curly_quotes_become_straight_quotes():
    assert normalize_text("“인공지능” ‘AI’", fold_quotes=True) == "\"인공지능\" 'AI'"


def test_normalization_keeps_paragraphs_and_collapses_spaces_within_lines():
    assert normalize_text("가  나\t다\n\n\n라 \u00a0마") == "가 나 다\n라 마"


def test_hangul_is_composed_to_nfc():
    decomposed = "\u1100\u1161"  # ᄀ + ᅡ
    assert normalize_text(decomposed) == "가"


def test_font_size_buttons_and_reactions_leave_the_body():
    page = extracted(["가장작게", "작게", "기본", *BODY_KO, "좋아요0", "화나요0"])
    article = clean_article(page)
    assert article.text == "\n".join(BODY_KO)


def test_related_news_list_and_following_headlines_are_removed():
    page = extracted([*BODY_KO, "주요 뉴스", "\"더 이상 선택지 아니다\"… 잘 나가던 M7에 무슨 일이", "'두쫀쿠' 대신 '짭쫀쿠'라도… [해시태그]"])
    assert clean_article(page).text == "\n".join(BODY_KO)


def test_related_block_ends_at_the_next_body_sentence():
    page = extracted([BODY_KO[0], "관련기사", "경기도, AI 바우처 200곳 선정", BODY_KO[1], BODY_KO[2]])
    assert clean_article(page).text == "\n".join(BODY_KO)


def test_crypto_ticker_block_is_removed():
    ticker = ["실시간 암호화폐 시세", "종목", "현재가(원)", "변동률", "비트코인", "133,339,000", "-0.34%", "* 24시간 변동률 기준"]
    assert clean_article(extracted([*BODY_KO, *ticker])).text == "\n".join(BODY_KO)


def test_copyright_notice_and_what_follows_it_are_removed():
    page = extracted([*BODY_KO, "<저작권자 © 한빛경제, 무단전재 및 재배포 금지>", "회사소개", "광고문의"])
    assert clean_article(page).text == "\n".join(BODY_KO)


def test_signoff_line_moves_reporter_into_authors_and_emails():
    article = clean_article(extracted([*BODY_KO, "김하늘 기자 sky@econ.example"]))
    assert article.text == "\n".join(BODY_KO)
    assert article.authors == ("김하늘",)
    assert article.author_emails == ("sky@econ.example",)


def test_wire_dateline_prefix_is_removed_and_reporter_kept():
    first = "[서울=코리아뉴스통신] 홍길동 기자 = " + BODY_KO[0]
    article = clean_article(extracted([first, *BODY_KO[1:], "/코리아뉴스통신"]))
    assert article.text == "\n".join(BODY_KO)
    assert article.authors == ("홍길동",)


def test_signoff_glued_to_last_paragraph_is_cut():
    article = clean_article(extracted([*BODY_KO[:2], BODY_KO[2] + " 김하늘 기자 sky@econ.example"]))
    assert article.text == "\n".join(BODY_KO)
    assert article.author_emails == ("sky@econ.example",)


def test_signoffs_inside_a_package_are_cut_and_kept_as_authors():
    package = BODY_KO[0] + " 김하늘 기자, 이수진 기자 " + BODY_KO[1]
    article = clean_article(extracted([package, BODY_KO[2]]))
    assert article.text == "\n".join(BODY_KO)
    assert set(article.authors) == {"김하늘", "이수진"}


def test_board_information_rows_leave_the_body():
    rows = ["| 작성자 | 기업지원팀 | 등록일 | 2026-01-08 |", "|---|---|---|---|", "| 담당부서 | 담당자 | 연락처 |",
            "| 기업지원팀 | 한누리 | 000-0000 |", "- 조회수 42"]
    article = clean_article(extracted([*rows, *BODY_KO]))
    assert article.text == "\n".join(BODY_KO)


def test_body_table_rows_stay():
    row = "| 지원 대상 | 도내 창업 3년 이내 기업 30곳, 기업당 최대 2천만 원 |"
    assert row in clean_article(extracted([*BODY_KO, row])).text


def test_photo_captions_move_out_of_the_body():
    article = clean_article(extracted(["▲경기테크노파크 전경. (경기테크노파크)", *BODY_KO, "(사진=경기도)"]))
    assert article.text == "\n".join(BODY_KO)
    assert article.captions == ("▲경기테크노파크 전경. (경기테크노파크)", "(사진=경기도)")


def test_figcaption_text_in_the_body_becomes_a_caption():
    page = extracted([BODY_KO[0], "경기테크노파크 전경", *BODY_KO[1:]], html_hints={"captions": ["경기테크노파크 전경"]})
    article = clean_article(page)
    assert article.text == "\n".join(BODY_KO)
    assert article.captions == ("경기테크노파크 전경",)


def test_subscription_prompt_is_removed():
    assert clean_article(extracted([*BODY_KO, "한빛경제 뉴스레터 구독하기"])).text == "\n".join(BODY_KO)


def test_visible_date_stamp_in_body_sets_published_at():
    article = clean_article(extracted(["입력 2026-01-12 17:53", *BODY_KO], date="2026-01-12"))
    assert article.published_at == datetime(2026, 1, 12, 17, 53, tzinfo=KST)
    assert article.text == "\n".join(BODY_KO)


def test_exact_copies_share_article_id_despite_whitespace():
    a = clean_article(extracted(BODY_KO))
    b = clean_article(extracted([line.replace(" ", "  ") for line in BODY_KO], page_id="p2"))
    assert a.article_id == b.article_id and len(a.article_id) == 16
    assert a.content_hash.startswith(a.article_id) and len(a.content_hash) == 64


# ---------------------------------------------------------------- quality gate


def test_error_page_is_rejected():
    page = extracted(["요청하신 페이지를 찾을 수 없습니다", "주소가 정확한지 다시 한번 확인해 주시기 바랍니다."], title="404 Not Found")
    assert clean_article(page).reason == "error_page"


def test_maintenance_notice_is_an_error_page():
    page = extracted(["현재 서비스 점검 중입니다. 이용에 불편을 드려 죄송합니다."], title="한빛경제")
    assert clean_article(page).reason == "error_page"


def test_long_article_mentioning_404_is_not_an_error_page():
    line = "The ministry said 404 companies applied for the regional AI vouchers, far more than the 150 it expected this year."
    page = extracted([line] * 5, title="Vouchers oversubscribed")
    assert isinstance(clean_article(page), Article)


def test_list_of_short_headlines_is_not_an_article():
    heads = ["경기도, AI 바우처 200곳 선정", "반도체 수출 14개월 연속 증가", "스마트팜 청년 창업 지원 확대",
             "자율주행 셔틀 세종 도심 운행", "데이터센터 전력 확보 경쟁", "공모주 청약 열기", "원·달러 환율 박스권",
             "K-조선 수주 잔고 최대", "중소기업 인력난 여전", "외국인 관광객 지출 증가"]
    # a list page's lines are its links: the headlines are anchors of the page
    assert clean_article(extracted(heads, html_hints={"link_texts": heads})).reason == "not_article"


def test_short_unlinked_lines_are_not_a_list_page():
    # a notice made of short bullet lines (no line is a link) is an article, not an index
    bullets = ["□ 모집 개요", "ㅇ 대상: 도내 중소기업 30곳", "ㅇ 기간: 3월 2일부터 20일까지", "ㅇ 방법: 누리집 온라인 접수",
               "□ 지원 내용", "ㅇ 기업당 시제품 제작비 최대 2천만 원", "ㅇ 전문가 현장 자문 3회", "□ 문의: 기업지원팀"]
    assert isinstance(clean_article(extracted(bullets)), Article)


def test_list_items_with_summaries_and_stamps_are_not_an_article():
    entry = "- 경기도, AI 바우처 200곳 선정 관련 소식을 전합니다. 자세한 내용은 기사에서 확인하세요. 2026.01.12 10:00"
    links = ["경기도, AI 바우처 200곳 선정 관련 소식을 전합니다. 자세한 내용은 기사에서 확인하세요."]
    assert clean_article(extracted([entry] * 8, html_hints={"link_texts": links})).reason == "not_article"


def test_teasers_alternating_with_date_stamps_are_not_an_article():
    teaser = "국산 AI 반도체가 실험실을 벗어나 실제 행정 서비스 현장에서 성능을 검증받는다. 광주테크노파크가 국내 팹리스 기업 10곳과 손잡고 칩 실증을 전담하는 협의체를 …"
    links = [teaser]
    assert clean_article(extracted([teaser, "2026.11.05 11:32"] * 6, html_hints={"link_texts": links})).reason == "not_article"


def test_error_wording_in_html_title_rejects_even_when_lines_were_stripped():
    page = extracted(["404", "Page not found", "The page you requested may have been moved or deleted."],
                     title="Korea Tech Herald", html_hints={"html_title": "404 Not Found | Korea Tech Herald"})
    assert clean_article(page).reason == "error_page"


def test_article_with_a_short_bullet_list_is_still_an_article():
    lines = [*BODY_KO, "- 지역특화산업의 인공지능화", "- 제조 기반 기업의 첨단화", BODY_KO[0] + " 추가로 설명했다."]
    assert isinstance(clean_article(extracted(lines)), Article)


def test_short_korean_body_is_too_short():
    assert clean_article(extracted([BODY_KO[0]])).reason == "too_short"


def test_min_chars_threshold_comes_from_options():
    assert isinstance(clean_article(extracted([BODY_KO[0]]), CleanOptions(min_chars_ko=50)), Article)


def test_japanese_body_is_rejected_for_language():
    jp = "経済産業省は地域のデジタル変革を支援するため、新しい補助金制度を発表した。" * 8
    assert clean_article(extracted([jp])).reason == "language"


def test_english_stub_is_too_short():
    # real short English posts run from ~290 characters, so only a stub (here 68) is too short
    page = extracted(["The technopark was designated a regional software agency on Friday."], title="Designation")
    assert clean_article(page).reason == "too_short"


def test_rejected_page_keeps_its_text():
    reject = clean_article(extracted([BODY_KO[0]]))
    assert reject.reason == "too_short" and reject.text == BODY_KO[0]


# ---------------------------------------------------------------- the seed page


def seed_page() -> RawPage | None:
    """The seed article's text (boilerplate included) laid out as a simple HTML page."""
    files = sorted(glob.glob("/work/shared/seeds/*.txt"))
    if not files:
        return None
    lines = [line.strip() for line in Path(files[0]).read_text(encoding="utf-8").split("\n")]
    title, rest = lines[0], [line for line in lines[1:] if line]
    blocks = [
        f"<li>{html.escape(line.lstrip('•* '))}</li>" if line.startswith(("•", "*")) else f"<p>{html.escape(line)}</p>"
        for line in rest
    ]
    doc = f"<html><head><title>{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>{''.join(blocks)}</body></html>"
    when = datetime(2026, 1, 13, tzinfo=UTC)
    return RawPage("seed", "seed", "https://econ.example/1", "https://econ.example/1", "https://econ.example/1", when, True, html=doc)


@pytest.fixture(scope="module")
def seed_article() -> Article:
    page = seed_page()
    if page is None:
        pytest.skip("no seed text in /work/shared/seeds")
    article = process_page(page, now=datetime(2026, 1, 20, tzinfo=KST))
    assert isinstance(article, Article), article
    return article


@pytest.mark.parametrize("residue_text", ["가장작게", "작게\n", "기본\n", "좋아요0", "화나요0", "주요 뉴스", "두쫀쿠", "비트코인", "133,339,000", "암호화폐"])
def test_seed_page_keeps_no_boilerplate(seed_article, residue_text):
    assert residue_text not in seed_article.text + "\n"


def test_seed_page_published_at_is_the_input_stamp(seed_article):
    assert seed_article.published_at == datetime(2026, 1, 12, 17, 53, tzinfo=KST)


def test_seed_page_keeps_body_and_moves_caption(seed_article):
    # the sub-headline stays at the top of the body (real press releases count it as text) and
    # is the subtitle too; quotes stay as the page wrote them
    subtitle = "AI·제조 융합 전초기지 공식화…지역산업 AI 전환 컨트롤타워 역할 부여"
    assert seed_article.text.startswith(subtitle + "\n경기테크노파크가 과학기술정보통신부로부터")
    assert seed_article.text.endswith("역할을 다하겠다”고 밝혔다.")
    assert seed_article.captions == ("▲경기테크노파크 전경. (경기테크노파크)",)
    assert seed_article.subtitle == "AI·제조 융합 전초기지 공식화…지역산업 AI 전환 컨트롤타워 역할 부여"


def test_process_page_and_its_results_pickle_for_a_process_pool():
    import pickle

    page = seed_page() or RawPage("x", "t", "u", "u", "u", datetime(2026, 1, 1, tzinfo=UTC), True, html="<p>x</p>")
    assert pickle.loads(pickle.dumps(process_page)) is process_page
    result = process_page(page)
    assert pickle.loads(pickle.dumps(result)) == result


def test_process_page_rejects_non_html():
    page = RawPage("x", "t", "u", "u", "u", datetime(2026, 1, 1, tzinfo=UTC), True, html="%PDF-1.7 binary")
    result = process_page(page)
    assert isinstance(result, Reject) and result.reason == "broken_html"
