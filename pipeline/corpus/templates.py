"""HTML templates for the demo corpus: one render function per outlet template key.

Each function takes one content item (see data/demo/content/README.md) and returns the whole page
as text. Everything a template adds around the paragraphs (menus, buttons, counts, captions,
bylines, tickers, related news, copyright) is boilerplate that extraction must remove.
Output depends on the item only: counts and picks come from a hash of the item id, never from
the clock or an unseeded random generator.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape

from pipeline.corpus.page_parts import (
    ATTACHMENT_TYPES,
    HEADLINES_EN,
    OUTLETS,
    body_blocks,
    byline_names,
    byline_with_email,
    copyright_line,
    crypto_ticker,
    description,
    document,
    fmt_ampm,
    fmt_dash,
    fmt_dot,
    fmt_english,
    fmt_korean_date,
    font_buttons,
    headline_links,
    image_url,
    index_ticker,
    link_list,
    meta_tags,
    nav,
    parse_time,
    plain_paragraphs,
    reactions,
    seeded,
    share_buttons,
    site_footer,
    subscribe_box,
)

# ---------------------------------------------------------------- article templates


def render_econ(item: dict, charset: str) -> str:
    """Economic daily in the seed page's style: dash timestamps, crypto sidebar, ▲ captions."""
    o = OUTLETS["econ"]
    pub, upd = parse_time(item["published"]), parse_time(item.get("updated"))
    head = f"<title>{escape(item['title'])} - {o.name}</title>\n" + meta_tags([
        ("name", "description", description(item)),
        ("property", "og:type", "article"),
        ("property", "og:site_name", o.name),
        ("property", "og:title", item["title"]),
        ("property", "og:url", item["url"]),
        ("property", "og:image", image_url(o, item, 1)),
        ("property", "og:description", description(item)),
        ("property", "article:published_time", pub.isoformat()),
        ("property", "article:modified_time", upd.isoformat() if upd else ""),
        ("property", "article:section", item.get("section", "")),
    ]) + f'\n<link rel="canonical" href="{escape(item["url"])}">'
    dates = f'<li class="date">입력 {fmt_dash(pub)}</li>'
    if upd:
        dates += f'<li class="date">수정 {fmt_dash(upd)}</li>'
    paras = body_blocks(o, item, lambda i, t: f"<p>{escape(t)}</p>")
    sub = f'<h2 class="subtitle">{escape(item["subtitle"])}</h2>' if item.get("subtitle") else ""
    related = headline_links(o, item, "econ-main", 8)
    body = (
        f"{nav(o)}{index_ticker(item)}<div id=\"container\"><main id=\"content\"><article class=\"news\">"
        f'<div class="breadcrumb"><a href="/">홈</a> &gt; <a href="/section">{escape(item.get("section", ""))}</a></div>'
        f'<header class="article-head"><h1 class="headline">{escape(item["title"])}</h1>'
        f'<ul class="info">{dates}</ul>{font_buttons()}{sub}</header>'
        f'<div id="articleBody" class="article-body">{"".join(paras)}</div>'
        f'<p class="byline">{escape(byline_with_email(item))}</p>'
        f"{reactions(item)}{copyright_line(o)}{share_buttons(item)}</article></main>"
        f'<aside id="sidebar"><section class="main-news"><h3>주요 뉴스</h3>{link_list(related, "list")}</section>'
        f'<section class="rising"><h3>오늘의 상승종목</h3></section>{crypto_ticker(item)}'
        f"{subscribe_box(o)}</aside></div>{site_footer(o)}"
    )
    return document("ko", charset, head, body, "article-view")


