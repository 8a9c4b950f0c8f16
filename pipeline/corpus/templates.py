"""HTML templates for the demo corpus: one render function per outlet template key.

Each function takes one content item (see data/demo/content/README.md) and returns the whole page
as text. Everything a template adds around the paragraphs (menus, buttons, counts, captions,
bylines, tickers, related news, copyright) is boilerplate that extraction must remove.
Output depends on the item only: counts and picks come from a hash of the item id, never from
the clock or an unseeded random generator.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from html import escape

from pipeline.corpus.markup import strip_markup


@dataclass(frozen=True)
class Outlet:
    """A fictional outlet: the site one template key stands for."""

    key: str
    name: str
    domain: str
    company: str
    address: str
    phone: str
    registration: str


OUTLETS: dict[str, Outlet] = {
    "econ": Outlet(
        "econ", "한빛경제", "www.hanbiteconomy.co.kr", "(주)한빛경제신문",
        "서울특별시 영등포구 국제금융로 77, 한빛빌딩 12층", "02-6710-3300", "서울 아 05521",
    ),
    "daily": Outlet(
        "daily", "새한일보", "www.saehanilbo.co.kr", "(주)새한일보사",
        "서울특별시 중구 세종대로 140", "02-2020-7100", "서울 가 00312",
    ),
    "wire": Outlet(
        "wire", "코리아뉴스통신", "www.koreanewstong.co.kr", "(주)코리아뉴스통신",
        "서울특별시 종로구 율곡로 88", "02-398-5114", "문화체육관광부 등록 제2004-37호",
    ),
    "regional": Outlet(
        "regional", "경인타임즈", "www.gyeongintimes.kr", "(주)경인타임즈",
        "경기도 수원시 팔달구 효원로 241", "031-230-4400", "경기 아 51877",
    ),
    "agency": Outlet(
        "agency", "지역산업진흥 통합포털", "www.regionax.or.kr", "지역산업진흥 통합포털 운영사무국",
        "대전광역시 유성구 대덕대로 512", "042-710-2200", "",
    ),
    "en": Outlet(
        "en", "Korea Tech Herald", "www.koreatechherald.com", "Korea Tech Herald Co., Ltd.",
        "24 Teheran-ro 87-gil, Gangnam-gu, Seoul", "+82-2-3455-0100", "Seoul A 51234",
    ),
    "nextjs": Outlet(
        "nextjs", "테크플로우", "www.techflow.kr", "(주)테크플로우미디어",
        "서울특별시 성동구 왕십리로 83-21", "02-6953-0420", "서울 아 53310",
    ),
}

# Navigation menus, as the outlets show them.
MENUS: dict[str, tuple[str, ...]] = {
    "econ": ("경제", "산업", "금융", "증권", "부동산", "IT·과학", "정치", "사회", "국제", "오피니언"),
    "daily": ("정치", "경제", "사회", "국제", "문화", "스포츠", "오피니언", "지역", "사람들"),
    "wire": ("최신기사", "정치", "북한", "경제", "산업", "IT", "사회", "전국", "세계", "포토"),
    "regional": ("경기", "인천", "정치", "경제", "사회", "교육", "문화", "오피니언", "기획"),
    "agency": ("기관소개", "사업안내", "알림마당", "정보공개", "고객지원"),
    "en": ("National", "Business", "Tech", "Regions", "Policy", "Opinion", "Video"),
    "nextjs": ("AI", "반도체", "모빌리티", "스타트업", "정책", "리포트"),
}

FONT_SIZES = ("가장작게", "작게", "기본", "크게", "가장크게")
REACTIONS = ("좋아요", "화나요", "슬퍼요", "추가취재 원해요")
SHARES_KO = ("페이스북", "카카오톡", "X(트위터)", "네이버 블로그", "URL복사")
SHARES_EN = ("Facebook", "X", "LinkedIn", "Email", "Copy link")

# Headlines used for sidebars (주요 뉴스, 많이 본 뉴스); picked per page by a hash of its id.
SIDEBAR_HEADLINES = (
    "\"금리 인하 시점 늦춰질 수도\"… 채권시장 관망세 짙어져",
    "수도권 아파트 거래량 석 달 만에 반등",
    "반도체 수출 14개월 연속 증가…HBM이 견인",
    "편의점 도시락 가격 줄인상 [물가 돋보기]",
    "배터리 3사, 북미 공장 가동률 조정 착수",
    "\"주 4.5일제 도입 검토\"…중견기업 절반이 관심",
    "K-조선, 친환경 선박 수주 잔고 역대 최대",
    "공모주 청약 열기 다시 달아올라",
    "겨울 한파에 전력수요 최고치 경신 전망",
    "외국인 관광객 카드 지출 전년 대비 21% 증가",
    "중소기업 10곳 중 6곳 \"인력난 여전\"",
    "자율주행 셔틀, 세종 도심 정식 운행 돌입",
    "[단독] 대형 플랫폼 수수료 체계 개편 착수",
    "원·달러 환율 1,400원대 박스권 이어가",
    "스마트팜 청년 창업 지원 확대…내년 예산 증액",
    "데이터센터 전력 확보 경쟁…지방 이전 가속",
)
HEADLINES_EN = (
    "Chipmakers lift capex guidance as memory prices firm",
    "Seoul unveils housing supply plan for young workers",
    "Battery makers rethink North American production",
    "Won trades in narrow range ahead of rate decision",
    "Startups flock to regional AI vouchers",
    "Shipbuilders extend record order backlog",
    "Data center power crunch pushes builders outside Seoul",
    "Tourism spending rebounds as visitor numbers climb",
)

CRYPTO = (
    ("비트코인", 133_339_000), ("이더리움", 4_543_000), ("비트코인 캐시", 914_500),
    ("리플", 3_027), ("솔라나", 205_500), ("에이다", 567), ("트론", 439), ("체인링크", 19_160),
)
INDICES = (("코스피", 4_210.55), ("코스닥", 912.34), ("원/달러", 1_438.2), ("다우존스", 48_102.7))

ATTACHMENT_TYPES = (("hwp", "보도자료"), ("pdf", "보도자료"), ("jpg", "사진자료"))


# ---------------------------------------------------------------- small helpers


def seeded(item_id: str, salt: str, high: int) -> int:
    """A number in [0, high) fixed by the item id and a salt."""
    digest = hashlib.sha256(f"{item_id}:{salt}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % high


def pick(item_id: str, salt: str, pool: tuple, n: int) -> list:
    """n distinct entries of pool in an order fixed by the item id."""
    return sorted(pool, key=lambda x: seeded(item_id, f"{salt}:{x}", 1 << 30))[:n]


def plain_paragraphs(item: dict) -> list[str]:
    """The item's paragraphs with the entity markup removed."""
    return [strip_markup(p)[0] for p in item.get("paragraphs", [])]


