"""Clean an extracted page into an Article: normalize, strip residue, parse dates, gate quality."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from pipeline.models import Article, ExtractedPage, RawPage, Reject
from pipeline.stages import residue
from pipeline.stages.dates import choose_dates
from pipeline.stages.entities.names import DOUBLE_SURNAMES, NAME_STOPWORDS, SURNAMES
from pipeline.stages.extract import ExtractOptions, detect_language, extract_page

STAGE = "clean"
DEFAULT_EXTRACT = ExtractOptions()


@dataclass(frozen=True)
class CleanOptions:
    """Quality-gate thresholds and accepted languages."""

    # Stubs only: real short articles and notices run from 250 (en) and 300 (ko) characters.
    min_chars_ko: int = 100
    min_chars_en: int = 200
    languages: tuple[str, ...] = ("ko", "en")
    # list/index pages: most lines are link texts of the page (a headline or a board entry)
    list_min_lines: int = 5
    list_link_cover: float = 0.5  # a link text covering this share of a line makes it an entry
    list_item_share: float = 0.6  # share of the text in entry lines that makes a list page
    # error pages are recognized only when the body is this short (a long article may mention 404)
    error_max_chars: int = 600


# Characters to fold before anything else: full-width ASCII, ideographic space, invisible marks.
# Quotes stay as the page wrote them (a reader quoting the article expects its own “ ” and ‘ ’);
# comparisons that must ignore the quote style ask for QUOTES folding.
FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
QUOTES = {ord(c): '"' for c in "“”„‟″〃"} | {ord(c): "'" for c in "‘’‚‛′"}
INVISIBLE = {ord(c): None for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"}
SPACES = {ord(c): " " for c in "\u00a0\u2002\u2003\u2009\u202f\u205f\u3000"}
TRANSLATE = FULL_WIDTH | INVISIBLE | SPACES

ERROR_TEXT = residue.ERROR_TEXT
SENTENCE_END = residue.SENTENCE_END
KICKER_CHARS = 40  # a section label or kicker above a headline is short and no sentence
BODY_LINE_CHARS = 40  # a line this long that no residue rule matches is prose
SENTENCE = re.compile(r"(?:[다요죠음함됨임까니]|[a-z0-9)\"'])[.!?](?:[\"')\]]|\s|$)")


def normalize_text(text: str, fold_quotes: bool = False) -> str:
    """NFC, full-width forms to half width, whitespace collapsed, paragraphs kept; quotes folded on request."""
    text = unicodedata.normalize("NFC", text).translate(TRANSLATE)
    if fold_quotes:
        text = text.translate(QUOTES)
    lines = (" ".join(line.split()) for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


@dataclass
class Residue:
    """What stripping found besides the body."""

    lines: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    dates: list[tuple[str, str]] = field(default_factory=list)
    removed: dict[str, int] = field(default_factory=dict)


def add_unique(items: list[str], values: list[str]) -> None:
    """Append values not yet in items, keeping order."""
    items.extend(v for v in values if v and v not in items)


def byline_people(line: str) -> tuple[list[str], list[str]]:
    """Reporter names and e-mails in a sign-off or byline line."""
    emails = residue.EMAIL_RE.findall(line)
    names = residue.REPORTER_NAME.findall(line) + residue.BROADCAST_NAME.findall(line)
    if not names and line.startswith("By "):
        names = residue.EN_BYLINE_NAME.findall(re.sub(r"^By\s+", "", line))
    return names, emails


def apply_rule(rule: residue.LineRule, line: str, found: Residue) -> None:
    """Record what a matched residue line carries (caption, byline, date)."""
    found.removed[rule.name] = found.removed.get(rule.name, 0) + 1
    if rule.action == "caption":
        add_unique(found.captions, [line])
    elif rule.action == "byline":
        names, emails = byline_people(line)
        add_unique(found.authors, names)
        add_unique(found.emails, emails)
    elif rule.action == "date":
        m = residue.DATE_STAMP_PARTS.match(line)
        if m:
            found.dates.append((m.group("label"), m.group("value")))


def strip_board_fields(lines: list[str]) -> tuple[list[str], int]:
    """Drop a board view's information table (제목/작성자/등록일/조회수/담당부서 rows, the row of
    values under a header of such labels), field lines and table separators; the dates and
    authors in them are read from the page elsewhere. Returns the lines kept and the count dropped."""
    kept: list[str] = []
    dropped = 0
    header_cells = 0
    label_alone = False
    for line in lines:
        cells = residue.table_cells(line)
        if residue.TABLE_SEPARATOR.match(line):
            dropped += 1
            continue
        if cells is not None and header_cells and len(cells) == header_cells and len(line) <= residue.BOARD_ROW_MAX:
            header_cells = 0  # the values under a header row of labels
            dropped += 1
            continue
        header_cells = 0
        if cells is not None and len(line) <= residue.BOARD_ROW_MAX:
            labels = [c for c in cells if c and residue.BOARD_LABEL.match(c)]
            filled = [c for c in cells if c]
            mentions = len(re.findall(r"작성자|등록일|조회수|첨부파일|담당부서", line))
            if labels or mentions >= 3:
                header_cells = len(cells) if len(labels) >= 2 and len(labels) == len(filled) else 0
                dropped += 1
                continue
        if cells is None and residue.FIELD_LINE.match(line):
            dropped += 1
            continue
        if cells is None and residue.BOARD_LABEL.match(line.lstrip("-•· ")) and len(line) <= 12:
            label_alone = True  # "- 담당부서" and, on the next line, its value
            dropped += 1
            continue
        if label_alone and len(line) <= 40:
            label_alone = False
            dropped += 1
            continue
        label_alone = False
        kept.append(line)
    return kept, dropped


def strip_lines(lines: list[str], known_captions: set[str]) -> Residue:
    """Split lines into body and residue by the rules in residue.RULES."""
    found = Residue()
    in_block = False
    for i, line in enumerate(lines):
        if line in known_captions:
            apply_rule(residue.CAPTION_RULE, line, found)
            continue
        rule = residue.match_rule(line)
        if rule is residue.EMAIL_LINE and found.lines and body_follows(lines, i):
            rule = None
        if rule is None and in_block and residue.is_block_item(line):
            found.removed["block_item"] = found.removed.get("block_item", 0) + 1
            continue
        in_block = rule is not None and (rule.action == "block" or (in_block and rule.action == "drop"))
        if rule is None:
            found.lines.append(line)
        else:
            apply_rule(rule, line, found)
    return found


def body_follows(lines: list[str], i: int) -> bool:
    """True when the line after i is body prose: a line between two body lines is body too."""
    after = lines[i + 1] if i + 1 < len(lines) else ""
    return len(after) >= BODY_LINE_CHARS and residue.match_rule(after) is None


def strip_dateline(found: Residue) -> None:
    """Remove a '[서울=통신사] 홍길동 기자 =' prefix from one of the first lines; keep the names."""
    for i, line in enumerate(found.lines[:3]):
        m = residue.DATELINE.match(line)
        if not m:
            continue
        add_unique(found.authors, residue.REPORTER_NAME.findall(m.group("names") or ""))
        rest = line[m.end():].strip()
        found.lines[i : i + 1] = [rest] if rest else []
        found.removed["dateline"] = found.removed.get("dateline", 0) + 1
        return


def split_inner_signoffs(found: Residue) -> None:
    """Cut reporters' sign-offs out of body lines (kept as authors); the text after one starts a
    new line (the next part of a package, or the next paragraph)."""
    lines: list[str] = []
    for line in found.lines:
        parts = residue.INNER_SIGNOFF.split(line) if residue.INNER_SIGNOFF.search(line) else [line]
        for i, part in enumerate(parts):
            if i % 2:  # the captured names of a sign-off
                add_unique(found.authors, residue.REPORTER_NAME.findall(part))
                add_unique(found.emails, residue.EMAIL_RE.findall(part))
                found.removed["inner_signoff"] = found.removed.get("inner_signoff", 0) + 1
            elif part.strip():
                lines.append(part.strip())
    found.lines = lines


def strip_trailing(found: Residue) -> None:
    """Remove a sign-off or agency name glued to the end of the last line."""
    if not found.lines:
        return
    last = found.lines[-1]
    m = residue.TRAILING_SIGNOFF.search(last)
    if m:
        add_unique(found.authors, residue.REPORTER_NAME.findall(m.group("names")))
        add_unique(found.emails, [m.group("email")])
        last = last[: m.start()]
    last = residue.TRAILING_AGENCY.sub("", last).rstrip()
    found.lines[-1:] = [last] if last else []


def strip_title_lines(found: Residue, title: str, subtitle: str | None) -> None:
    """Drop the headline (and the kicker above it) and a subtitle repeated at the top of the body.

    Only a headline at the top goes: when body sentences come before the line, the page repeats
    its title inside the text (a teaser, a quote) and the line is the page's own text there.
    """
    head = found.lines[:4]
    if title in head:
        above = head[: head.index(title)]
        if all(len(line) <= KICKER_CHARS and not SENTENCE_END.search(line) for line in above):
            del found.lines[: len(above) + 1]
    # og:description is often the lead itself: a sentence stays in the body
    if subtitle and subtitle in found.lines[:2] and not SENTENCE_END.search(subtitle):
        found.lines.remove(subtitle)


def headline_lead(found: Residue) -> str | None:
    """A sub-headline at the top of the body: a short first line that is no sentence.

    It stays in the body too: press releases open with their sub-headlines, and readers (and
    the real-page expectations) count them as part of the text.
    """
    if len(found.lines) < 3:
        return None
    first = found.lines[0]
    if len(first) <= 120 and not SENTENCE_END.search(first) and not SENTENCE.search(first):
        return first
    return None


def real_subtitle(candidate: str | None, text: str) -> str | None:
    """The subtitle unless it is only the cut-off lead that outlets put in og:description."""
    if not candidate:
        return None
    stem = candidate.rstrip("….").strip()
    return None if not stem or text.startswith(stem) else candidate


HANGUL_TOKEN = re.compile(r"^[가-힣]{1,4}$")
LATIN_NAME = re.compile(r"^[A-Z][^\W\d_'’.-]*[^\W\d_'’.-]+(?:\s+[A-Z][^\W\d_'’.-]*){1,3}$|^[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}$")
BROADCAST_SIGNOFF = re.compile(r"(?<![가-힣])([가-힣]{2,4})(?:\s*기자)?입니다")
NAME_EMAIL = re.compile(r"(?<![가-힣])([가-힣]{2,4})\s*\(?[A-Za-z0-9._%+-]+@")  # "김정훈 kjh@…"


# words that stand before 기자/위원 as part of the title, not as a name ("기획위원", "사진기자")
TITLE_WORDS = frozenset({"기획", "편집", "논설", "선임", "수석", "전문", "인턴", "객원", "취재", "사진", "영상",
                         "기자", "특파원", "위원", "리포터"})


def is_korean_name(word: str) -> bool:
    """A Korean personal name: 2-4 syllables after a surname, and no common word."""
    if not re.fullmatch(r"[가-힣]{2,4}", word) or word in NAME_STOPWORDS or word in TITLE_WORDS:
        return False
    return word[:2] in DOUBLE_SURNAMES or word[0] in SURNAMES


def person_names(raw: str, metadata: bool = False) -> list[str]:
    """The person names in a byline ('X 기자', 'X 기자입니다', 'X x@y.kr'); in a metadata author
    string also a leading Korean name, one written given-name first ('상은 권'), or Latin names.
    Organisations and common words give none."""
    names = [n for n in residue.REPORTER_NAME.findall(raw) + BROADCAST_SIGNOFF.findall(raw)
             + NAME_EMAIL.findall(raw) if is_korean_name(n)]
    if names or not metadata:
        return list(dict.fromkeys(names))
    raw = " ".join(residue.EMAIL_RE.sub(" ", raw).split())
    found: list[str] = []
    for part in re.split(r"\s*(?:,|/|;|·|\band\b|&)\s*", raw):
        tokens = part.split()
        if not tokens:
            continue
        if len(tokens) == 2 and all(HANGUL_TOKEN.match(t) for t in tokens) and len(tokens[1]) == 1 \
                and is_korean_name(tokens[1] + tokens[0]):
            found.append(tokens[1] + tokens[0])  # given name first, as Latin bylines write it
        elif is_korean_name(tokens[0]):
            found.append(tokens[0])  # "장석준 글로벌정치경제연구소 기획위원": the name before the title
        elif LATIN_NAME.match(part.strip()):
            found.append(part.strip())
    return found


def choose_authors(found: Residue, page: ExtractedPage) -> tuple[str, ...]:
    """Person names from bylines (body sign-offs, byline elements, metadata), else the board's
    author field as shown, else trafilatura's guess; never a site name or a common word."""
    authors: list[str] = []
    add_unique(authors, [n for n in found.authors if is_korean_name(n) or LATIN_NAME.match(n)])
    for line in page.html_hints.get("bylines", []):
        add_unique(authors, person_names(normalize_text(line)))
    for raw in page.html_hints.get("authors", []):
        add_unique(authors, person_names(normalize_text(raw), metadata=True))
    if not authors:
        add_unique(authors, [normalize_text(v) for v in page.html_hints.get("board_authors", [])[:1]])
    if not authors and page.author:
        add_unique(authors, person_names(normalize_text(page.author), metadata=True))
    site = (page.sitename or "").strip()
    return tuple(a for a in authors if a != site)


