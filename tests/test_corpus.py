"""The demo corpus: pages match their content, encodings hold, gold spans and gold file agree."""

from __future__ import annotations

import importlib.util
import json
import re
from html import unescape
from pathlib import Path

import pytest

from pipeline.corpus.markup import strip_markup
from pipeline.corpus.render import load_content, page_path, render_corpus, render_page
from pipeline.corpus.templates import OUTLETS, render_html
from pipeline.models import LABELS
from pipeline.sources import load_sources

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "data" / "demo" / "content"
PAGES = ROOT / "data" / "demo" / "pages"
GOLD = ROOT / "tests" / "gold" / "extraction.jsonl"
MIN_PAGES = 40
HANGUL = re.compile(r"[가-힣]")
NEXT_DATA = re.compile(r'<script id="__NEXT_DATA__" type="application/json">(.*?)</script>', re.DOTALL)

ITEMS = load_content(CONTENT)
ARTICLES = [i for i in ITEMS if i.get("kind", "article") == "article"]
# Particles that must stay outside a span ('도' is left out: 경기도 is a name, not 경기 + 도).
PARTICLES = ("에서", "으로", "은", "는", "이", "가", "을", "를", "의", "에", "로", "와", "과")
NAME_LABELS = ("PERSON", "ORG", "LOCATION")


def _known_names() -> frozenset[str]:
    """Every PERSON/ORG/LOCATION surface of the corpus and every reference name and alias."""
    from pipeline.reference import load_reference

    ref = load_reference()
    names = {s.text for i in ARTICLES for p in i["paragraphs"] for s in strip_markup(p)[1]
             if s.label in NAME_LABELS}
    for org in ref.organizations:
        names.update((org.canonical, *org.aliases))
    for region in ref.regions:
        names.update((region.name, *region.aliases))
    return frozenset(names)


KNOWN_NAMES = _known_names()


def _ends_with_particle_of_known_name(span) -> bool:
    """True for a name span that swallowed its particle ('경기테크노파크가')."""
    if span.label not in NAME_LABELS:
        return False
    return any(span.text.endswith(p) and span.text[: -len(p)] in KNOWN_NAMES
               and span.text not in KNOWN_NAMES for p in PARTICLES)


def test_particle_check_flags_a_glued_particle() -> None:
    glued = strip_markup("{{경기테크노파크가|ORG}} 밝혔다.")[1][0]
    clean = strip_markup("{{경기테크노파크|ORG}}가 밝혔다.")[1][0]
    assert _ends_with_particle_of_known_name(glued)
    assert not _ends_with_particle_of_known_name(clean)


def _item(**overrides) -> dict:
    """A small article item for template unit tests."""
    base = {
        "id": "t-001", "outlet": "econ", "kind": "article", "lang": "ko", "encoding": "utf-8",
        "url": "https://www.hanbiteconomy.co.kr/news/articleView.html?idxno=1", "section": "산업",
        "title": "경기TP <지정> & 확대", "subtitle": None,
        "published": "2026-01-12T17:53:00+09:00", "updated": None,
        "authors": ["김하늘"], "emails": ["sky@hanbiteconomy.co.kr"], "tags": [],
        "captions": [{"after": 0, "text": "▲전경"}], "story": None,
        "paragraphs": ["{{경기테크노파크|ORG}}가 {{12일|DATE}} 밝혔다.", "둘째 문단 </script> 포함."],
    }
    return {**base, **overrides}


def test_rendered_pages_are_up_to_date(tmp_path: Path) -> None:
    fresh = tmp_path / "pages"
    render_corpus(CONTENT, fresh)
    expected = {p.relative_to(fresh): p.read_bytes() for p in fresh.glob("*/*.html")}
    committed = {p.relative_to(PAGES): p.read_bytes() for p in PAGES.glob("*/*.html")}
    assert sorted(committed) == sorted(expected), "run: python -m pipeline.corpus.render"
    stale = [str(p) for p in expected if committed[p] != expected[p]]
    assert not stale, f"stale pages (re-render): {stale[:5]}"


def test_rendering_is_deterministic() -> None:
    for item in ITEMS[:5]:
        assert render_page(item) == render_page(dict(item))


@pytest.mark.parametrize("item", [i for i in ITEMS if i.get("encoding") == "euc-kr"], ids=lambda i: i["id"])
def test_euc_kr_page_decodes_to_hangul(item: dict) -> None:
    raw = (PAGES / page_path(item)).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("euc-kr")
    assert 'charset="euc-kr"' in text
    assert len(HANGUL.findall(text)) > 500


def test_batch_has_euc_kr_and_nextjs_pages() -> None:
    assert sum(i.get("encoding") == "euc-kr" for i in ITEMS) >= 2
    assert any(i["outlet"] == "nextjs" for i in ARTICLES)


def test_page_ids_are_unique_and_files_exist() -> None:
    ids = [i["id"] for i in ITEMS]
    assert len(ids) == len(set(ids))
    for item in ITEMS:
        assert (PAGES / page_path(item)).is_file(), item["id"]


def test_corpus_has_enough_pages() -> None:
    if len(ITEMS) < MIN_PAGES:
        pytest.skip(f"only {len(ITEMS)} pages so far; {MIN_PAGES} expected once all batches exist")
    assert len(list(PAGES.glob("*/*.html"))) >= MIN_PAGES


