"""What an event carries beside its parties: title, unnamed object, legal basis, date, amount."""

from __future__ import annotations

import re
from datetime import datetime

from pipeline.models import Mention
from pipeline.reference import alternation, word_lists

from ..entities.text import Tok, collapse
from .analysis import Predicate, Sentence, base_tag
from .dates import resolve_date
from .roles import word_before
from .triggers import (
    ARGUMENT_LABELS,
    BASIS_CUE,
    QUOTES,
    STATUTE,
    TriggerRule,
)

_WORDS = word_lists("event_words")
TITLE_NOUN_TAGS = frozenset({"NNG", "NNP", "SL", "SN", "SH", "XSN", "XPN", "NR"})
PLAN_NOUN = re.compile(alternation(_WORDS["plan_noun"]) + "$")
PLAN_AFTER_QUOTE = re.compile(r"[’'”\"」』][^‘'“\"「『]{0,12}(?:계획|전략|방안|로드맵|대책|청사진)\S{0,2}\s?$")
REPORTED_AFTER = re.compile(r"(?:다고|라고)\s(?:\S+\s){0,2}?(?:밝혔|전했|발표했)")
LAUNCH_SUFFIX = re.compile(r"\s?" + alternation(_WORDS["ceremony"]) + "$")
# Unquoted titles: what a LAUNCH opens and what a CALL invites to, by the head noun.
FACILITY_NOUN = re.compile(alternation(_WORDS["facility_noun"]) + "$")
PROGRAMME_NOUN = re.compile(alternation(_WORDS["programme_noun"]) + "$")
# Who is invited: '… 지원사업 참여 기업을 모집' calls for the programme, not for the companies.
PARTICIPANT_TAIL = re.compile(
    r"\s?(?:참여|참가|입주|수요|공급|지원|신청)?\s?(?:기업|기관|업체|대학|스타트업|팀|자|생|대상)$"
)
# Nouns that name the act, not what it acts on ('업무협약을 체결', '출범식을 개최').
LIGHT_OBJECT = re.compile(
    r"^(?:업무\s?)?(?:협약|MOU|양해각서|협정|공고|공모|모집|행사|회의|개최|[가-힣]{0,3}식|지원|투자|"
    r"선정|지정|문)$")
ANY_QUOTED = re.compile(r"[‘’'“”\"「『]([^‘’'“”\"「」『』\n]{2,60})[‘’'“”\"」』]")
# What a call invites: bodies, firms, teams, regions or a programme (not staff to hire).
CALLED_FOR = re.compile(alternation(_WORDS["called_for"]) + "$")
PAREN_GLOSS = re.compile(r"\([^()]*\)")
PROGRAMME_NAME = re.compile(r"[가-힣A-Za-z0-9·]{2,}(?:사업|과제|프로젝트|프로그램)(?![가-힣])")


def _quote_title(text: str, sent: Sentence, lo: int, hi: int) -> str | None:
    """The last quoted name between lo and hi (a programme LAW mention's canonical when it is one)."""
    found = None
    for m in QUOTES.finditer(text, lo, hi):
        found = (m.start(1), m.end(1), m.group(1))
    if found is None:
        return None
    s, e, inner = found
    if any(m.label == "LAW" and STATUTE.search(m.canonical) and s <= m.start and m.end <= e
           for m in sent.mentions):
        return None
    for mention in sent.mentions:
        if mention.label == "LAW" and s <= mention.start and mention.end <= e and not STATUTE.search(
                mention.canonical) and (mention.end - mention.start) >= (e - s) - 2:
            return mention.canonical
    return collapse(inner)


def _np_before(text: str, sent: Sentence, pos: int, clause_start: int) -> str | None:
    """The noun phrase whose last token ends at pos ('지역 대표 AI 반도체 기업'으로)."""
    toks = [t for t in sent.tokens if clause_start <= t.start and t.end <= pos]
    picked: list[Tok] = []
    for tok in reversed(toks):
        if base_tag(tok) not in TITLE_NOUN_TAGS and tok.form not in ("(", ")"):
            break
        picked.append(tok)
    picked.reverse()
    while picked and base_tag(picked[0]) in ("SN", "NNB", "NR"):
        picked.pop(0)
    if not picked:
        return None
    phrase = collapse(text[picked[0].start:picked[-1].end])
    for m in sent.mentions:
        if m.label == "LAW" and m.start <= picked[0].start and picked[-1].end <= m.end + 1:
            return m.canonical
    return phrase if len(phrase) >= 2 else None


