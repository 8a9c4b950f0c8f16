"""Extract the main text and metadata of one page: trafilatura first, script data as fallback."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.utils import load_html

from pipeline.models import ExtractedPage, RawPage, Reject
from pipeline.stages.residue import ERROR_TEXT
from pipeline.stages.script_data import (
    body_from_flight,
    body_from_fusion,
    body_from_json_ld,
    body_from_next_data,
    html_to_text,
    json_ld_article,
    json_ld_objects,
    ld_names,
    script_hints,
)
from pipeline.stages.titles import choose_title, fold


@dataclass(frozen=True)
class ExtractOptions:
    """trafilatura settings; defaults chosen on real pages (scripts/eval_real.py --grid).

    On ko_pages and web_pages trafilatura's own defaults keep every body phrase; favor_precision,
    fast and dropping tables (chosen earlier on the synthetic demo) lost phrases and emptied pages.
    """

    favor_precision: bool = False
    include_tables: bool = True
    fast: bool = False
    include_comments: bool = True
    stub_chars: int = 150  # a trafilatura body shorter than this sends us to the script data


STAGE = "extract"

# A page must contain at least one tag to be HTML at all.
TAG = re.compile(r"<\s*[a-zA-Z!][^>]*>")
HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
LATIN = re.compile(r"[A-Za-z]")
LETTER = re.compile(r"[^\W\d_]")

# Visible date labels of Korean and English news templates, followed by the date string.
DATE_LABEL = re.compile(
    r"(?P<label>기사\s*입력|최초\s*입력|입력|최종\s*수정|수정|등록|승인|게재|발행|송고|업데이트|작성|게시|배포|날짜|일자"
    r"|Published|Posted|Updated|Modified)\s*(?:일시|일자|시간|일)?\s*[:：]?\s*"
    r"(?P<value>\d{4}\s*[.\-/년]\s*\d{1,2}\s*[.\-/월]\s*\d{1,2}\s*일?\.?"
    r"(?:\s*\([월화수목금토일]\))?"
    r"(?:\s*(?:오전|오후|AM|PM|am|pm)?\s*\d{1,2}\s*[:시]\s*\d{2}(?:\s*[:분]\s*\d{2})?\s*(?:AM|PM|am|pm)?)?"
    r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}"
    r"(?:,?\s*(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?\s*(?:AM|PM|am|pm|a\.m\.|p\.m\.)?)?(?:\s*(?:KST|UTC|GMT))?)",
)
PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "datePublished", "pubdate",
    "publishdate", "date", "dc.date", "dc.date.issued", "og:regDate", "article:published",
)
UPDATED_META = ("article:modified_time", "og:updated_time", "dateModified", "og:article:modified_time")
BREADCRUMB = (
    '//*[@itemtype="https://schema.org/BreadcrumbList" or @itemtype="http://schema.org/BreadcrumbList"]'
    '|//*[contains(@class,"breadcrumb") or contains(@id,"breadcrumb")]'
    '|//nav[contains(@aria-label,"breadcrumb") or contains(@aria-label,"Breadcrumb")]'
)
BYLINE_XPATH = (
    '//*[contains(@class,"byline") or contains(@class,"writer") or contains(@class,"reporter")'
    ' or contains(@class,"journalist") or contains(@class,"email") or contains(@class,"author")'
    ' or contains(@class,"profile") or contains(@rel,"author")][not(ancestor::aside)][not(ancestor::footer)]'
)
CAPTION_XPATH = '//figcaption|//*[contains(@class,"caption") and not(self::html or self::body)]'


def detect_language(text: str) -> str:
    """ko when Hangul is over 30% of letters, en when ASCII letters dominate, else other."""
    sample = text[:5000]
    letters = len(LETTER.findall(sample))
    if not letters:
        return "other"
    if len(HANGUL.findall(sample)) / letters > 0.3:
        return "ko"
    return "en" if len(LATIN.findall(sample)) / letters > 0.7 else "other"



def byline_texts(tree: HtmlElement) -> list[str]:
    """Short texts of byline/reporter/e-mail elements, where names and e-mails live."""
    texts = []
    for el in tree.xpath(BYLINE_XPATH):
        text = " ".join(" ".join(el.itertext()).split())
        if text and len(text) <= 150 and text not in texts:
            texts.append(text)
    return texts


def contact_person(tree: HtmlElement) -> list[str]:
    """The 담당자 of a press-release contact table (the cell under that header)."""
    for th in tree.xpath('//tr/th[normalize-space()="담당자"]'):
        column = len(th.xpath("preceding-sibling::th|preceding-sibling::td"))
        row = th.getparent().xpath("following::tr[1]")
        cells = row[0].xpath("td|th") if row else []
        if column < len(cells):
            name = " ".join(cells[column].text_content().split())
            if name:
                return [name]
    return []


def meta_values(tree: HtmlElement, names: tuple[str, ...]) -> list[str]:
    """Values of <meta name|property|itemprop=...> in page order, for the given names."""
    wanted = {n.lower() for n in names}
    values = []
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        content = (meta.get("content") or "").strip()
        if key in wanted and content:
            values.append(content)
    return values


def first_meta(tree: HtmlElement, names: tuple[str, ...]) -> str | None:
    """First non-empty value among the given meta names."""
    values = meta_values(tree, names)
    return values[0] if values else None


# Text the reader sees, outside the site footer: Korean news footers carry the paper's own
# registration dates ("등록 2009.12.24 발행 2000.1.1"), which are no article's dates.
VISIBLE_TEXT = (
    "//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::head"
    " or ancestor::footer or ancestor::*[contains(@class,'footer') or contains(@id,'footer')"
    " or contains(@class,'copyright') or contains(@id,'copyright')])]"
)


def visible_text(tree: HtmlElement) -> str:
    """Page text without scripts, styles and the footer, one text node per line."""
    return "\n".join(t.strip() for t in tree.xpath(VISIBLE_TEXT) if t.strip())


# A board view's author field: "작성자 이륭", "작성자 : 관리자", or the label and its value as
# two cells. The value is taken as the page shows it (a name, a team, "관리자").
AUTHOR_FIELD = re.compile(r"^(?:작성자|글쓴이|등록자|게시자|담당자)\s*[:：]?\s*(?P<value>.*)$")
FIELD_VALUE = re.compile(r"^[가-힣A-Za-z][가-힣A-Za-z.·\s]{1,19}$")


def board_authors(lines: list[str]) -> list[str]:
    """Values of author fields among the visible text lines (label and value in one line or two)."""
    found: list[str] = []
    for i, line in enumerate(lines):
        m = AUTHOR_FIELD.match(line)
        if not m:
            continue
        value = m.group("value").strip() or (lines[i + 1].strip() if i + 1 < len(lines) else "")
        value = re.split(r"\s*[(\[]", value)[0].strip()  # "홍길동 (061-…)": the name before the phone
        if FIELD_VALUE.match(value) and value not in found:
            found.append(value)
    return found


def date_hints(tree: HtmlElement, visible: str) -> list[tuple[str, str]]:
    """Labelled date strings visible in the page, <time datetime> values and date metas."""
    hints = [(m.group("label"), m.group("value")) for m in DATE_LABEL.finditer(visible)]
    hints += [("meta_published", v) for v in meta_values(tree, PUBLISHED_META)]
    hints += [("meta_updated", v) for v in meta_values(tree, UPDATED_META)]
    hints += [("time", t.get("datetime")) for t in tree.iter("time") if t.get("datetime")]
    return hints


def ld_dates(ld: dict) -> list[tuple[str, str]]:
    """Published/modified date strings of the JSON-LD article."""
    pairs = (("ld_published", ld.get("datePublished")), ("ld_updated", ld.get("dateModified")))
    return [(k, v) for k, v in pairs if isinstance(v, str) and v]


def breadcrumb_section(tree: HtmlElement) -> str | None:
    """The last short item of a breadcrumb trail, skipping a home link."""
    for crumb in tree.xpath(BREADCRUMB):
        items = [" ".join(a.text_content().split()) for a in crumb.xpath(".//a|.//li")]
        items = [i for i in items if i and len(i) <= 20 and i.lower() not in ("home", "홈", "처음")]
        if items:
            return items[-1]
    return None


def split_keywords(values: list[str]) -> tuple[str, ...]:
    """Tags from article:tag metas and comma-separated keyword lists, unique, in order."""
    tags: list[str] = []
    for value in values:
        for tag in re.split(r"[,;|]", value):
            tag = tag.strip()
            if tag and tag not in tags:
                tags.append(tag)
    return tuple(tags)


LINK_MIN_CHARS = 6  # shorter link texts ("더보기", "1", "Home") are controls, not entries


def link_texts(tree: HtmlElement) -> list[str]:
    """Texts of the page's links, unique: the entries a list page is made of."""
    texts: dict[str, None] = {}
    for a in tree.iter("a"):
        text = " ".join(a.text_content().split())
        if len(text) >= LINK_MIN_CHARS:
            texts[text] = None
    return list(texts)