def parse_time(value: str | None) -> datetime | None:
    """Parse an ISO 8601 timestamp, or None."""
    return datetime.fromisoformat(value) if value else None


def fmt_dash(t: datetime) -> str:
    """2026-01-12 17:53"""
    return t.strftime("%Y-%m-%d %H:%M")


def fmt_dot(t: datetime) -> str:
    """2026.01.12 17:53"""
    return t.strftime("%Y.%m.%d %H:%M")


def fmt_ampm(t: datetime) -> str:
    """2026.01.12 오후 5:53"""
    half = "오전" if t.hour < 12 else "오후"
    hour = t.hour % 12 or 12
    return f"{t:%Y.%m.%d} {half} {hour}:{t:%M}"


def fmt_korean_date(t: datetime) -> str:
    """2026년 1월 12일"""
    return f"{t.year}년 {t.month}월 {t.day}일"


def fmt_english(t: datetime) -> str:
    """Jan 12, 2026 5:53 PM KST"""
    hour = t.hour % 12 or 12
    half = "AM" if t.hour < 12 else "PM"
    return f"{t:%b} {t.day}, {t.year} {hour}:{t:%M} {half} KST"


def description(item: dict, limit: int = 110) -> str:
    """Meta description: the subtitle, else the cut-off lead, as outlets generate it."""
    if item.get("subtitle"):
        return item["subtitle"]
    paras = plain_paragraphs(item)
    lead = paras[0] if paras else item.get("title", "")
    return lead if len(lead) <= limit else lead[:limit].rstrip() + "…"