def render_daily(item: dict, charset: str) -> str:
    """General daily: <br>-separated body text, author meta, dot timestamps, no published_time meta."""
    o = OUTLETS["daily"]
    pub, upd = parse_time(item["published"]), parse_time(item.get("updated"))
    head = f"<title>{escape(item['title'])} | {o.name}</title>\n" + meta_tags([
        ("name", "description", description(item)),
        ("name", "author", ", ".join(item.get("authors") or [])),
        ("name", "keywords", ",".join(item.get("tags") or [])),
        ("property", "og:site_name", o.name),
        ("property", "og:title", item["title"]),
        ("property", "og:url", item["url"]),
        ("property", "og:image", image_url(o, item, 1)),
    ]) + f'\n<link rel="canonical" href="{escape(item["url"])}">'
    stamp = f"입력 {fmt_dot(pub)}" + (f" | 수정 {fmt_dot(upd)}" if upd else "")
    # Korean dailies often ship the body as one text block split by <br> tags.
    blocks = body_blocks(o, item, lambda i, t: escape(t))
    text = "<br><br>\n".join(blocks)
    emails = " ".join(item.get("emails") or [])
    ranking = headline_links(o, item, "daily-rank", 10)
    relateds = headline_links(o, item, "daily-rel", 3)
    body = (
        f'{nav(o)}<div class="wrap"><div class="article_head"><span class="section">{escape(item.get("section", ""))}</span>'
        f'<h2 class="tit">{escape(item["title"])}</h2>'
        + (f'<h3 class="sub_tit">{escape(item["subtitle"])}</h3>' if item.get("subtitle") else "")
        + f'<div class="byline"><span class="name">{escape(o.name)} {escape(byline_names(item))}</span>'
        f'<span class="date">{stamp}</span></div>{font_buttons()}{share_buttons(item)}</div>'
        f'<div class="article_txt" itemprop="articleBody">{text}<br><br>\n{escape(emails)}</div>'
        f'{reactions(item)}<div class="relation"><h4>관련기사</h4>{link_list(relateds, "rel")}</div>'
        f"{copyright_line(o)}</div>"
        f'<aside class="side"><h4>많이 본 뉴스</h4>{link_list(ranking, "rank", ordered=True)}'
        f"{index_ticker(item)}{subscribe_box(o)}</aside>{site_footer(o)}"
    )
    return document("ko", charset, head, body, "view")


def render_wire(item: dict, charset: str) -> str:
    """News agency: dateline before the lead, 송고 time as 오전/오후, tip line after the body."""
    o = OUTLETS["wire"]
    pub, upd = parse_time(item["published"]), parse_time(item.get("updated"))
    head = f"<title>{escape(item['title'])} | {o.name}</title>\n" + meta_tags([
        ("name", "description", description(item)),
        ("property", "og:title", item["title"]),
        ("property", "og:url", item["url"]),
        ("property", "og:site_name", o.name),
        ("property", "og:type", "article"),
        ("property", "article:published_time", pub.isoformat()),
    ]) + f'\n<link rel="canonical" href="{escape(item["url"])}">'
    city = item.get("dateline") or "서울"
    authors = item.get("authors") or []
    dateline = f"({city}={o.name}) {' '.join(authors)} 기자 = " if authors else f"({city}={o.name}) "

    def para(i: int, t: str) -> str:
        lead = f'<span class="dateline">{escape(dateline)}</span>' if i == 0 else ""
        return f"<p>{lead}{escape(t)}</p>"

    blocks = body_blocks(o, item, para)
    emails = " ".join(item.get("emails") or [])
    stamp = f'<p class="update-time">송고시간 {fmt_ampm(pub)}</p>'
    if upd:
        stamp += f'<p class="update-time">최종수정 {fmt_ampm(upd)}</p>'
    body = (
        f"{nav(o)}<div id=\"articleWrap\"><div class=\"title-article\"><h1 class=\"tit\">{escape(item['title'])}</h1>"
        f"{stamp}{font_buttons()}</div>"
        f'<div class="story-news article">{"".join(blocks)}<p class="email">{escape(emails)}</p>'
        f'<p class="adrs">제보는 카카오톡 knt제보, 이메일 jebo@{o.domain.removeprefix("www.")}</p></div>'
        f'<p class="txt-copyright">{o.name} 제공 기사 무단전재 및 재배포 금지</p>{share_buttons(item)}'
        f'<section class="popular"><h2>많이 본 뉴스</h2>{link_list(headline_links(o, item, "wire", 6), "list", True)}</section>'
        f"</div>{site_footer(o)}"
    )
    return document("ko", charset, head, body, "wire-article")