def captions_in(tree: HtmlElement) -> list[str]:
    """Figure captions of the page, whitespace collapsed."""
    caps = []
    for el in tree.xpath(CAPTION_XPATH):
        text = " ".join(el.text_content().split())
        if text and text not in caps and len(text) < 400:
            caps.append(text)
    return caps


# htmldate's extensive search hands every date-like string to dateparser, which built regexes for
# every locale: 80 % of extraction time in a profile. Our own date stage reads the page's
# 입력/수정 labels and meta tags, so trafilatura's quick search is only a fallback.
DATE_PARAMS = {"extensive_search": False, "original_date": True}


def site_names(tree: HtmlElement, ld_objects: list[dict]) -> set[str]:
    """Names the site calls itself: og:site_name, application-name, JSON-LD publisher/website."""
    names = set(meta_values(tree, ("og:site_name", "application-name", "twitter:site")))
    for obj in ld_objects:
        if obj.get("@type") in ("Organization", "WebSite", "NewsMediaOrganization"):
            names.update(ld_names(obj.get("name")))
        names.update(ld_names(obj.get("publisher")))
    return {fold(n) for n in names if n and n.strip()}



def trafilatura_doc(tree: HtmlElement, url: str, options: ExtractOptions) -> dict:
    """Run trafilatura on a parsed tree; an empty dict when it finds nothing."""
    try:
        doc = bare_extraction(
            tree, url=url, with_metadata=True, include_comments=options.include_comments,
            favor_precision=options.favor_precision, include_tables=options.include_tables,
            fast=options.fast, deduplicate=False, date_extraction_params=DATE_PARAMS,
        )
    except Exception:  # noqa: BLE001 - trafilatura raises assorted errors on odd trees: nothing found
        return {}
    return doc.as_dict() if doc is not None else {}


