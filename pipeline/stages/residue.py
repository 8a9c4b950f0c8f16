"""Boilerplate that trafilatura leaves in Korean (and English) news bodies, as data.

Each LineRule names one kind of residue, the regex that recognizes a line of it and what the
cleaner does with the line:

- ``drop``: remove the line;
- ``block``: remove the line and the list that follows it (short, non-sentence lines);
- ``caption``: move the line to the article's captions;
- ``byline``: remove the line, keep the reporter names and e-mails it holds;
- ``date``: remove the line, keep its date string as a candidate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Action = Literal["drop", "block", "caption", "byline", "date"]


@dataclass(frozen=True)
class LineRule:
    """One kind of residue line and what to do with it."""

    name: str
    pattern: re.Pattern[str]
    action: Action
    max_chars: int = 200  # longer lines are body text that merely mention the words
    sentences: bool = True  # False: a line that ends like a sentence (…다.) is body, not residue


def words(*items: str) -> str:
    """An alternation of literal words."""
    return "|".join(re.escape(i) for i in items)


# Page controls: font size, print, share, scrap, copy link, SNS buttons.
CONTROL_WORDS = words(
    "가장작게", "작게", "기본", "크게", "가장크게", "글자크기", "글씨크기", "글자 크기", "본문 글자크기",
    "인쇄", "인쇄하기", "프린트", "공유", "공유하기", "스크랩", "URL복사", "URL 복사", "링크복사",
    "주소복사", "페이스북", "트위터", "카카오톡", "카카오스토리", "네이버밴드", "밴드", "엑스", "메일",
    "이메일", "닫기", "댓글", "북마크", "텍스트 음성 변환 서비스 사용하기", "음성으로 듣기",
    "기사듣기", "번역", "Share", "Print", "Email", "Facebook", "Twitter", "LinkedIn", "Copy link",
    "Font size", "A+", "A-", "+", "-", "X",
)
REACTIONS = words(
    "좋아요", "화나요", "슬퍼요", "추가취재 원해요", "후속기사 원해요", "추천해요", "훈훈해요",
    "놀랐어요", "응원해요", "감동이에요", "궁금해요", "싫어요", "최고예요", "흥미로워요", "공감",
)
LIST_HEADERS = words(
    "주요 뉴스", "주요뉴스", "많이 본 뉴스", "많이본 뉴스", "많이 본 기사", "많이본기사", "인기 기사",
    "인기기사", "관련기사", "관련 기사", "관련뉴스", "관련 뉴스", "추천 기사", "추천기사", "최신 기사",
    "최신기사", "이 시각 주요뉴스", "오늘의 상승종목", "오늘의 하락종목", "포토뉴스", "함께 보면 좋은 기사",
    "실시간 암호화폐 시세", "암호화폐 시세", "Related", "Related articles", "Related Articles",
    "Related stories", "Most read", "Most Read", "Most popular", "Trending", "More from",
    "Read more", "You may also like",
)
EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
REPORTER = r"(?:선임|수석|전문|인턴|객원|취재|사진|영상|기획|편집)?\s*(?:기자|특파원|논설위원|위원|편집위원|리포터)"
NAME = r"[가-힣]{2,4}"

RULES: tuple[LineRule, ...] = (
    # "가장작게 작게 기본 크게 가장크게", "인쇄 공유 스크랩": a line made of control words only
    LineRule("controls", re.compile(rf"^(?:(?:{CONTROL_WORDS})[\s|·/]*)+$"), "drop"),
    # "좋아요0", "추가취재 원해요 12"
    LineRule("reactions", re.compile(rf"^(?:(?:{REACTIONS})\s*\d+\s*)+$"), "drop"),
    # "주요 뉴스" and the headline list after it; also a crypto/stock ticker block
    LineRule("related_lists", re.compile(rf"^[\[【<■▶]?\s*(?:{LIST_HEADERS})\s*[\]】>]?\s*$"), "block"),
    # ticker table headers and price/percentage lines
    LineRule("ticker_header", re.compile(r"^(?:종목|현재가(?:\(원\))?|변동률|전일대비|등락률|거래량)$"), "drop"),
    LineRule("price_line", re.compile(r"^[+\-▲▼]?\s*[\d,]+(?:\.\d+)?\s*%?$"), "drop"),
    LineRule("market_status", re.compile(r"^(?:\d{2}\.\d{2}\s*)?장(?:종료|중|마감)$|^\*\s*24시간 변동률 기준$"), "drop"),
    # photo captions: "▲경기테크노파크 전경.", "(사진=경기도)", "사진 제공=경기도", "[사진=연합뉴스]"
    LineRule("captions", re.compile(r"^[▲△]|^[\[(]\s*사진\s*[=:]|^사진\s*(?:제공)?\s*[=:/]|^사진\s*제공\b|^<사진>|^\[사진\]|^\(Photo|^Photo\s*(?:by|courtesy)\b", re.IGNORECASE), "caption", 300),
    # copyright and redistribution notices, with whatever list follows them
    LineRule(
        "copyright",
        re.compile(
            r"무단\s*전재|재배포\s*금지|전재\s*및\s*재배포|AI\s*학습\s*(?:및\s*)?활용\s*금지|저작권자\s*[ⓒ©]"
            r"|^[ⓒ©]|^Copyright\b|All rights reserved|\(c\)\s*\d{4}",
            re.IGNORECASE,
        ),
        "block", 160,
    ),
    # "[서울=코리아뉴스통신] 홍길동 기자 =" handled by DATELINE below; here whole-line sign-offs:
    # "김하늘 기자 sky@econ.example", "김하늘 기자", "sky@econ.example"
    LineRule(
        "signoff",
        re.compile(
            rf"^[\[(/]?\s*(?:[가-힣A-Za-z]{{2,12}}\s+)?(?:{NAME}\s*{REPORTER}\s*(?:\(?{EMAIL}\)?)?\s*[,·/]?\s*)+[\])]?$"
        ),
        "byline", 120,
    ),
    # "sky@econ.example" alone on a line: a sign-off after the body (inside the body it is an
    # address the text gives out, and strip_lines keeps it)
    LineRule("email_line", re.compile(rf"^(?:\(?{EMAIL}\)?[\s,/]*)+$"), "byline", 120),
    # a broadcast report's sign-off: "연합뉴스TV 최지숙입니다. (js173@yna.co.kr)"
    LineRule("broadcast_signoff", re.compile(rf"^(?:\S+\s+)?{NAME}입니다\.?\s*\(?{EMAIL}\)?$"), "byline", 80),
    # "/코리아뉴스통신", "<저작권자 ...>" agency tail line
    LineRule("agency_tail", re.compile(r"^/\s*[가-힣A-Za-z]{2,15}$"), "drop", 20),
    # English byline "By Jane Doe" as its own line
    LineRule("en_byline", re.compile(r"^By\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}(?:\s*(?:,|and)\s*[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})*$"), "byline", 80),
    # public-sector licence notice (공공누리) under press releases
    LineRule("kogl", re.compile(r"공공누리|출처표시\s*조건|Korea Open Government License", re.IGNORECASE), "drop", 160),
    # subscription and tip prompts
    LineRule(
        "subscription",
        re.compile(r"구독|뉴스레터|기사\s*제보|제보하기|제보는|카카오톡\s*채널|앱\s*설치|Subscribe|newsletter|Sign up", re.IGNORECASE),
        "drop", 80, False,
    ),
    # visible date stamps inside the body: "입력 2026-01-12 17:53", "수정 2026.01.12 18:02"
    LineRule(
        "date_stamp",
        re.compile(
            r"^(?:기사\s*)?(?:입력|수정|등록|승인|최종\s*수정|업데이트|송고|게재|발행)(?:일시|시간|일)?\s*[:：]?\s*\d{4}"
            r"|^(?:Published|Updated|Posted)\b.{0,12}\d{4}|^(?:입력|수정)\s*$"
        ),
        "date", 80,
    ),
    # public sites' page-satisfaction widget and its answer options
    LineRule(
        "page_survey",
        re.compile(r"만족하십니까|만족도를?\s*평가|소중한\s*의견|페이지\s*개선|콘텐츠\s*관리\s*부서|담당\s*부서\s*[:：]"),
        "block", 120,
    ),
    # attachment entries: "보도자료.hwp(87 kb)", "[jpg,474.7 KB]"
    LineRule(
        "attachment",
        re.compile(
            r"\.(?:hwpx?|pdf|docx?|xlsx?|pptx?|zip|jpe?g|png|gif)\s*(?:\(\s*[\d.,]+\s*[KMG]?B\s*\))?\s*$"
            r"|^\[(?:hwpx?|pdf|docx?|xlsx?|pptx?|zip|jpe?g|png|gif)\s*,\s*[\d.,]+\s*[KMG]?B\]$",
            re.IGNORECASE,
        ),
        "drop", 200,
    ),
    # tip lines: "기사문의 및 제보 : 카톡/라인 …", "많은 제보 부탁드립니다"
    LineRule("tip_request", re.compile(r"기사\s*문의|제보\s*(?:부탁|바랍|환영)|카톡\s*/\s*라인"), "drop", 120),
    # a line of hashtags: "#고물가 #짠테크"
    LineRule("hashtags", re.compile(r"^(?:#[^\s#]+\s*)+$"), "drop", 200),
    # navigation crumbs: "홈 > 산업 > IT", "Home / Business"
    LineRule("breadcrumb", re.compile(r"^(?:홈|HOME|Home)\s*[>›/»]"), "drop", 80),
    # "기사 원문 보기", "원문보기", "이전기사", "다음기사", "목록"
    LineRule(
        "article_nav",
        re.compile(r"^(?:기사\s*원문\s*보기|원문\s*보기|이전\s*기사|다음\s*기사|목록|목록으로|맨\s*위로|TOP|Back to top|Next article|Previous article)$", re.IGNORECASE),
        "drop",
    ),
)

EMAIL_LINE = next(rule for rule in RULES if rule.name == "email_line")
# Board views (press releases, notices) print an information table above the body: its labels.
BOARD_LABEL = re.compile(
    r"^(?:제\s*목|작성자|글쓴이|등록자|작성일(?:시|자)?|등록일(?:시|자)?|게시일|배포일|수정일|날짜|조회수?|번호"
    r"|첨부\s*(?:파일)?|파일|담당\s*부서|담당자|부서|연락처|전화(?:번호)?|문의)(?:\s*[:：].*)?$"
)
# trafilatura writes tables as "| a | b |" rows with "|---|---|" under a header
TABLE_SEPARATOR = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+\s*$")
# "- 조회수 42", "작성자 : 이륭": a board field on a line of its own
FIELD_LINE = re.compile(
    r"^[-•·]?\s*(?:작성자|글쓴이|등록자|작성일|등록일|게시일|배포일|수정일|조회수?|첨부파일|담당부서|담당자)"
    r"\s*[:：]?\s*\S.{0,40}$"
)
BOARD_ROW_MAX = 300


def table_cells(line: str) -> list[str] | None:
    """The cells of a "| a | b |" table row, or None for another line."""
    if not (line.startswith("|") and line.rstrip().endswith("|")):
        return None
    return [c.strip() for c in line.strip().strip("|").split("|")]


# Lines equal to a <figcaption> of the page are captions whatever they look like.
CAPTION_RULE = LineRule("figcaption", re.compile(r""), "caption", 10_000)
# Label and value of a date_stamp line.
DATE_STAMP_PARTS = re.compile(r"^(?:기사\s*)?(?P<label>[^\d:：]+?)\s*[:：]?\s*(?P<value>\d.*)$")

# Dateline at the start of the body: "[서울=코리아뉴스통신] 홍길동 기자 =", "(수원=연합뉴스) 김하늘 기자 ="
DATELINE = re.compile(
    rf"^\s*[\[(【]\s*[가-힣A-Za-z\s]{{1,15}}\s*=\s*[가-힣A-Za-z\s]{{1,20}}[\])】]\s*"
    rf"(?P<names>(?:{NAME}\s*{REPORTER}\s*[,·]?\s*)*)(?:{EMAIL}\s*)?=?\s*"
)
# A reporter sign-off glued to the end of the last paragraph: "... 밝혔다. 김하늘 기자 sky@x.kr"
TRAILING_SIGNOFF = re.compile(rf"\s+(?P<names>(?:{NAME}\s*{REPORTER}\s*[,·]?\s*)+)\(?(?P<email>{EMAIL})\)?\s*$")
TRAILING_AGENCY = re.compile(r"\s*/\s*[가-힣]{2,10}(?:뉴스|통신|일보|신문|방송|경제)\s*$")
# Sign-offs inside a line, after a sentence: the parts of a multi-article package end with their
# reporters' names ("…전했다. 조성훈 기자, 김은령 기자 업황은 둔화하는데…").
INNER_SIGNOFF = re.compile(
    rf"(?<=[.!?\"'”’])\s+(?P<names>(?:{NAME}\s*{REPORTER}(?![가-힣])\s*(?:\(?{EMAIL}\)?)?\s*,?\s*)+)(?=\S|$)"
)
# Name/e-mail pairs inside a sign-off line.
# the name starts a word: in "연구소 기획위원" no name precedes the title
REPORTER_NAME = re.compile(rf"(?<![가-힣])({NAME})\s*{REPORTER}")
EMAIL_RE = re.compile(EMAIL)
BROADCAST_NAME = re.compile(rf"(?<![가-힣])({NAME})입니다\.?\s*\(?{EMAIL}")
EN_BYLINE_NAME = re.compile(r"[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}")

# Wording of error and maintenance pages (checked on titles and on short bodies only).
ERROR_TEXT = re.compile(
    r"페이지를\s*찾을\s*수\s*없|찾을\s*수\s*없습니다|존재하지\s*않는\s*(?:페이지|기사)|삭제된\s*기사"
    r"|서비스\s*점검|시스템\s*점검|잘못된\s*(?:주소|접근)|\b404\b|Not Found|Page not found"
    r"|no longer available|has been removed|Access denied|Service Unavailable|under maintenance",
    re.IGNORECASE,
)

# A list line after a block header: short and not a sentence.
SENTENCE_END = re.compile(r"(?:[다요죠음함됨임까][.!?]?|[.!?])[\"'”’)\]]*$")
BLOCK_ITEM_MAX = 120


def is_block_item(line: str) -> bool:
    """True for a headline-like list entry: not a sentence, or very short."""
    return len(line) < 25 or (len(line) <= BLOCK_ITEM_MAX and not SENTENCE_END.search(line))


def match_rule(line: str) -> LineRule | None:
    """The first rule that recognizes the whole line, or None for body text."""
    sentence = None
    for rule in RULES:
        if len(line) > rule.max_chars or not rule.pattern.search(line):
            continue
        if not rule.sentences:
            sentence = bool(SENTENCE_END.search(line)) if sentence is None else sentence
            if sentence:
                continue
        return rule
    return None