def find_title(text: str, rule: TriggerRule, pred: Predicate, sent: Sentence, clause_start: int
               ) -> str | None:
    """Programme or title: a quoted name in the clause, the head of a relative, or NP before 로."""
    if pred.relative:
        after = _quote_title(text, sent, pred.end, min(sent.end, pred.end + 64))
        if after and re.match(r"^\s?[‘'“\"「『]", text[pred.end:pred.end + 3]):
            return after
    quoted = _quote_title(text, sent, clause_start, pred.start)
    if quoted and not (rule.type == "PLAN" and not PLAN_AFTER_QUOTE.search(text[clause_start:pred.start])):
        return quoted
    if rule.type in ("DESIGNATION", "SELECTION"):
        for tok in reversed([t for t in sent.tokens if clause_start <= t.start < pred.start]):
            if base_tag(tok) == "JKB" and tok.form in ("로", "으로"):
                if any(m.start <= tok.start <= m.end + 1 and m.label in ARGUMENT_LABELS
                       for m in sent.mentions):
                    return None
                return _np_before(text, sent, tok.start, clause_start)
    if rule.type == "LAUNCH" and rule.light:
        light = [t for t in sent.tokens if clause_start <= t.start < pred.start and base_tag(t) != "JKO"]
        while light and light[-1].form in ("식", "공고"):
            light.pop()
        if light and any(light[-1].form.endswith(w) or w.endswith(light[-1].form) for w in rule.light):
            np = _np_before(text, sent, light[-1].start, clause_start)
            return np if np and len(np.split()) >= 2 else None
    if rule.type in ("LAUNCH", "CALL"):
        titles = unquoted_titles(text, rule, pred, sent, clause_start)
        if len(titles) == 1:
            return titles[0]
    if rule.type == "PLAN":
        for tok in reversed([t for t in sent.tokens if clause_start <= t.start < pred.start]):
            if base_tag(tok) == "JKO":
                np = _np_before(text, sent, tok.start, clause_start)
                return np if np and PLAN_NOUN.search(np) and len(np.split()) >= 3 else None
    return None


def unquoted_titles(text: str, rule: TriggerRule, pred: Predicate, sent: Sentence,
                    clause_start: int) -> list[str]:
    """Titles named without quotes: the noun phrase before 을/를 ('탄소소재 AI 분석센터를 개소했다'),
    coordinated ones ('A와 B를'), or for a passive or an intransitive LAUNCH the subject before
    이/가 ('… 지원센터가 문을 열었다', '… 실증센터가 준공됐다'). A LAUNCH title must end in a
    facility noun, a CALL title in a programme noun (after '참여 기업' is cut off)."""
    toks = [t for t in sent.tokens if clause_start <= t.start < pred.start]
    light = rule.light and word_before(text, pred.start, sent.start).endswith(rule.light)
    particle = None
    for tok in reversed(toks):
        tag = base_tag(tok)
        if tag == "JKO" and not (light and text[tok.start - 1:tok.start] == "문"):
            particle = tok
            break
    if particle is None and rule.type == "LAUNCH" and (pred.passive or light):
        particle = next((t for t in toks if base_tag(t) == "JKS"), None)
    if particle is None:
        return []
    phrases = []
    end = particle.start
    while True:
        np = _np_before(text, sent, end, clause_start)
        if not np:
            break
        phrases.insert(0, np)
        start = _np_start(sent, end, clause_start)
        conj = [t for t in sent.tokens if t.end <= start and not text[t.end:start].strip()
                and base_tag(t) in ("JC", "JKB") and t.form in ("와", "과")]
        if not conj:
            break
        end = conj[0].start
    out = []
    for np in phrases:
        if rule.type == "CALL":
            np = PARTICIPANT_TAIL.sub("", np).strip()
            if not PROGRAMME_NOUN.search(np) or len(np.split()) < 2:
                continue
        elif not FACILITY_NOUN.search(np) or len(np) < 4:
            continue
        if any(m.label in ARGUMENT_LABELS and collapse(m.canonical) == np or m.text == np
               for m in sent.mentions):
            continue  # a named party is an agent or an object, not a title
        out.append(np)
    return out


