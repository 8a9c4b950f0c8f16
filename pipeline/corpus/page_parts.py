"""The pieces the demo corpus's page templates are built from: the outlets, their menus, and the
page chrome around an article (navigation, buttons, tickers, footers, bylines, figures).

Output depends on the item only: counts and picks come from a hash of the item id.
"""

from __future__ import annotations

import hashlib
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