def render_regional(item: dict, charset: str) -> str:
    """Regional paper (a common Korean CMS): Korean long date, og:url only, no canonical."""
    o = OUTLETS["regional"]
    pub = parse_time(item["published"])
    head = f"<title>{escape(item['title'])} - {o.name}</title>\n" + meta_tags([
        ("property", "og:title", item["title"]),
        ("property", "og:url", item["url"]),
        ("property", "og:description", description(item)),
        ("property", "og:site_name", o.name),
        ("property", "og:image", image_url(o, item, 1)),
    ])
    names = item.get("authors") or []
    emails = list(item.get("emails") or [])
    blocks = body_blocks(o, item, lambda i, t: f"<p>{escape(t)}</p>")
    info = (
        f'<ul class="infomation"><li><i class="icon-user"></i> {escape(byline_names(item))}</li>'
        f'<li><i class="icon-clock"></i> 기사입력 {fmt_korean_date(pub)} {pub:%H:%M}</li>'
        f'<li><i class="icon-eye"></i> 조회수 {100 + seeded(item["id"], "views", 3000):,}</li></ul>'
    )
    writer = ""
    if names:
        mail = f" {emails[0]}" if emails else ""
        writer = f'<div class="writer">{escape(names[0])} 기자{escape(mail)}<a href="/news/articleList.html?sc_area=I">다른기사 보기</a></div>'
    body = (
        f'{nav(o)}{index_ticker(item)}<section id="section"><header class="article-view-header">'
        f'<div class="info-group"><span>{escape(item.get("section", ""))}</span></div>'
        f'<h3 class="heading">{escape(item["title"])}</h3>'
        + (f'<h4 class="subheading">{escape(item["subtitle"])}</h4>' if item.get("subtitle") else "")
        + f"{info}{font_buttons()}</header>"
        f'<article id="article-view-content-div" class="article-veiw-body">{"".join(blocks)}</article>'
        f"{writer}{reactions(item)}{copyright_line(o)}{share_buttons(item)}"
        f'<div class="auto-article"><h2>관련기사</h2>{link_list(headline_links(o, item, "reg-rel", 4), "rel")}</div>'
        f'<div class="auto-article"><h2>주요뉴스</h2>{link_list(headline_links(o, item, "reg-main", 5), "main")}</div>'
        f"{subscribe_box(o)}</section>{site_footer(o)}"
    )
    return document("ko", charset, head, body, "regional")


def render_agency(item: dict, charset: str) -> str:
    """Public agency 보도자료 board: view table, attachments, 담당부서/연락처 table."""
    o = OUTLETS["agency"]
    site = item.get("site_name") or o.name
    pub = parse_time(item["published"])
    head = f"<title>보도자료 상세보기 | {escape(site)}</title>\n" + meta_tags([
        ("property", "og:title", item["title"]),
        ("property", "og:site_name", site),
        ("name", "description", description(item)),
    ])
    dept = item.get("department") or "지역혁신정책팀"
    person = (item.get("authors") or ["담당자"])[0]
    phone = item.get("contact") or f"031-500-{3000 + seeded(item['id'], 'tel', 900)}"
    files = item.get("attachments") or [
        f"[{kind}] {item['title'][:30]}.{ext}" for ext, kind in ATTACHMENT_TYPES[:2]
    ]
    file_rows = "".join(
        f'<li><a href="/board/download.do?fileSn={i}&amp;id={escape(item["id"])}">{escape(f)}</a> '
        f'<span class="size">({120 + seeded(f, "size", 900)}KB)</span></li>'
        for i, f in enumerate(files)
    )
    blocks = body_blocks(o, item, lambda i, t: f"<p>{escape(t)}</p>")
    body = (
        f'{nav(o)}<div id="sub_container"><div class="location">홈 &gt; 알림마당 &gt; 보도자료</div>'
        '<h2 class="sub_tit">보도자료</h2><div class="board_view"><table class="view_table">'
        '<caption>보도자료 상세 - 제목, 작성자, 등록일, 조회수, 첨부파일</caption><tbody>'
        f'<tr><th scope="row">제목</th><td colspan="3">{escape(item["title"])}</td></tr>'
        f'<tr><th scope="row">작성자</th><td>{escape(dept)}</td>'
        f'<th scope="row">등록일</th><td>{pub:%Y-%m-%d %H:%M}</td></tr>'
        f'<tr><th scope="row">조회수</th><td>{50 + seeded(item["id"], "hits", 900)}</td>'
        f'<th scope="row">첨부파일</th><td><ul class="file_list">{file_rows}</ul></td></tr>'
        f'</tbody></table><div class="board_view_cont">{"".join(blocks)}</div>'
        '<table class="contact_table"><caption>담당부서 및 연락처</caption><thead><tr>'
        '<th>담당부서</th><th>담당자</th><th>연락처</th></tr></thead><tbody>'
        f'<tr><td>{escape(dept)}</td><td>{escape(person)}</td><td>{escape(phone)}</td></tr></tbody></table>'
        '<ul class="board_nav"><li><span>이전글</span><a href="/board/view.do?prev=1">2025년 지역산업 성과교류회 개최 안내</a></li>'
        '<li><span>다음글</span><a href="/board/view.do?next=1">입주기업 대상 AI 바우처 설명회 개최</a></li></ul>'
        '<div class="btn_area"><a href="/board/list.do" class="btn">목록</a>'
        '<button type="button" class="print">인쇄</button></div></div>'
        '<p class="kogl">본 저작물은 공공누리 제1유형에 따라 출처표시 조건으로 이용할 수 있습니다.</p></div>'
        f"{site_footer(o)}"
    )
    return document("ko", charset, head, body, "board")