def unnamed_object(text: str, rule: TriggerRule, pred: Predicate, sent: Sentence,
                   clause_start: int) -> str | None:
    """What the clause acts on when no party is named.

    The noun phrase before the last 을/를 ('신규 주관대학 5곳을 선정했다', '수행기관을 모집한다';
    for FUNDING first the one before 에: '445개 과제에 …억원을 투자한다'), never a light noun or a
    ceremony alone (협약, 출범식); else the programme the sentence names before the predicate
    (quoted, or a noun ending in 사업/과제: '…로봇산업기술개발사업 신규과제 지원을 위해 …을 투자한다').
    """
    toks = [t for t in sent.tokens if clause_start <= t.start < pred.start]
    wanted = ("에", "JKO") if rule.type in ("FUNDING", "INVESTMENT") else ("JKO",)
    for want in wanted:
        for tok in reversed(toks):
            if not (base_tag(tok) == want or (want == "에" and base_tag(tok) == "JKB" and tok.form == "에")):
                continue
            phrase = _np_before(text, sent, tok.start, clause_start)
            if phrase and rule.type == "LAUNCH":
                phrase = LAUNCH_SUFFIX.sub("", phrase) or None
            if phrase and rule.type == "CALL" and not CALLED_FOR.search(phrase):
                break  # '신입 연구 직원을 모집한다' hires staff: not a call for applicants
            if phrase and not LIGHT_OBJECT.match(PAREN_GLOSS.sub("", phrase)) and not any(
                    m.label in ("MONEY", "DATE") and m.start <= tok.start <= m.end + 1 for m in sent.mentions):
                return phrase
            break
    quoted = _quote_title(text, sent, sent.start, pred.start) or _last_quoted(text, sent.start, pred.start)
    if quoted:
        return quoted
    named = list(PROGRAMME_NAME.finditer(text, sent.start, pred.start))
    return named[-1].group() if named else None


def _last_quoted(text: str, lo: int, hi: int) -> str | None:
    """The last name between quote marks of either direction (releases also write ’…‘)."""
    found = list(ANY_QUOTED.finditer(text, lo, hi))
    return collapse(found[-1].group(1)) if found else None


def _np_start(sent: Sentence, pos: int, clause_start: int) -> int:
    """Start offset of the noun phrase _np_before finds before pos."""
    toks = [t for t in sent.tokens if clause_start <= t.start and t.end <= pos]
    start = pos
    for tok in reversed(toks):
        if base_tag(tok) not in TITLE_NOUN_TAGS and tok.form not in ("(", ")"):
            break
        start = tok.start
    return start


def find_basis(text: str, sent: Sentence, exclude: Mention | None) -> str | None:
    """A statute in the sentence, preferring one cited as the basis ('…법에 근거한')."""
    laws = [m for m in sent.mentions if m.label == "LAW" and STATUTE.search(m.canonical) and m != exclude]
    cited = [m for m in laws if BASIS_CUE.match(text[m.end:m.end + 12])]
    pick = cited or laws
    return pick[0].canonical if pick else None


def find_date(text: str, sent: Sentence, pred: Predicate, clause_start: int,
              published_at: datetime | None) -> tuple[str | None, str | None]:
    """ISO date (and range end) of the DATE mention nearest before the predicate."""
    quoted = [(q.start(), q.end()) for q in QUOTES.finditer(text, sent.start, sent.end)]
    usable = [m for m in sent.mentions if m.label == "DATE"
              and not re.match(r"^\s?(?:까지|간|동안|이내|만에)", text[m.end:m.end + 4])
              and not any(s <= m.start < e for s, e in quoted)]
    dates = [m for m in usable if m.end <= pred.start]
    local = [m for m in dates if m.start >= clause_start]
    cited = [m for m in dates if re.match(r"^\s?부로", text[m.end:m.end + 3])]
    pick = cited or local or dates
    if not pick and (pred.quotative or REPORTED_AFTER.search(text[pred.end:sent.end])):
        pick = [m for m in usable if m.start >= pred.end][:1]
    if not pick:
        if published_at is not None and "이날" in text[sent.start:pred.start]:
            return published_at.date().isoformat(), None
        return None, None
    m = pick[-1]
    lead = re.search(r"(?:오는|지난)\s?$", text[max(sent.start, m.start - 4):m.start])
    expression = (lead.group(0) if lead else "") + m.text
    resolved = resolve_date(expression, published_at, past=pred.past)
    if resolved is None:
        return None, None
    first, last = resolved
    return first.isoformat(), (last.isoformat() if last != first else None)


def find_amount(sent: Sentence, pred: Predicate, clause_start: int) -> tuple[float | None, str | None]:
    """Value and currency of the MONEY mention nearest before the predicate in its clause, else
    the last one before it in the sentence (an amount a clause away: '…선정하고, 총 …억원을')."""
    money = [m for m in sent.mentions if m.label == "MONEY" and clause_start <= m.start < pred.start
             and m.value is not None]
    if not money:
        money = [m for m in sent.mentions if m.label == "MONEY" and m.start < pred.start
                 and m.value is not None]
    if not money:
        return None, None
    return money[-1].value, money[-1].unit
