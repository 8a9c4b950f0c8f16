"""Extraction: trafilatura bodies, script-data fallbacks, metadata, rejects."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from pipeline.models import ExtractedPage, RawPage, Reject
from pipeline.stages.extract import ExtractOptions, detect_language, extract_page, html_to_text

# trafilatura without its fallbacks and baseline (which read JSON-LD bodies themselves)
OURS_ONLY = ExtractOptions(favor_precision=True, fast=True)

PARAS = [
    "경기테크노파크가 과학기술정보통신부로부터 지역 소프트웨어산업 진흥기관으로 공식 지정되며 경기도 AI 전환의 핵심 거점으로 자리매김했다.",
    "12일 경기테크노파크에 따르면 1월 9일부로 소프트웨어진흥법에 근거한 지역SW산업진흥기관으로 지정됐다고 밝혔다.",
    "지정에 따라 경기테크노파크는 경기도내 ICT·SW 융합 생태계 조성의 중심축 역할을 맡게 된다. 대형 국책사업 유치가 주요 과제로 제시됐다.",
]
BODY = "\n".join(PARAS)


def raw(html: str | None, page_id: str = "p1") -> RawPage:
    """A fetched page around the given HTML."""
    when = datetime(2026, 1, 13, tzinfo=UTC)
    return RawPage(page_id, "test", "https://example.kr/a/1", "https://example.kr/a/1", "https://example.kr/a/1",
                   when, True, html=html)


def page(head: str = "", body: str = "") -> str:
    """A minimal HTML document."""
    return f"<!DOCTYPE html><html lang='ko'><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


ARTICLE = page(
    head=(
        "<title>경기테크노파크 지정 - 한빛경제</title>"
        "<meta property='og:title' content='경기테크노파크, SW진흥기관 지정'>"
        "<meta property='og:description' content='AI·제조 융합 전초기지 공식화'>"
        "<meta property='og:site_name' content='한빛경제'>"
        "<meta property='article:section' content='산업'>"
        "<meta property='article:tag' content='AX'><meta property='article:tag' content='경기'>"
        "<meta property='article:published_time' content='2026-01-12T17:53:00+09:00'>"
        "<link rel='canonical' href='https://econ.example/news/1'>"
    ),
    body=(
        "<nav><ul><li><a href='/1'>경제</a></li><li><a href='/2'>산업</a></li></ul></nav>"
        "<article><h1>경기테크노파크, SW진흥기관 지정</h1><p class='date'>입력 2026-01-12 17:53</p>"
        + "".join(f"<p>{p}</p>" for p in PARAS)
        + "<figure><img src='a.jpg'><figcaption>▲경기테크노파크 전경</figcaption></figure>"
        "<p class='byline'>김하늘 기자 sky@econ.example</p></article>"
    ),
)


def test_article_body_and_metadata_are_extracted():
    result = extract_page(raw(ARTICLE))
    assert isinstance(result, ExtractedPage)
    assert result.body_source == "trafilatura"
    for p in PARAS:
        assert p in result.text
    assert result.title == "경기테크노파크, SW진흥기관 지정"
    assert result.section == "산업"
    assert result.tags == ("AX", "경기")
    assert result.canonical_url == "https://econ.example/news/1"
    assert result.sitename == "한빛경제"
    assert result.language == "ko"
    assert result.description == "AI·제조 융합 전초기지 공식화"


def test_visible_date_labels_and_metas_become_hints():
    hints = extract_page(raw(ARTICLE)).html_hints
    assert ("입력", "2026-01-12 17:53") in [(k, v.strip()) for k, v in hints["dates"]]
    assert ("meta_published", "2026-01-12T17:53:00+09:00") in hints["dates"]


def test_figcaptions_and_bylines_are_kept_apart():
    hints = extract_page(raw(ARTICLE)).html_hints
    assert hints["captions"] == ["▲경기테크노파크 전경"]
    assert "김하늘 기자 sky@econ.example" in hints["bylines"]


def test_json_ld_article_body_is_the_fallback_when_html_has_none():
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "제목",
          "articleBody": BODY, "datePublished": "2026-01-12T17:53:00+09:00", "author": {"@type": "Person", "name": "김하늘"}}
    html = page(head=f"<script type='application/ld+json'>{json.dumps(ld, ensure_ascii=False)}</script>", body="<div id='app'></div>")
    # trafilatura's baseline also reads JSON-LD unless favor_precision: ours is under test here
    result = extract_page(raw(html), OURS_ONLY)
    assert result.body_source == "json_ld"
    assert result.text == BODY
    assert "김하늘" in result.html_hints["authors"]
    assert ("ld_published", "2026-01-12T17:53:00+09:00") in result.html_hints["dates"]


def test_next_data_longest_body_is_used_and_html_stripped():
    data = {"props": {"pageProps": {"article": {
        "title": "제목", "summary": "짧은 요약", "body": "".join(f"<p>{p}</p>" for p in PARAS),
        "publishedAt": "2026-01-12T17:53:00+09:00", "author": "김하늘",
        "images": [{"src": "a.jpg", "caption": "▲경기테크노파크 전경"}]}}}}
    html = page(body=f"<div id='__next'></div><script id='__NEXT_DATA__' type='application/json'>{json.dumps(data, ensure_ascii=False)}</script>")
    result = extract_page(raw(html))
    assert result.body_source == "next_data"
    assert result.text == BODY
    assert result.html_hints["captions"] == ["▲경기테크노파크 전경"]
    assert ("meta_published", "2026-01-12T17:53:00+09:00") in result.html_hints["dates"]


def test_next_flight_data_body_is_found():
    payload = json.dumps({"article": {"content": "".join(f"<p>{p}</p>" for p in PARAS)}}, ensure_ascii=False)
    chunk = json.dumps([1, f"5:{payload}\n"], ensure_ascii=False)
    pushes = f"self.__next_f.push([0]);self.__next_f.push({chunk});self.__next_f.push([1,\"x\"])"
    html = page(body=f"<div></div><script>{pushes}</script>")
    result = extract_page(raw(html))
    assert result.body_source == "next_flight"
    assert result.text == BODY


def test_arc_fusion_content_elements_are_joined():
    content = {"headlines": {"basic": "제목"}, "display_date": "2026-01-12T08:53:00Z",
               "credits": {"by": [{"name": "Jane Doe"}]},
               "content_elements": [{"type": "text", "content": p} for p in PARAS] + [{"type": "image", "url": "x"}]}
    script = f"window.Fusion=window.Fusion||{{}};Fusion.globalContent={json.dumps(content, ensure_ascii=False)};Fusion.x=1;"
    result = extract_page(raw(page(body=f"<div id='fusion-app'></div><script>{script}</script>")))
    assert result.body_source == "fusion"
    assert result.text == BODY
    assert "Jane Doe" in result.html_hints["authors"]


def test_description_is_the_last_resort_body():
    html = page(head="<meta property='og:description' content='경기테크노파크가 지역SW산업진흥기관으로 지정됐다.'>", body="<div></div>")
    result = extract_page(raw(html))
    assert result.body_source == "meta_description"
    assert result.text == "경기테크노파크가 지역SW산업진흥기관으로 지정됐다."


def test_page_without_any_body_is_rejected_as_no_body():
    result = extract_page(raw(page(body="<div id='app'></div>")))
    assert isinstance(result, Reject) and result.reason == "no_body" and result.stage == "extract"


def test_empty_404_page_is_an_error_page_not_a_missing_body():
    html = "<html><head><title>404 Not Found | 새한일보</title></head><body><div id='app'></div></body></html>"
    result = extract_page(raw(html))
    assert isinstance(result, Reject) and result.reason == "error_page"


def test_non_html_and_empty_pages_are_broken_html():
    for html in (None, "", "just some plain text without markup", "%PDF-1.7\x00\x00binary"):
        result = extract_page(raw(html))
        assert isinstance(result, Reject) and result.reason == "broken_html", html


def test_stub_threshold_is_an_option():
    ld = {"@type": "NewsArticle", "articleBody": BODY}
    html = page(head=f"<script type='application/ld+json'>{json.dumps(ld, ensure_ascii=False)}</script>",
                body="<article><p>짧은 본문이지만 문장이다. 더 있다.</p></article>")
    assert extract_page(raw(html), OURS_ONLY).body_source == "json_ld"
    assert extract_page(raw(html), ExtractOptions(favor_precision=True, fast=True, stub_chars=0)).body_source == "trafilatura"


def test_language_rule_uses_hangul_share_of_letters():
    assert detect_language("경기도 AI 전환 AX 정책이 본격화된다") == "ko"
    assert detect_language("Gyeonggi launches an AI transformation plan") == "en"
    assert detect_language("経済産業省は新しい補助金制度を発表した") == "other"
    assert detect_language("1234 5678") == "other"


def test_html_to_text_keeps_paragraph_breaks_and_unescapes():
    assert html_to_text("<p>가 &amp; 나</p><p>다<br>라</p>") == "가 & 나\n다\n라"


def test_content_after_a_premature_closing_html_tag_is_read():
    # a saved page that closes the document before its article (a browser still shows it)
    html = ("<html><head><title>제목</title></head><body><div>메뉴</div></body></html>"
            f"<div class='view'><h3 class='view-title'>제목</h3><p>{BODY}</p></div></body></html>")
    result = extract_page(raw(html))
    assert BODY[:30] in result.text