def render_en(item: dict, charset: str) -> str:
    """English outlet: author meta, JSON-LD without the body, 'Published … KST' line."""
    o = OUTLETS["en"]
    pub, upd = parse_time(item["published"]), parse_time(item.get("updated"))
    authors = item.get("authors") or []
    ld = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": item["title"],
        "datePublished": pub.isoformat(), "dateModified": (upd or pub).isoformat(),
        "author": [{"@type": "Person", "name": a} for a in authors],
        "publisher": {"@type": "Organization", "name": o.name},
        "mainEntityOfPage": item["url"],
    }
    head = f"<title>{escape(item['title'])} | {o.name}</title>\n" + meta_tags([
        ("name", "description", description(item)),
        ("name", "author", ", ".join(authors)),
        ("property", "og:type", "article"),
        ("property", "og:title", item["title"]),
        ("property", "og:url", item["url"]),
        ("property", "og:site_name", o.name),
        ("property", "article:published_time", pub.isoformat()),
    ]) + (
        f'\n<link rel="canonical" href="{escape(item["url"])}">\n'
        f'<script type="application/ld+json">{script_json(ld)}</script>'
    )
    stamp = f"Published {fmt_english(pub)}" + (f" · Updated {fmt_english(upd)}" if upd else "")
    emails = list(item.get("emails") or [])
    by = " and ".join(authors)
    blocks = body_blocks(o, item, lambda i, t: f"<p>{escape(t)}</p>")
    body = (
        f'{nav(o)}<main><article class="story"><p class="kicker">{escape(item.get("section", ""))}</p>'
        f'<h1>{escape(item["title"])}</h1>'
        + (f'<p class="dek">{escape(item["subtitle"])}</p>' if item.get("subtitle") else "")
        + f'<div class="meta"><span class="by">By {escape(by)}</span><time datetime="{pub.isoformat()}">{stamp}</time></div>'
        f'{share_buttons(item, english=True)}<div class="story-body">{"".join(blocks)}</div>'
        f'<p class="contact">{escape(", ".join(emails))}</p>{copyright_line(o, english=True)}</article>'
        f'<aside><h3>Most Read</h3>{link_list(headline_links(o, item, "en", 5, HEADLINES_EN), "most-read", True)}'
        f"{subscribe_box(o, english=True)}</aside></main>{site_footer(o, english=True)}"
    )
    return document("en", charset, head, body, "article")