def image_url(outlet: Outlet, item: dict, n: int) -> str:
    """Photo URL on the outlet's image host."""
    t = parse_time(item.get("published")) or datetime(2026, 1, 1)
    host = outlet.domain.replace("www.", "img.", 1)
    return f"https://{host}/photo/{t:%Y%m}/{item['id']}_{n}.jpg"


def meta_tags(pairs: list[tuple[str, str, str]]) -> str:
    """<meta> lines from (attribute, key, value) triples; empty values are skipped."""
    return "\n".join(
        f'<meta {attr}="{escape(key)}" content="{escape(value)}">'
        for attr, key, value in pairs
        if value
    )


def document(lang: str, charset: str, head: str, body: str, body_class: str) -> str:
    """The HTML5 skeleton."""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="{charset}">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n{head}\n'
        f'</head>\n<body class="{body_class}">\n{body}\n</body>\n</html>\n'
    )


def link_list(entries: list[tuple[str, str]], css: str, ordered: bool = False) -> str:
    """A <ul>/<ol> of links from (text, href) pairs."""
    tag = "ol" if ordered else "ul"
    rows = "".join(f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for t, h in entries)
    return f'<{tag} class="{css}">{rows}</{tag}>'


def headline_links(outlet: Outlet, item: dict, salt: str, n: int, pool: tuple = SIDEBAR_HEADLINES) -> list[tuple[str, str]]:
    """n sidebar headlines with article links on the outlet."""
    picked = pick(item["id"], salt, pool, n)
    return [
        (h, f"https://{outlet.domain}/news/articleView.html?idxno={20000 + seeded(h, salt, 9000)}")
        for h in picked
    ]


def nav(outlet: Outlet) -> str:
    """Top bar with login links, logo and the main menu."""
    key = outlet.key
    entries = [(m, f"/section/{i + 1:02d}") for i, m in enumerate(MENUS[key])]
    account = (
        '<ul class="util"><li><a href="/member/login">Sign in</a></li>'
        '<li><a href="/subscribe">Subscribe</a></li></ul>'
        if key == "en"
        else '<ul class="util"><li><a href="/member/login.html">로그인</a></li>'
        '<li><a href="/member/join.html">회원가입</a></li><li><a href="/subscribe">구독신청</a></li></ul>'
    )
    return (
        f'<header id="header"><div class="top-bar">{account}'
        f'<form class="search" action="/search"><input type="text" name="q" '
        f'placeholder="{"Search" if key == "en" else "검색어를 입력하세요"}"></form></div>'
        f'<h1 class="logo"><a href="https://{outlet.domain}/">{escape(outlet.name)}</a></h1>'
        f'<nav class="gnb">{link_list(entries, "menu")}</nav></header>'
    )


def font_buttons() -> str:
    """The font-size and print/share tool buttons."""
    sizes = "".join(f'<li><button type="button" class="fs{i}">{s}</button></li>' for i, s in enumerate(FONT_SIZES))
    return (
        f'<div class="article-tools"><ul class="font-size">{sizes}</ul>'
        '<button type="button" class="print">인쇄</button>'
        '<button type="button" class="share">공유</button>'
        '<button type="button" class="scrap">스크랩</button></div>'
    )


def share_buttons(item: dict, english: bool = False) -> str:
    """Share buttons with deterministic counts."""
    names = SHARES_EN if english else SHARES_KO
    rows = "".join(
        f'<li><a href="#" class="sns{i}">{escape(n)}<span class="count">{seeded(item["id"], n, 90)}</span></a></li>'
        for i, n in enumerate(names)
    )
    return f'<div class="share-box"><ul>{rows}</ul></div>'


def reactions(item: dict) -> str:
    """Reaction buttons with counts, rendered with no space as the seed page shows them."""
    rows = "".join(
        f'<li><button type="button">{r}<span>{seeded(item["id"], r, 40) if i % 2 == 0 else seeded(item["id"], r, 4)}</span></button></li>'
        for i, r in enumerate(REACTIONS)
    )
    return f'<div class="reaction"><ul>{rows}</ul></div>'