def choose_emails(found: Residue, page: ExtractedPage) -> tuple[str, ...]:
    """Reporter e-mails from sign-offs, byline elements and script data, lower-cased."""
    emails: list[str] = []
    add_unique(emails, [e.lower() for e in found.emails])
    for line in page.html_hints.get("bylines", []) + page.html_hints.get("emails", []):
        add_unique(emails, [e.lower() for e in residue.EMAIL_RE.findall(line)])
    return tuple(emails)


def article_id(text: str) -> tuple[str, str]:
    """(article_id, content_hash) of a body: sha256 of its whitespace-normalized text."""
    digest = hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()
    return digest[:16], digest


TEASER_END = re.compile(r"(?:…|\.\.\.)\s*$")
STAMP_LINE = re.compile(r"^\s*\d{4}[.\-/]\s?\d{1,2}[.\-/]\s?\d{1,2}\.?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*$")


def linked_share(line: str, links: list[str]) -> float:
    """How much of a line the longest page link text inside it covers."""
    covered = max((len(link) for link in links if link in line), default=0)
    return covered / len(line) if line else 0.0


def looks_like_list(lines: list[str], links: list[str], options: CleanOptions) -> bool:
    """True for index pages: most lines are the page's own links (headline lists, board lists).

    Short lines alone prove nothing (a press release of bullet points, a poem, a notice with a
    table), so a line counts as a list entry only when a link text of the page makes up most of it.
    """
    if len(lines) < options.list_min_lines:
        return False
    # Teaser lists: leads cut off with an ellipsis and date stamps between them (the headline
    # links themselves are often dropped by the extractor); an article ends few lines with '…'.
    teasers = sum(1 for line in lines if TEASER_END.search(line))
    stamps = sum(1 for line in lines if STAMP_LINE.match(line))
    if teasers >= 3 and (teasers + stamps) / len(lines) >= options.list_item_share:
        return True
    if not links:
        return False
    # by characters: the date stamps and counters between linked entries weigh little
    entry_chars = sum(len(line) for line in lines if linked_share(line, links) >= options.list_link_cover)
    return entry_chars / max(sum(len(line) for line in lines), 1) >= options.list_item_share