def fallback_body(tree: HtmlElement, ld_article: dict) -> tuple[str, str]:
    """The first script-data body found, with its source name."""
    for source, text in (
        ("json_ld", lambda: body_from_json_ld(ld_article)),
        ("next_data", lambda: body_from_next_data(tree)),
        ("next_flight", lambda: body_from_flight(tree)),
        ("fusion", lambda: body_from_fusion(tree)),
    ):
        found = text()
        if found:
            return found, source
    return "", ""


def choose_body(doc_text: str, tree: HtmlElement, ld: dict, stub: int) -> tuple[str, str]:
    """trafilatura's text unless it is a stub and script data holds more; then descriptions."""
    if len(doc_text) >= stub:
        return doc_text, "trafilatura"
    script_body, source = fallback_body(tree, ld)
    if len(script_body) > len(doc_text):
        return script_body, source
    if doc_text:
        return doc_text, "trafilatura"
    descriptions = meta_values(tree, ("og:description", "description", "twitter:description"))
    if descriptions:
        return html_to_text(max(descriptions, key=len)), "meta_description"
    return "", ""


CLOSING_DOCUMENT = re.compile(r"</\s*(?:body|html)\s*>", re.IGNORECASE)
OPENING_TAG = re.compile(r"<\s*[a-zA-Z]")