def script_json(data: dict) -> str:
    """JSON for a <script> element: keeps Hangul, escapes '</' so the script cannot close early."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def render_nextjs(item: dict, charset: str) -> str:
    """Next.js outlet: the body lives only in __NEXT_DATA__; the page shell is empty."""
    o = OUTLETS["nextjs"]
    authors = item.get("authors") or []
    emails = item.get("emails") or []
    article = {
        "id": item["id"], "title": item["title"], "subtitle": item.get("subtitle"),
        "body": "".join(f"<p>{escape(t, quote=False)}</p>" for t in plain_paragraphs(item)),
        "publishedAt": item["published"], "updatedAt": item.get("updated"),
        "author": ", ".join(authors), "authorEmail": emails[0] if emails else None,
        "section": item.get("section"), "tags": item.get("tags") or [],
        "images": [
            {"src": image_url(o, item, n), "caption": c["text"]}
            for n, c in enumerate(item.get("captions") or [], 1)
        ],
        "stats": {"views": 300 + seeded(item["id"], "views", 9000), "likes": seeded(item["id"], "likes", 80)},
    }
    data = {
        "props": {"pageProps": {"article": article, "related": [
            {"title": t, "href": h} for t, h in headline_links(o, item, "next", 4)
        ]}, "__N_SSP": True},
        "page": "/news/[id]", "query": {"id": item["id"]},
        "buildId": "k3Xv9rQe2mTz", "isFallback": False, "gssp": True, "scriptLoader": [],
    }
    head = f"<title>{escape(item['title'])} | {o.name}</title>\n" + meta_tags([
        ("name", "description", description(item)),
        ("property", "og:title", item["title"]),
        ("property", "og:url", item["url"]),
        ("property", "og:site_name", o.name),
        ("property", "og:image", image_url(o, item, 1)),
    ]) + (
        f'\n<link rel="canonical" href="{escape(item["url"])}">\n'
        '<link rel="preload" href="/_next/static/css/7a1c2f0e.css" as="style">\n'
        '<script src="/_next/static/chunks/webpack-5d2f1b.js" defer></script>\n'
        '<script src="/_next/static/chunks/pages/news/[id]-9be04c.js" defer></script>'
    )
    body = (
        '<noscript>이 사이트는 자바스크립트를 사용합니다. 브라우저 설정에서 자바스크립트를 켜 주세요.</noscript>\n'
        '<div id="__next"></div>\n'
        f'<script id="__NEXT_DATA__" type="application/json">{script_json(data)}</script>'
    )
    return document("ko", charset, head, body, "")


# ---------------------------------------------------------------- non-article kinds


def render_section_index(item: dict, charset: str) -> str:
    """A section list page: headlines with links, summaries and dates, in the outlet's chrome."""
    o = OUTLETS[item["outlet"]]
    english = item.get("lang") == "en"
    entries = item.get("items") or [{"title": p, "url": "", "summary": ""} for p in plain_paragraphs(item)]
    rows = []
    for n, e in enumerate(entries):
        href = e.get("url") or f"https://{o.domain}/news/articleView.html?idxno={30000 + n}"
        when = parse_time(e.get("published"))
        date = f'<span class="date">{fmt_dot(when)}</span>' if when else ""
        rows.append(
            f'<li class="list-block"><h4 class="titles"><a href="{escape(href)}">{escape(e["title"])}</a></h4>'
            f'<p class="lead">{escape(e.get("summary", ""))}</p><span class="byline">{escape(e.get("author", ""))}</span>{date}</li>'
        )
    pages = "".join(f'<a href="?page={n}">{n}</a>' for n in range(1, 11))
    head = f"<title>{escape(item['title'])} - {o.name}</title>\n" + meta_tags([
        ("property", "og:title", f"{item['title']} - {o.name}"),
        ("property", "og:url", item["url"]),
        ("property", "og:site_name", o.name),
        ("name", "description", item.get("subtitle") or f"{o.name} {item['title']} 최신 기사"),
    ])
    body = (
        f'{nav(o)}<section id="section-list"><h2 class="section-title">{escape(item["title"])}</h2>'
        f'<ul class="type2">{"".join(rows)}</ul><div class="pagination">{pages}</div></section>'
        f"{subscribe_box(o, english)}{site_footer(o, english)}"
    )
    return document(item.get("lang", "ko"), charset, head, body, "section-list")


def render_error_page(item: dict, charset: str) -> str:
    """A 404 page served with a normal layout, as many outlets do."""
    o = OUTLETS[item["outlet"]]
    english = item.get("lang") == "en"
    title = item.get("title") or ("Page not found" if english else "요청하신 페이지를 찾을 수 없습니다")
    extra = "".join(f"<p>{escape(t)}</p>" for t in plain_paragraphs(item)) or (
        "<p>The page you requested may have been moved or deleted.</p>" if english else
        "<p>방문하시려는 페이지의 주소가 잘못 입력되었거나, 페이지의 주소가 변경 혹은 삭제되어 "
        "요청하신 페이지를 찾을 수 없습니다.</p><p>입력하신 주소가 정확한지 다시 한번 확인해 주시기 바랍니다.</p>"
    )
    head = f"<title>404 Not Found | {o.name}</title>\n" + meta_tags([("name", "robots", "noindex")])
    body = (
        f'{nav(o)}<div class="error-wrap"><p class="code">404</p><h2>{escape(title)}</h2>{extra}'
        f'<a class="btn" href="https://{o.domain}/">{"Home" if english else "메인으로"}</a>'
        f'<a class="btn" href="javascript:history.back()">{"Back" if english else "이전 페이지"}</a></div>'
        f"{site_footer(o, english)}"
    )
    return document(item.get("lang", "ko"), charset, head, body, "error")


ARTICLE_TEMPLATES: dict[str, Callable[[dict, str], str]] = {
    "econ": render_econ,
    "daily": render_daily,
    "wire": render_wire,
    "regional": render_regional,
    "agency": render_agency,
    "en": render_en,
    "nextjs": render_nextjs,
}

KIND_TEMPLATES: dict[str, Callable[[dict, str], str]] = {
    "section_index": render_section_index,
    "error_page": render_error_page,
}


def render_html(item: dict, charset: str = "utf-8") -> str:
    """The page text for one item, chosen by its kind and outlet."""
    kind = item.get("kind", "article")
    if kind in KIND_TEMPLATES:
        return KIND_TEMPLATES[kind](item, charset)
    if kind != "article":
        raise ValueError(f"{item.get('id')}: unknown kind {kind!r}")
    try:
        template = ARTICLE_TEMPLATES[item["outlet"]]
    except KeyError:
        raise ValueError(f"{item.get('id')}: unknown outlet {item.get('outlet')!r}") from None
    return template(item, charset)