def is_error_page(title: str, text: str, options: CleanOptions) -> bool:
    """Error wording in the title, or in a short line near the top of a short body."""
    if ERROR_TEXT.search(title):
        return True
    if len(text) > options.error_max_chars:
        return False
    return any(len(line) <= 80 and ERROR_TEXT.search(line) for line in text.split("\n")[:4])


def gate(page: ExtractedPage, title: str, text: str, language: str, options: CleanOptions) -> Reject | None:
    """The quality gate: error pages, list pages, other languages, bodies too short."""
    def reject(reason: str, detail: str = "") -> Reject:
        # the text travels with the reject: a user can read what was refused, and why
        return Reject(page.page_id, page.source, page.url, STAGE, reason, detail, text)

    # the raw text and <title> too: residue stripping may have taken the "404" line away
    html_title = normalize_text(page.html_hints.get("html_title") or "")
    if is_error_page(f"{title} {html_title}", normalize_text(page.text), options):
        return reject("error_page", title[:80])
    lines = text.split("\n")
    links = [normalize_text(t) for t in page.html_hints.get("link_texts", [])]
    if looks_like_list(lines, links, options):
        return reject("not_article", f"{len(lines)} lines")
    # A scrap of text has no reliable language: call it too short before judging its language.
    if len(text) < min(options.min_chars_ko, options.min_chars_en):
        return reject("too_short", f"{len(text)} chars")
    if language not in options.languages:
        return reject("language", language)
    minimum = options.min_chars_ko if language == "ko" else options.min_chars_en
    if len(text) < minimum:
        return reject("too_short", f"{len(text)} < {minimum}")
    return None