def crypto_ticker(item: dict) -> str:
    """Real-time crypto price table, as in the seed page's sidebar."""
    rows = []
    for name, price in CRYPTO:
        move = (seeded(item["id"], name, 1200) - 600) / 100
        rows.append(f"<tr><td>{name}</td><td>{price:,}</td><td>{move:+.2f}%</td></tr>")
    t = parse_time(item.get("published")) or datetime(2026, 1, 1)
    return (
        '<div class="ticker crypto"><h3>실시간 암호화폐 시세</h3>'
        f'<p class="time">{t:%m.%d} 장종료</p><table><thead><tr><th>종목</th><th>현재가(원)</th>'
        f'<th>변동률</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
        '<p class="note">* 24시간 변동률 기준</p></div>'
    )


def index_ticker(item: dict) -> str:
    """Stock index strip (코스피, 코스닥, 환율)."""
    cells = []
    for name, level in INDICES:
        move = (seeded(item["id"], name, 400) - 200) / 100
        cells.append(f'<li><span class="name">{name}</span> <span class="val">{level:,.2f}</span> <span class="chg">{move:+.2f}%</span></li>')
    return f'<div class="ticker index"><ul>{"".join(cells)}</ul></div>'


def subscribe_box(outlet: Outlet, english: bool = False) -> str:
    """Newsletter or subscription prompt."""
    if english:
        return (
            '<div class="newsletter"><h3>The Morning Brief</h3><p>Korea\'s tech and policy news '
            'in your inbox every weekday.</p><input type="email" placeholder="Your email">'
            '<button>Subscribe</button></div>'
        )
    return (
        f'<div class="newsletter"><h3>{escape(outlet.name)} 뉴스레터</h3>'
        '<p>매일 아침 꼭 필요한 뉴스만 골라 보내드립니다.</p>'
        '<input type="email" placeholder="이메일 주소"><button>구독하기</button></div>'
    )


def copyright_line(outlet: Outlet, english: bool = False) -> str:
    """The reproduction notice under the article."""
    if english:
        return f'<p class="copyright">© {escape(outlet.name)}. All rights reserved. Reproduction and redistribution prohibited.</p>'
    return f'<p class="copyright">&lt;저작권자 © {escape(outlet.name)}, 무단전재 및 재배포 금지&gt;</p>'


def site_footer(outlet: Outlet, english: bool = False) -> str:
    """Company information footer."""
    if english:
        links = ("About Us", "Contact", "Advertise", "Privacy Policy", "Terms of Service")
        info = f"{outlet.company} · {outlet.address} · Tel {outlet.phone}"
    else:
        links = ("회사소개", "광고문의", "제휴문의", "개인정보처리방침", "청소년보호정책", "이메일무단수집거부")
        reg = f" · 등록번호 {outlet.registration}" if outlet.registration else ""
        info = f"{outlet.company} · 주소 {outlet.address} · 대표전화 {outlet.phone}{reg}"
    menu = link_list([(x, f"/company/{i}") for i, x in enumerate(links)], "footer-menu")
    return (
        f'<footer id="footer">{menu}<address>{escape(info)}</address>'
        f'<p class="copy">Copyright © 2026 {escape(outlet.name)}. All rights reserved.</p></footer>'
    )


def figure(outlet: Outlet, item: dict, n: int, caption: str) -> str:
    """A photo with its caption."""
    return (
        f'<figure class="photo"><img src="{image_url(outlet, item, n)}" alt="{escape(caption.lstrip("▲ "))}">'
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )


def body_blocks(outlet: Outlet, item: dict, para: Callable[[int, str], str]) -> list[str]:
    """Paragraph blocks with the photo figures placed after their paragraphs."""
    captions = item.get("captions") or []
    blocks = [figure(outlet, item, n, c["text"]) for n, c in enumerate(captions, 1) if c.get("after", 0) < 0]
    for i, text in enumerate(plain_paragraphs(item)):
        blocks.append(para(i, text))
        blocks.extend(
            figure(outlet, item, n, c["text"]) for n, c in enumerate(captions, 1) if c.get("after") == i
        )
    return blocks


def byline_names(item: dict, suffix: str = " 기자") -> str:
    """Reporter names joined, each with the title suffix."""
    return ", ".join(f"{a}{suffix}" for a in item.get("authors") or [])


def byline_with_email(item: dict) -> str:
    """'김하늘 기자 sky@…' for each reporter."""
    emails = list(item.get("emails") or [])
    parts = []
    for i, a in enumerate(item.get("authors") or []):
        mail = f" {emails[i]}" if i < len(emails) else ""
        parts.append(f"{a} 기자{mail}")
    return " / ".join(parts)


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
