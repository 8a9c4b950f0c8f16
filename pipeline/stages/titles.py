"""The article's own headline: a visible heading matching a meta title, a 제목 cell, or the
meta title without its site-name and section affixes."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

# Title affixes: "Headline - Site", "Headline < Section < Site", "Site | Board", "Headline #Site".
TITLE_SEPARATOR = re.compile(r"\s+(?:[-|<>:·—–»«]|::)\s+|\s*[|>]\s*|\s+#(?=\S)")
QUOTE_FOLD = {ord(c): '"' for c in "“”„‟″"} | {ord(c): "'" for c in "‘’‚‛′"}
TITLE_CLASS = re.compile(r"tit|subject|headline|heading", re.IGNORECASE)
# a board view's title cell: "제목 : 관광산업 …", "제 목 관광산업 …"
TITLE_LABEL = re.compile(r"^(?:제\s*목|Title|Subject)\s*[:：]?\s*(?P<title>.{4,})$")
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4"})
TITLE_MIN, TITLE_MAX = 4, 200
# Labels of a board view's information row, never a title: "등록일 2025-12-11", "조회수 42"
BOARD_FIELD = re.compile(
    r"^(?:작성일|등록일|게시일|배포일|수정일|작성자|등록자|담당자|담당부서|부서|연락처|전화번호|조회수?|첨부파일|파일|출처)\b"
)


def fold(text: str | None) -> str:
    """Whitespace collapsed and one quote style: for comparing titles, not for output."""
    return " ".join((text or "").translate(QUOTE_FOLD).split())


def heading_text(el: HtmlElement) -> str | None:
    """The title an element shows when it is headline-like: a heading, a title/subject box,
    a 제목 cell, or a bold line alone in a table cell."""
    if not isinstance(el.tag, str) or el.tag in ("script", "style", "a", "title", "meta", "html", "body"):
        return None
    text = " ".join(el.text_content().split())
    if not TITLE_MIN <= len(text) <= TITLE_MAX or BOARD_FIELD.match(text):
        return None
    labelled = TITLE_LABEL.match(text) if el.tag in ("th", "td", "dt", "dd", "li", "div", "p", "span") else None
    if labelled:
        return labelled.group("title")
    if el.tag in HEADING_TAGS or TITLE_CLASS.search(f"{el.get('class', '')} {el.get('id', '')}"):
        return text
    parent = el.getparent()
    if el.tag in ("strong", "b") and parent is not None and parent.tag == "td" and \
            " ".join(parent.text_content().split()) == text:
        return text
    return None


def in_page_chrome(el: HtmlElement) -> bool:
    """True inside navigation, footer, aside or the page header (an article's own <header> is
    the article's): menus and site names, not the article."""
    tags = [a.tag for a in el.iterancestors()]
    if any(t in ("nav", "footer", "aside") for t in tags):
        return True
    if "header" in tags:
        return not any(t in ("article", "main") for t in tags[tags.index("header"):])
    return False


def strip_title_affixes(title: str, sites: set[str]) -> str:
    """The headline part of a meta title: separators split it, site names and labels go,
    and the longest part is the headline."""
    parts = [p.strip() for p in TITLE_SEPARATOR.split(title) if p and p.strip()]
    parts = [p for p in parts if fold(p) not in sites]
    return max(parts, key=len) if parts else ""


LABEL_PART_MAX = 20  # parts of a site's or board's name: "전라남도청 | 도정소식 | 보도자료"
LABEL_TITLE_MAX = 10


def is_label_title(title: str, sites: set[str]) -> bool:
    """A meta title that names the site or the board, not an article: a site name, a breadcrumb
    of short parts, or a very short name."""
    parts = [p.strip() for p in TITLE_SEPARATOR.split(title) if p and p.strip()]
    if not parts or fold(title) in sites or all(fold(p) in sites for p in parts):
        return True
    longest = max(len(p) for p in parts)
    return longest <= LABEL_PART_MAX and (len(parts) > 1 or longest <= LABEL_TITLE_MAX)


def choose_title(tree: HtmlElement, text: str, metas: list[str], sites: set[str]) -> tuple[str | None, str]:
    """The article's own headline and where it came from.

    1. a visible heading equal to a meta title (og:title, JSON-LD headline, <title>) or to its
       headline part (site-name and section affixes dropped), or a prefix of one;
    2. else a 제목 (title) cell, or the last headline-like element before the body's longest
       line (board views, where every meta title is the site's or the board's name);
    3. else the longest part of the first meta title that is not a site name.
    """
    wanted = {fold(m) for m in metas} | {fold(strip_title_affixes(m, sites)) for m in metas}
    wanted -= sites | {""}
    longest = max(text.split("\n"), key=len, default="")
    probe = " ".join(longest.split())[:15]
    matched: list[str] = []
    labelled: str | None = None
    before_body: str | None = None
    body_seen = False
    for el in tree.xpath("//*"):  # the document's elements, also those parsed outside <html>
        if not body_seen and probe and probe in " ".join((el.text or "").split()):
            body_seen = True
        candidate = heading_text(el)
        if candidate is None or in_page_chrome(el):
            continue
        folded = fold(candidate)
        if folded in sites:
            continue
        if folded in wanted or (len(folded) >= 10 and any(m.startswith(folded) for m in wanted)):
            matched.append(candidate)
        if not body_seen and len(candidate) >= 8:
            before_body = candidate
            if TITLE_LABEL.match(" ".join(el.text_content().split())):
                labelled = labelled or candidate
    if matched:
        return max(matched, key=len), "heading"
    if labelled:
        return labelled, "title_cell"
    # the heading before the body only where no meta title can be a headline (board views)
    if before_body and all(is_label_title(m, sites) for m in metas):
        return before_body, "heading_before_body"
    for title in metas:
        stripped = strip_title_affixes(title, sites)
        if stripped:
            return stripped, "meta"
    return None, ""