def clean_article(
    page: ExtractedPage, options: CleanOptions = CleanOptions(), now: datetime | None = None
) -> Article | Reject:
    """An Article from an extracted page, or a Reject from the quality gate."""
    title = normalize_text(page.title or page.html_hints.get("trafilatura_title") or "")
    description = normalize_text(page.description or "") or None
    hint_captions = [normalize_text(c) for c in page.html_hints.get("captions", [])]
    lines, board_rows = strip_board_fields(normalize_text(page.text).split("\n"))
    found = strip_lines(lines, set(hint_captions))
    if board_rows:
        found.removed["board_fields"] = board_rows
    strip_dateline(found)
    strip_trailing(found)
    split_inner_signoffs(found)
    subtitle = normalize_text(page.html_hints.get("subtitle") or description or "") or None
    strip_title_lines(found, title, subtitle)
    lead = headline_lead(found)
    text = "\n".join(found.lines)
    subtitle = lead or real_subtitle(subtitle, text)
    language = detect_language(f"{title}\n{text}")
    rejected = gate(page, title, text, language, options)
    if rejected:
        return rejected
    hints = list(page.html_hints.get("dates", [])) + found.dates
    hints += [("trafilatura", page.date)] if page.date else []
    published, updated = choose_dates(hints, now)
    aid, digest = article_id(text)
    return Article(
        article_id=aid,
        page_id=page.page_id,
        source=page.source,
        url=page.url,
        canonical_url=page.canonical_url or page.url,
        title=title,
        text=text,
        language=language,
        published_at=published,
        updated_at=updated,
        subtitle=subtitle,
        authors=choose_authors(found, page),
        author_emails=choose_emails(found, page),
        site_name=page.sitename,
        section=page.section,
        tags=page.tags,
        captions=tuple(found.captions) + tuple(c for c in hint_captions if c not in found.captions),
        body_source=page.body_source,
        content_hash=digest,
    )


def process_page(
    page: RawPage,
    extract_options: ExtractOptions = DEFAULT_EXTRACT,
    clean_options: CleanOptions = CleanOptions(),
    now: datetime | None = None,
) -> Article | Reject:
    """Extract and clean one page; top-level so a process pool can pickle it."""
    extracted = extract_page(page, extract_options)
    if isinstance(extracted, Reject):
        return extracted
    # no article was published after we fetched it: a later date is a wrong guess
    return clean_article(extracted, clean_options, now or page.fetched_at)