def parse_tree(page: RawPage) -> HtmlElement | None:
    """Parse the decoded HTML; None when it is not HTML at all."""
    html = page.html or ""
    if not TAG.search(html[:5000]) or "\x00" in html[:2000]:
        return None
    # A browser keeps what follows a premature </body> or </html> in the body; the parser would
    # leave it outside the tree (a saved page or a CMS include that closes the document twice).
    closing = CLOSING_DOCUMENT.search(html)
    if closing and OPENING_TAG.search(html, closing.end()):
        html = CLOSING_DOCUMENT.sub("", html)
    try:
        tree = load_html(html)
    except (ValueError, etree.ParserError):
        return None
    return tree if tree is not None and len(tree) else None


def extract_page(page: RawPage, options: ExtractOptions = ExtractOptions()) -> ExtractedPage | Reject:
    """Main text and metadata of a fetched page, or a Reject (broken_html, no_body)."""
    url = page.final_url or page.url
    tree = parse_tree(page)
    if tree is None:
        return Reject(page.page_id, page.source, page.url, STAGE, "broken_html")
    doc = trafilatura_doc(tree, url, options)
    ld_objects = json_ld_objects(tree)
    ld = json_ld_article(ld_objects)
    # readers' comments follow the body, as in trafilatura.extract's own output
    main = "\n".join(part for part in (doc.get("text"), doc.get("comments")) if part)
    text, body_source = choose_body(main, tree, ld, options.stub_chars)
    if not text.strip():
        # an error page with nothing extractable still deserves its own reason
        reason = "error_page" if ERROR_TEXT.search(tree.findtext(".//title") or "") else "no_body"
        return Reject(page.page_id, page.source, page.url, STAGE, reason)
    metas = [*meta_values(tree, ("og:title", "twitter:title")), ld.get("headline"),
             tree.findtext(".//title"), doc.get("title")]
    metas = [" ".join(m.split()) for m in metas if isinstance(m, str) and m.strip()]
    title, _ = choose_title(tree, text, metas, site_names(tree, ld_objects))
    description = first_meta(tree, ("og:description", "description", "twitter:description"))
    authors = ld_names(ld.get("author")) + meta_values(tree, ("author", "article:author", "dable:author"))
    canonical = tree.xpath('string(//link[@rel="canonical"]/@href)') or first_meta(tree, ("og:url",))
    section = first_meta(tree, ("article:section",)) or ld.get("articleSection") or breadcrumb_section(tree)
    if isinstance(section, list):
        section = section[0] if section else None
    keywords = meta_values(tree, ("article:tag", "news_keywords", "keywords"))
    if isinstance(ld.get("keywords"), (str, list)) and not keywords:
        kw = ld["keywords"]
        keywords = [kw] if isinstance(kw, str) else [str(k) for k in kw]
    script = script_hints(tree)
    visible = visible_text(tree)
    hints = {
        "dates": date_hints(tree, visible) + ld_dates(ld) + script.get("dates", []),
        "board_authors": board_authors(visible.split("\n")),
        "authors": [a for a in authors + script.get("authors", []) + contact_person(tree) if a],
        "bylines": byline_texts(tree),
        "emails": script.get("emails", []),
        "captions": captions_in(tree) + script.get("captions", []),
        "subtitle": script.get("subtitle") or first_meta(tree, ("og:description",)),
        "trafilatura_title": doc.get("title"),
        "html_title": tree.findtext(".//title"),
        "link_texts": link_texts(tree),
    }
    return ExtractedPage(
        page_id=page.page_id,
        source=page.source,
        url=page.url,
        title=(title or "").strip() or None,
        text=text,
        body_source=body_source,
        author=doc.get("author"),
        date=doc.get("date"),
        date_updated=next((v for k, v in hints["dates"] if k in ("meta_updated", "ld_updated")), None),
        sitename=doc.get("sitename") or first_meta(tree, ("og:site_name",)),
        description=description,
        section=(str(section).strip() or None) if section else None,
        tags=split_keywords(keywords) or tuple(doc.get("tags") or ()),
        canonical_url=canonical or page.canonical_url or None,
        language=detect_language(f"{title or ''}\n{text}"),
        html_hints=hints,
    )