@pytest.mark.parametrize("item", ARTICLES, ids=lambda i: i["id"])
def test_markup_spans_match_their_surface(item: dict) -> None:
    for marked in item["paragraphs"]:
        text, spans = strip_markup(marked)
        assert not any(c in text for c in "{}|"), f"markup left in: {text[:60]}"
        for span in spans:
            assert span.label in LABELS, span
            assert span.text and span.canonical.strip(), span
            assert not span.text[0].isspace() and not span.text[-1].isspace(), span
            assert not _ends_with_particle_of_known_name(span), span


@pytest.mark.parametrize("item", ARTICLES, ids=lambda i: i["id"])
def test_every_paragraph_appears_in_its_page(item: dict) -> None:
    raw = (PAGES / page_path(item)).read_bytes()
    html = raw.decode(item.get("encoding") or "utf-8")
    if item["outlet"] == "nextjs":
        match = NEXT_DATA.search(html)
        assert match, "no __NEXT_DATA__ script"
        body = json.loads(match.group(1))["props"]["pageProps"]["article"]["body"]
        haystack = unescape(body)
        assert "<p>" not in re.sub(r"<script.*?</script>", "", html, flags=re.DOTALL).split("<body", 1)[1]
    else:
        haystack = unescape(html)
    for marked in item["paragraphs"]:
        assert strip_markup(marked)[0] in haystack


def test_article_content_is_within_bounds() -> None:
    for item in ARTICLES:
        body = "\n".join(strip_markup(p)[0] for p in item["paragraphs"])
        assert item["outlet"] in OUTLETS, item["id"]
        assert item["published"][-6:] in ("+09:00", "+00:00"), item["id"]
        assert len(item["paragraphs"]) >= 3 and len(body) >= 300, item["id"]


def test_gold_file_matches_content() -> None:
    spec = importlib.util.spec_from_file_location("build_gold", ROOT / "tests/gold/build_extraction_gold.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert GOLD.read_text(encoding="utf-8") == module.gold_lines(CONTENT), "run the gold builder"
    records = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == [i["id"] for i in ARTICLES]
    assert all((ROOT / r["path"]).is_file() for r in records)


def test_sources_file_covers_every_outlet_folder() -> None:
    sources = load_sources(ROOT / "data" / "demo" / "sources.toml")
    locations = {Path(s.location) for s in sources}
    folders = {p.resolve() for p in PAGES.iterdir() if p.is_dir()}
    assert folders <= locations
    assert all(s.kind == "html_dir" and s.outlet for s in sources)


def test_template_escapes_title_and_body() -> None:
    html = render_html(_item())
    assert "<title>경기TP &lt;지정&gt; &amp; 확대 - 한빛경제</title>" in html
    assert "둘째 문단 &lt;/script&gt; 포함." in html


def test_nextjs_template_keeps_body_out_of_the_markup() -> None:
    html = render_html(_item(outlet="nextjs"))
    shell = NEXT_DATA.sub("", html)
    assert '<div id="__next"></div>' in html
    # The lead may show in the meta description, as on real sites; later paragraphs may not.
    assert "둘째 문단" not in shell
    assert "경기테크노파크가" not in shell.split("<body", 1)[1]
    data = json.loads(NEXT_DATA.search(html).group(1))
    article = data["props"]["pageProps"]["article"]
    assert article["publishedAt"] == "2026-01-12T17:53:00+09:00" and article["author"] == "김하늘"
    assert "<\\/script>" in NEXT_DATA.search(html).group(1) or "&lt;/script&gt;" in article["body"]


@pytest.mark.parametrize(
    ("outlet", "stamp"),
    [
        ("econ", "입력 2026-01-12 17:53"),
        ("daily", "입력 2026.01.12 17:53"),
        ("wire", "2026.01.12 오후 5:53"),
        ("regional", "2026년 1월 12일"),
        ("agency", "2026-01-12"),
        ("en", "Published Jan 12, 2026 5:53 PM KST"),
    ],
)
def test_each_template_writes_its_own_timestamp_format(outlet: str, stamp: str) -> None:
    assert stamp in render_html(_item(outlet=outlet))


def test_article_pages_carry_boilerplate() -> None:
    html = render_html(_item())
    for piece in ("가장작게", "가장크게", "좋아요", "추가취재 원해요", "로그인", "회원가입",
                  "무단전재 및 재배포 금지", "주요 뉴스", "구독하기", "▲전경", "sky@hanbiteconomy.co.kr"):
        assert piece in html, piece


def test_caption_follows_its_paragraph() -> None:
    html = render_html(_item(captions=[{"after": 1, "text": "▲둘째 뒤"}]))
    assert html.index("둘째 문단") < html.index("▲둘째 뒤")


def test_non_article_kinds_render() -> None:
    index = render_html(_item(kind="section_index", title="산업", items=[
        {"title": "기사 하나", "url": "https://x/1", "summary": "요약"}]))
    assert "기사 하나" in index and "요약" in index
    error = render_html(_item(kind="error_page", title=None, paragraphs=[]))
    assert "요청하신 페이지를 찾을 수 없습니다" in error


def test_unknown_outlet_is_refused() -> None:
    with pytest.raises(ValueError):
        render_html(_item(outlet="blog"))
