"""Policy events: who designated, selected, funded or signed with whom, when and on what basis.

Built on Kiwi's analysis of each sentence (predicates = trigger nouns with 하/되 or trigger
verbs, their voice and tense) and on the entity mentions of the enrich stage (arguments are
mentions, or coordinated groups of mentions, read through the particle glued to them).

| type        | Korean triggers                                   | agent                    | object                         |
|-------------|---------------------------------------------------|--------------------------|--------------------------------|
| DESIGNATION | 지정(하다/되다/받다)                              | designating body         | designated body or region      |
| SELECTION   | 선정·선발·뽑다 (공모에 선정되다)                  | selecting body/organiser | selected bodies or regions     |
| FUNDING     | 지원·투입·출연·배정·확보·들이다 (with an amount)   | funder                   | recipient, else the programme  |
| AGREEMENT   | 업무협약·MOU·협약 체결/맺다, 손을 잡다              | first party              | the other parties              |
| LAUNCH      | 출범·개소·착공·준공·착수, 착공식/개소식을 열다      | body that launches       | facility or programme (title)  |
| CALL        | 공모·모집하다, 모집 공고를 내다                    | body that calls          | programme (title)              |
| INVESTMENT  | 투자 유치                                         | investors when named     | company that raises            |
| LAW         | 법·시행령 시행·개정·제정·공포                     | body that amends         | the statute (LAW canonical)    |
| PLAN        | 계획·전략·방안 발표·수립·마련                      | body that announces      | the plan (title)               |

Roles: active ``A가 B를 지정했다`` (agent A, object B); passive ``B가 A로부터 …로 지정됐다`` and
``A가 주관하는 ‘…’ 공모에 B가 선정됐다`` (object B, agent A); coordinated ``A와 B를`` gives two
objects. ``X에 따르면`` names a source, not an agent: the source fills the dropped subject only
when the predicate is quoted back to it (``…지정됐다고 밝혔다``). The title is the quoted name or
the noun phrase before 로/으로 지정·선정; the basis is a statute in the sentence; the date is the
DATE mention nearest before the trigger, resolved against the publication date and never after it
for a past-tense predicate. Every event has an object; the same event told twice in an article
(same type and object) is merged into its first sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from pipeline.models import Mention
from pipeline.reference import Reference

from .entities.text import Tok, chunk_spans, collapse, kiwi_safe, sentence_starts
from .event_rules.dates import resolve_date
from .event_rules.triggers import (
    ADVERBIAL_HEADS,
    ARGUMENT_LABELS,
    BASIS_CUE,
    COORD_GAP,
    EVENT_TYPES,
    FUTURE_CUE,
    GROUP_TAIL,
    LIGHT_SUFFIXES,
    ORGANISER_AFTER,
    PAIR_ANAPHOR,
    PARTICLE_ROLES,
    PASSIVE_VERBS,
    PLURAL_TAIL,
    QUOTATIVE_AFTER,
    QUOTES,
    STATUTE,
    TRIGGER_LEMMAS,
    TRIGGER_RULES,
    TriggerRule,
)

SEOUL = ZoneInfo("Asia/Seoul")

__all__ = ["EVENT_TYPES", "Event", "event_rows", "extract_events", "resolve_date"]

TITLE_NOUN_TAGS = frozenset({"NNG", "NNP", "SL", "SN", "SH", "XSN", "XPN", "NR"})
TAIL_TAGS = frozenset({"EP", "ETM", "EF", "EC", "ETN", "VX", "XSV"})
SUBJECT_ROLES = ("subj", "topic")
# Types whose object may be a title (a programme, a facility, a plan) rather than an entity.
TITLE_OBJECT_TYPES = frozenset({"CALL", "LAUNCH", "PLAN", "FUNDING"})
PLAN_NOUN = re.compile(r"(?:계획|전략|방안|로드맵|대책|청사진|비전)$")
PLAN_AFTER_QUOTE = re.compile(r"[’'”\"」』][^‘'“\"「『]{0,12}(?:계획|전략|방안|로드맵|대책|청사진)\S{0,2}\s?$")
REPORTED_AFTER = re.compile(r"(?:다고|라고)\s(?:\S+\s){0,2}?(?:밝혔|전했|발표했)")
LAUNCH_SUFFIX = re.compile(r"\s?(?:출범식|개소식|착공식|준공식|개관식|개원식|기공식)$")
# Unquoted titles: what a LAUNCH opens and what a CALL invites to, by the head noun.
FACILITY_NOUN = re.compile(
    r"(?:센터|단지|플랫폼|협의체|얼라이언스|연구소|캠퍼스|허브|클러스터|공장|사업단|추진단|지원단|기지|밸리|"
    r"포럼|위원회|라인|팹|시설|[관원소])$"
)
PROGRAMME_NOUN = re.compile(r"(?:사업|프로그램|과제|공모전|챌린지|대회|바우처|아카데미|과정)$")
# Who is invited: '… 지원사업 참여 기업을 모집' calls for the programme, not for the companies.
PARTICIPANT_TAIL = re.compile(
    r"\s?(?:참여|참가|입주|수요|공급|지원|신청)?\s?(?:기업|기관|업체|대학|스타트업|팀|자|생|대상)$"
)
# Nouns that name the act, not what it acts on ('업무협약을 체결', '출범식을 개최').
LIGHT_OBJECT = re.compile(
    r"^(?:업무\s?)?(?:협약|MOU|양해각서|협정|공고|공모|모집|행사|회의|개최|[가-힣]{0,3}식|지원|투자|"
    r"선정|지정|문)$")
ANY_QUOTED = re.compile(r"[‘’'“”\"「『]([^‘’'“”\"「」『』\n]{2,60})[‘’'“”\"」』]")
DOTTED_DATE_BEFORE = re.compile(r"\d{1,2}\.\s*$")
# '투자할 계획이다': a modifier of these nouns is the clause's own predicate, not a relative one.
FUTURE_HEAD = re.compile(r"\s?(?:계획|예정|방침|전망|목표)")
# What a call invites: bodies, firms, teams, regions or a programme (not staff to hire).
CALLED_FOR = re.compile(r"(?:기관|기업|업체|대학|팀|스타트업|사업|과제|프로그램|공모전|챌린지|지역|지자체|"
                        r"컨소시엄|참가자|참여자|수요처|바우처)$")
PAREN_GLOSS = re.compile(r"\([^()]*\)")
PROGRAMME_NAME = re.compile(r"[가-힣A-Za-z0-9·]{2,}(?:사업|과제|프로젝트|프로그램)(?![가-힣])")
QUOTE_MARKS = re.compile(r"[‘’'“”\"「」『』]")
PARTICLE_END = re.compile(r"(?:을|를|이|가|은|는|도|의|에|로|으로)$")
# Types whose object may be what the clause acts on when no party is named: releases announce that a body selected
# '신규 주관대학 5곳', calls for '수행기관', opens '혁신센터' or signs with unnamed partners.
# Agreements are between parties: their object is never an unnamed phrase.
UNNAMED_OBJECT_TYPES = frozenset({"DESIGNATION", "SELECTION", "FUNDING", "INVESTMENT", "LAUNCH", "CALL"})
# Organization types that fund rather than invest (reference organizations.tsv).
PUBLIC_TYPES = frozenset({"ministry", "agency", "government", "legislature", "technopark"})
PAST_EP = frozenset({"었", "았", "였", "ㅆ"})


@dataclass(frozen=True)
class Event:
    """One policy event found in a sentence (offsets are the sentence's)."""

    type: str
    start: int
    end: int
    sentence: str
    agent: tuple[str, ...] = ()
    object: tuple[str, ...] = ()
    title: str | None = None
    basis: str | None = None
    date: str | None = None
    date_end: str | None = None
    amount: float | None = None
    currency: str | None = None
    region: str | None = None
    agent_ids: tuple[str, ...] = ()
    object_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Group:
    """Coordinated argument mentions and the role their particle gives them."""

    mentions: tuple[Mention, ...]
    role: str | None
    start: int
    end: int  # after the particle
    organiser: bool = False


@dataclass(frozen=True)
class Predicate:
    """A trigger predicate: lemma, voice, tense and where it sits."""

    lemma: str
    start: int  # the trigger noun or verb
    end: int  # end of the verb tail (endings included)
    passive: bool
    relative: bool  # a modifier form (지정된, 공모한) whose head follows
    past: bool
    quotative: bool  # '…됐다고 밝혔다'


@dataclass(frozen=True)
class Sentence:
    """A sentence with its tokens, mentions and argument groups."""

    start: int
    end: int
    tokens: tuple[Tok, ...]
    mentions: tuple[Mention, ...]
    groups: tuple[Group, ...]


# ---------------------------------------------------------------- analysis

def _tag(tok: Tok) -> str:
    """Kiwi tag without its irregular-conjugation suffix (VV-R -> VV)."""
    return tok.tag.split("-")[0]


def tokenize(text: str) -> list[Tok]:
    """Kiwi tokens of text with absolute offsets (chunked like the enrich stage)."""
    from .enrich import get_kiwi

    kiwi = get_kiwi()
    out: list[Tok] = []
    for start, end in chunk_spans(text):
        try:
            toks = kiwi.tokenize(kiwi_safe(text[start:end]))
        except Exception:  # noqa: BLE001 - a chunk Kiwi rejects yields no events
            toks = []
        out.extend(Tok(t.form, t.tag, start + t.start, start + t.start + t.len) for t in toks)
    return out


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty sentence, whitespace trimmed.

    A break after a number and a dot followed by a digit is a date written with dots
    ('12. 8.(목)', '’20.5.11.'), not the end of a sentence."""
    starts = [s for s in sentence_starts(text)
              if not (DOTTED_DATE_BEFORE.search(text, max(0, s - 6), s) and text[s:s + 3].strip()[:1].isdigit())]
    spans = []
    for i, s in enumerate(starts):
        e = starts[i + 1] if i + 1 < len(starts) else len(text)
        chunk = text[s:e]
        lead = len(chunk) - len(chunk.lstrip())
        s2, e2 = s + lead, s + len(chunk.rstrip())
        if e2 > s2:
            spans.append((s2, e2))
    return spans


def particle_role(text: str, pos: int) -> tuple[str | None, int]:
    """Role and end offset of the particle glued at pos (after an optional '등 5곳' tail)."""
    tail = GROUP_TAIL.match(text[pos:pos + 80])
    at = pos + tail.end() if tail else pos
    rest = text[at:at + 12]
    for pattern, role in PARTICLE_ROLES:
        m = pattern.match(rest)
        if m:
            return role, at + m.end()
    plural = PLURAL_TAIL.match(text[pos:pos + 30])
    if plural:
        return ("subj" if plural.group(1) in ("이", "가") else "topic"), pos + plural.end()
    return None, pos


def argument_groups(text: str, mentions: Sequence[Mention], limit: int) -> list[Group]:
    """Coordinated runs of ORG/LOCATION mentions with the role of their final particle."""
    args = [m for m in mentions if m.label in ARGUMENT_LABELS]
    args = [m for i, m in enumerate(args) if not (i and _paren_alias(text, args[i - 1], m))]
    args = _outside_head_parens(text, args)
    groups: list[Group] = []
    run: list[Mention] = []
    for i, m in enumerate(args):
        run.append(m)
        nxt = args[i + 1] if i + 1 < len(args) else None
        if nxt is not None and COORD_GAP.match(QUOTE_MARKS.sub("", text[m.end:nxt.start])) \
                and not _ends_with_role(text, m, nxt):
            continue
        role, end = particle_role(text, m.end)
        organiser = role == "subj" and bool(ORGANISER_AFTER.match(text[end:min(limit, end + 40)]))
        groups.append(Group(tuple(run), role, run[0].start, end, organiser))
        run = []
    return groups


def _outside_head_parens(text: str, args: list[Mention]) -> list[Mention]:
    """Arguments without those inside the parenthesis that follows a party.

    ``중소벤처기업부(장관 박영선, 이하 중기부)는``: the parenthesis gives the party's head and short
    name; the short name is the same party, not a second one that would break the coordination.
    """
    out: list[Mention] = []
    close = -1
    for m in args:
        if m.start < close:
            continue
        out.append(m)
        if text[m.end:m.end + 1] == "(":
            end = text.find(")", m.end, m.end + 80)
            close = end if end > 0 else close
    return out


def _ends_with_role(text: str, m: Mention, nxt: Mention) -> bool:
    """True when the gap is '와/과' of a partner rather than coordination ('A와 함께')."""
    return bool(re.match(r"^(?:와|과)\s?함께", text[m.end:nxt.start + 2]))


def _paren_alias(text: str, prev: Mention, m: Mention) -> bool:
    """True for '(GIST)' right after 광주과학기술원: the same party again."""
    return text[prev.end:m.start].strip() == "(" and (m.canonical == prev.canonical or m.label == prev.label)


def predicates(text: str, tokens: Sequence[Tok]) -> list[Predicate]:
    """Trigger predicates among tokens: trigger noun + 하/되/받, or a trigger verb."""
    out: list[Predicate] = []
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if tok.form not in TRIGGER_LEMMAS:
            continue  # both kinds of trigger below need the lemma
        tag = _tag(tok)
        verb_at = None
        passive = False
        if tag in ("NNG", "NNP", "XR") and tok.form in TRIGGER_LEMMAS and i + 1 < n:
            nxt = tokens[i + 1]
            if nxt.start <= tok.end + 1 and nxt.form in LIGHT_SUFFIXES and _tag(nxt) in ("XSV", "VV"):
                verb_at, passive = i + 1, nxt.form in PASSIVE_VERBS
            elif (i + 2 < n and _tag(nxt) == "JKO" and tokens[i + 2].form == "받"
                  and _tag(tokens[i + 2]) == "VV"):
                verb_at, passive = i + 2, True
            elif text[tok.end:tok.end + 1] == "(":
                verb_at = _verb_after_paren(text, tokens, i)
                passive = verb_at is not None and tokens[verb_at].form in PASSIVE_VERBS
        elif tag == "VV" and tok.form in TRIGGER_LEMMAS:
            verb_at, passive = i, tok.form in PASSIVE_VERBS
        if verb_at is None or _in_speech(text, tok.start, tokens[0].start if tokens else 0):
            continue
        out.append(_predicate(text, tokens, i, verb_at, passive))
    return out


def _verb_after_paren(text: str, tokens: Sequence[Tok], i: int) -> int | None:
    """'지정(제4호, 제5호)한다', '선정(’22.3월)되었다': the light verb after a short parenthesis."""
    close = text.find(")", tokens[i].end, tokens[i].end + 20)
    if close < 0 or "(" in text[tokens[i].end + 1:close]:
        return None
    for j in range(i + 1, min(len(tokens), i + 12)):
        tok = tokens[j]
        if tok.start > close + 1:
            return None
        if tok.start == close + 1:
            return j if tok.form in LIGHT_SUFFIXES and _tag(tok) in ("XSV", "VV") else None
    return None


def _in_speech(text: str, pos: int, floor: int) -> bool:
    """True inside a direct quotation “…” (what someone said is not a reported event)."""
    before = text[floor:pos]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def clause_breaks(tokens: Sequence[Tok]) -> list[int]:
    """Offsets where a connective ending closes a clause ('포함해 ', '연계하고, ')."""
    out = []
    for i, tok in enumerate(tokens[:-1]):
        if not tok.tag.startswith("EC"):
            continue  # cheap test first: most tokens are not connective endings
        if _tag(tok) == "EC" and i and _tag(tokens[i - 1]) in ("VV", "XSV", "VA", "VX", "EP", "VCP") \
                and (tokens[i + 1].start > tok.end or _tag(tokens[i + 1]) == "SP") and tok.form not in ("게", "지", "도록", "고자", "기"):
            out.append(tok.end)
    return out


def _predicate(text: str, tokens: Sequence[Tok], at: int, verb_at: int, passive: bool) -> Predicate:
    """The Predicate of a trigger at tokens[at] whose verb is tokens[verb_at]."""
    j = verb_at + 1
    tail: list[Tok] = []
    end = tokens[verb_at].end
    while j < len(tokens) and _tag(tokens[j]) in TAIL_TAGS and tokens[j].start <= end:
        tail.append(tokens[j])
        end = max(end, tokens[j].end)
        j += 1
    forms = [(t.form, _tag(t)) for t in tail]
    relative = any(tag == "ETM" for _, tag in forms) and not _adverbial_head(tokens, j)
    after = text[end:end + 16]
    future = (any(tag == "ETM" and form == "ᆯ" for form, tag in forms) or bool(FUTURE_CUE.match(after))
              or bool(re.match(r"\s?(?:계획|예정|방침)", after)))
    if any(tag == "EP" and form in PAST_EP for form, tag in forms):
        past = True
    elif relative:
        past = not future and any(form == "ᆫ" for form, tag in forms if tag == "ETM")
    elif any(tag == "EF" for _, tag in forms):
        past = False
    else:
        past = not future and _later_past(tokens, j)
    quotative = bool(QUOTATIVE_AFTER.match(text[tokens[verb_at].start:end + 40]))
    return Predicate(tokens[at].form, tokens[at].start, end, passive, relative, past, quotative)


def _adverbial_head(tokens: Sequence[Tok], j: int) -> bool:
    """True when the modifier's head is a time/adverbial noun ('지정된 뒤', '선정된 이후')."""
    return j < len(tokens) and tokens[j].form in ADVERBIAL_HEADS


def _later_past(tokens: Sequence[Tok], j: int) -> bool:
    """True when the next finite verb of the sentence is in the past tense."""
    for tok in tokens[j:j + 40]:
        tag = _tag(tok)
        if tag == "EP" and tok.form in PAST_EP:
            return True
        if tag in ("EF", "ETM") and tok.form == "ᆯ":
            return False
        if tag == "EF":
            return False
    return False


# ---------------------------------------------------------------- rules

def _word_before(text: str, pos: int, floor: int) -> str:
    """The word before the one at pos, without its particle."""
    i = pos
    while i > floor and not text[i - 1].isspace():
        i -= 1
    j = i
    while j > floor and text[j - 1].isspace():
        j -= 1
    k = j
    while k > floor and not text[k - 1].isspace():
        k -= 1
    word = text[k:j].strip("‘’'“”\"「」『』")
    word = PARTICLE_END.sub("", word) if len(word) > 1 else word
    return word.strip("‘’'“”\"「」『』")


def match_rule(text: str, pred: Predicate, sent: Sentence, clause_start: int) -> TriggerRule | None:
    """The first trigger rule that the predicate and its clause satisfy."""
    clause = text[clause_start:pred.end + (40 if pred.relative else 0)]
    before = _word_before(text, pred.start, sent.start)
    for rule in TRIGGER_RULES:
        if pred.lemma not in rule.lemmas:
            continue
        if rule.light and not before.endswith(rule.light):
            continue
        if rule.needs and not _needs_met(rule.needs, clause, pred, sent, clause_start):
            continue
        return rule
    return None


def _needs_met(needs: str, clause: str, pred: Predicate, sent: Sentence, clause_start: int) -> bool:
    """True when the clause holds what the rule needs."""
    if needs == "money":
        return any(m.label == "MONEY" and clause_start <= m.start < pred.start for m in sent.mentions)
    if needs == "statute":
        return _statute(sent, clause_start, pred) is not None
    return bool(re.search(needs, clause))


def _statute(sent: Sentence, clause_start: int, pred: Predicate) -> Mention | None:
    """The statute a LAW predicate is about: in its clause, or the head it modifies."""
    laws = [m for m in sent.mentions if m.label == "LAW" and STATUTE.search(m.canonical)]
    inside = [m for m in laws if clause_start <= m.start < pred.start]
    if pred.relative:
        head = [m for m in laws if pred.end <= m.start <= pred.end + 3]
        if head:
            return head[0]
    return inside[-1] if inside else None


# ---------------------------------------------------------------- roles

def _last(groups: Sequence[Group], roles: Sequence[str], organiser: bool | None = False) -> Group | None:
    """The last group with one of roles (organisers excluded unless asked for)."""
    for g in reversed(groups):
        if g.role in roles and (organiser is None or g.organiser == organiser):
            return g
    return None


def _first(groups: Sequence[Group], roles: Sequence[str]) -> Group | None:
    """The first non-organiser group with one of roles."""
    return next((g for g in groups if g.role in roles and not g.organiser), None)


def _head_group(sent: Sentence, pred: Predicate) -> Group | None:
    """The group a relative predicate modifies ('지정된 경기TP')."""
    if not pred.relative:
        return None
    return next((g for g in sent.groups if pred.end <= g.start <= pred.end + 2), None)


def _genitive_organiser(text: str, sent: Sentence, clause_start: int, pred: Predicate) -> Group | None:
    """X in "X의 ‘…’ 공모에 선정" or "X의 …사업에 선정"."""
    for g in sent.groups:
        if g.role == "gen" and clause_start <= g.start and g.end < pred.start:
            between = text[g.end:pred.start]
            if re.match(r"^\s?[‘'“\"「『]", between) or re.search(
                    r"(?:공모|사업|과제|프로그램)’?\s?(?:공모)?에(?:서)?\s", between) or re.search(
                    r"(?:공모|사업|과제|프로그램)\s\S{2,12}(?:으로|로)\s$", between):
                return g
    return None


def assign_roles(text: str, rule: TriggerRule, pred: Predicate, sent: Sentence, clause_start: int,
                 report: Group | None, antecedent: Group | None = None
                 ) -> tuple[list[Mention], list[Mention]]:
    """Agent and object mentions of a predicate from its clause and sentence."""
    before = [g for g in sent.groups if g.end <= pred.start]
    local = [g for g in before if g.start >= clause_start]
    if antecedent is not None and not any(g.role in SUBJECT_ROLES for g in before):
        before.insert(0, antecedent)
    agent_g: list[Group] = []
    object_g: list[Group] = []
    receiver = pred.passive or rule.receiver_subject
    subject = (_last(local, SUBJECT_ROLES, organiser=None if not receiver else False)
               or _first(before, ("topic",)) or _first(before, ("subj",)))
    if subject is None and pred.quotative and report is not None:
        subject = report
    head = _head_group(sent, pred)
    if receiver:
        if pred.relative:
            if head is not None and head.role != "gen":
                object_g.append(head)
        elif subject is not None:
            object_g.append(subject)
        source = (_last(before, ("source",)) or _last(before, SUBJECT_ROLES, organiser=True)
                  or _genitive_organiser(text, sent, clause_start, pred))
        if source is not None:
            agent_g.append(source)
    else:
        if subject is not None:
            agent_g.append(subject)
        obj = _last(local, ("obj",))
        if rule.type == "FUNDING":
            obj = _last(local, ("dat",)) or obj
        if obj is None and head is not None:
            obj = head
        if obj is not None:
            object_g.append(obj)
        partners = [g for g in local if g.role == "with"]
        if rule.type == "AGREEMENT":
            object_g.extend(partners or [g for g in before if g.role == "with"])
        else:
            agent_g.extend(partners)
    if not agent_g and rule.type in ("SELECTION", "FUNDING", "CALL"):
        organiser = _genitive_organiser(text, sent, clause_start, pred)
        if organiser is not None:
            agent_g.append(organiser)
    agents = [m for g in agent_g for m in g.mentions]
    objects = [m for g in object_g for m in g.mentions if m not in agents]
    if rule.type == "AGREEMENT" and not objects and len(agents) > 1:
        agents, objects = agents[:1], agents[1:]
    return agents, objects


# ---------------------------------------------------------------- attributes

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
        if _tag(tok) not in TITLE_NOUN_TAGS and tok.form not in ("(", ")"):
            break
        picked.append(tok)
    picked.reverse()
    while picked and _tag(picked[0]) in ("SN", "NNB", "NR"):
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
            if _tag(tok) == "JKB" and tok.form in ("로", "으로"):
                if any(m.start <= tok.start <= m.end + 1 and m.label in ARGUMENT_LABELS
                       for m in sent.mentions):
                    return None
                return _np_before(text, sent, tok.start, clause_start)
    if rule.type == "LAUNCH" and rule.light:
        light = [t for t in sent.tokens if clause_start <= t.start < pred.start and _tag(t) != "JKO"]
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
            if _tag(tok) == "JKO":
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
    light = rule.light and _word_before(text, pred.start, sent.start).endswith(rule.light)
    particle = None
    for tok in reversed(toks):
        tag = _tag(tok)
        if tag == "JKO" and not (light and text[tok.start - 1:tok.start] == "문"):
            particle = tok
            break
    if particle is None and rule.type == "LAUNCH" and (pred.passive or light):
        particle = next((t for t in toks if _tag(t) == "JKS"), None)
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
                and _tag(t) in ("JC", "JKB") and t.form in ("와", "과")]
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
            if not (_tag(tok) == want or (want == "에" and _tag(tok) == "JKB" and tok.form == "에")):
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
        if _tag(tok) not in TITLE_NOUN_TAGS and tok.form not in ("(", ")"):
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


@dataclass(frozen=True)
class RegionIndex:
    """Place name -> province, regional organization's canonical -> its province, org -> type."""

    place: dict[str, str]
    seat: dict[str, str]
    org_type: dict[str, str]
    programme: dict[str, str]  # compact alias -> name of a programme or policy (laws.tsv)

    def programme_name(self, title: str | None) -> str | None:
        """The reference name of a programme written as title, else title."""
        return self.programme.get(_compact(title), title) if title else title


_REGION_INDEXES: dict[str, RegionIndex] = {}


def region_index(reference: Reference | None = None) -> RegionIndex:
    """The index of the given reference data (the packaged data when None), cached by version."""
    ref = reference if reference is not None else _packaged_reference()
    found = _REGION_INDEXES.get(ref.version)
    if found is not None:
        return found
    parent = {r.name: (r.level, r.parent) for r in ref.regions}
    place: dict[str, str] = {}
    for r in ref.regions:
        name, level, up = r.name, r.level, r.parent
        for _ in range(3):
            if level in ("province", "country") or not up:
                break
            name = up
            level, up = parent.get(up, ("province", ""))
        if level == "province":
            place[r.name] = name
            for alias in r.aliases:  # '부산 해운대구' is read word by word
                place.setdefault(alias, name)
    programme = {_compact(alias): law.canonical for law in ref.laws
                 if law.kind in ("programme", "policy") for alias in (law.canonical, *law.aliases)}
    # Only a regional body's seat tells where its events happen (경기테크노파크, 부산정보산업진흥원:
    # a place in the name); a national body's seat does not (NIPA funds every province from 충북).
    regional = re.compile("|".join(re.escape(n) for n in sorted(place, key=len, reverse=True)
                                   if len(n) >= 2))
    seat = {o.canonical: o.region for o in ref.organizations
            if o.region and regional.search(o.canonical)}
    index = RegionIndex(place, seat,
                        {o.canonical: o.type for o in ref.organizations}, programme)
    _REGION_INDEXES[ref.version] = index
    return index


def _compact(text: str) -> str:
    """Comparison key of a name: no spaces, brackets or glosses' parentheses, lowercased."""
    return re.sub(r"[\s()]", "", collapse(text)).lower()


@lru_cache(maxsize=1)
def _packaged_reference() -> Reference:
    from pipeline.reference import load_reference

    return load_reference()


def find_region(agents: Sequence[Mention], objects: Sequence[Mention], sent: Sentence,
                index: RegionIndex) -> str | None:
    """Province of the places the event's own sentence names (objects' first); else, when the text
    names no place, the seat of a regional object, else of a regional agent."""
    places = [m for m in objects if m.label == "LOCATION"] + [
        m for m in sent.mentions if m.label == "LOCATION"]
    for m in places:
        for name in (m.canonical, *reversed(m.canonical.split())):
            if name in index.place:
                return index.place[name]
    for m in list(objects) + list(agents):
        if m.label == "ORG" and m.canonical in index.seat:
            return index.seat[m.canonical]
    return None


def _funding_type(rule: TriggerRule, pred: Predicate, agents: Sequence[Mention], index: RegionIndex) -> str:
    """'…억원을 투자한다': public bodies fund (FUNDING), companies invest (INVESTMENT)."""
    if rule.type != "FUNDING" or pred.lemma != "투자" or not agents:
        return rule.type
    public = all(m.label == "LOCATION" or index.org_type.get(m.canonical) in PUBLIC_TYPES for m in agents)
    return rule.type if public else "INVESTMENT"


# ---------------------------------------------------------------- events

def _names(mentions: Sequence[Mention]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Canonical names and entity ids, duplicates removed, order kept."""
    seen: dict[str, str] = {}
    for m in mentions:
        seen.setdefault(m.canonical, m.entity_id)
    return tuple(seen), tuple(seen.values())


def sentence_events(text: str, sent: Sentence, published_at: datetime | None,
                    antecedent: Group | None = None, index: RegionIndex | None = None) -> list[Event]:
    """Events whose predicates lie in one sentence."""
    events: list[Event] = []
    preds = predicates(text, sent.tokens)
    if not preds:
        return events  # most sentences: no need for their clauses
    last_end = sent.start
    breaks = clause_breaks(sent.tokens)
    report = _last(list(sent.groups), ("report",), organiser=None)
    if antecedent is not None and not PAIR_ANAPHOR.match(text[sent.start:sent.start + 12]):
        antecedent = None
    for pred in preds:
        clause_start = max([last_end] + [b for b in breaks if b <= pred.start])
        rule = match_rule(text, pred, sent, clause_start)
        if rule is None:
            continue
        agents, objects = assign_roles(text, rule, pred, sent, clause_start, report, antecedent)
        statute = _statute(sent, clause_start, pred) if rule.type == "LAW" else None
        agent, agent_ids = _names(agents)
        obj, obj_ids = _names([statute] if statute else objects)
        index = index or region_index()
        title = index.programme_name(find_title(text, rule, pred, sent, clause_start))
        if title and rule.type == "LAUNCH":
            title = LAUNCH_SUFFIX.sub("", title) or None
        if not obj and rule.type in TITLE_OBJECT_TYPES and title:
            obj = (title,)
        if not obj and rule.type in ("LAUNCH", "CALL"):
            obj = tuple(unquoted_titles(text, rule, pred, sent, clause_start))
        if not obj and agent and rule.type in UNNAMED_OBJECT_TYPES and not pred.passive and not (
                pred.relative and not FUTURE_HEAD.match(text, pred.end)):
            phrase = unnamed_object(text, rule, pred, sent, clause_start)
            obj = (phrase,) if phrase else ()
        index = index or region_index()
        if obj:
            date_, date_end = bounded_dates(*find_date(text, sent, pred, clause_start,
                                                       published_at), published_at)
            amount, currency = find_amount(sent, pred, clause_start) if rule.type in (
                "FUNDING", "INVESTMENT", "SELECTION", "DESIGNATION", "CALL") else (None, None)
            events.append(Event(
                type=_funding_type(rule, pred, agents, index), start=sent.start, end=sent.end, sentence=text[sent.start:sent.end],
                agent=agent, object=obj, title=title,
                basis=find_basis(text, sent, statute), date=date_, date_end=date_end,
                amount=amount, currency=currency, region=find_region(agents, objects, sent, index),
                agent_ids=agent_ids, object_ids=obj_ids))
        elif not agent:
            # No parties: perhaps the previous sentence's event told again with its subject left
            # out; fold_elided keeps what it adds (basis, date, amount) or drops it.
            date_, date_end = bounded_dates(*find_date(text, sent, pred, clause_start,
                                                       published_at), published_at)
            amount, currency = find_amount(sent, pred, clause_start)
            events.append(Event(
                type=rule.type, start=sent.start, end=sent.end, sentence=text[sent.start:sent.end],
                agent=(), object=(), title=title, basis=find_basis(text, sent, statute),
                date=date_, date_end=date_end, amount=amount, currency=currency))
        last_end = pred.end
    return events


def fold_elided(text: str, events: Sequence[Event]) -> list[Event]:
    """Events without parties lend their details to the event of the sentence just before when
    it has their type (Korean leaves a known subject out: '경기TP가 …로 지정됐다. 1월 9일부로
    소프트웨어진흥법에 근거해 지정됐다.'); otherwise they are dropped."""
    kept: list[Event] = []
    for ev in events:
        if ev.agent or ev.object:
            kept.append(ev)
            continue
        prev = kept[-1] if kept else None
        if prev is None or prev.type != ev.type or prev.end > ev.start \
                or text[prev.end:ev.start].strip():
            continue
        lent = {f: getattr(ev, f) for f in ("title", "basis", "date", "date_end", "amount",
                                            "currency") if getattr(prev, f) is None}
        kept[-1] = replace(prev, **{k: v for k, v in lent.items() if v is not None})
    return kept


def bounded_dates(start: str | None, end: str | None, published_at: datetime | None
                  ) -> tuple[str | None, str | None]:
    """Dates within the bounds the events_dates_in_bounds check holds the table to.

    A range that ends before it starts keeps its start only. A date more than a year after the
    publication is another story's date (a pasted paragraph, a page dated wrongly), not this
    event's: the event is kept without a date rather than failing the run's blocking check.
    """
    if start and end and end < start:
        end = None
    if published_at is not None and start:
        local = published_at.astimezone(SEOUL).date() if published_at.tzinfo else published_at.date()
        try:
            limit = local.replace(year=local.year + 1)
        except ValueError:  # 29 February
            limit = local.replace(year=local.year + 1, day=28)
        if date.fromisoformat(start) > limit or (end and date.fromisoformat(end) > limit):
            return None, None
    return start, end


def merge_repeats(events: Sequence[Event]) -> list[Event]:
    """Fold an event told again later (same type and object, compatible agent) into the first."""
    kept: list[Event] = []
    for ev in events:
        target = next((k for k in kept if _same_event(k, ev)), None)
        if target is None:
            kept.append(ev)
            continue
        filled = {f: getattr(ev, f) for f in ("title", "basis", "date", "date_end", "amount",
                                              "currency", "region") if getattr(target, f) is None}
        if not target.agent and ev.agent:
            filled.update(agent=ev.agent, agent_ids=ev.agent_ids)
        if set(ev.object) > set(target.object):
            extra = [(n, i) for n, i in zip(ev.object, ev.object_ids) if n not in target.object]
            filled.update(object=target.object + tuple(n for n, _ in extra),
                          object_ids=target.object_ids + tuple(i for _, i in extra))
        kept[kept.index(target)] = replace(target, **{k: v for k, v in filled.items() if v is not None})
    return kept


def _same_event(a: Event, b: Event) -> bool:
    """True when b retells a: same type and objects, agents and titles not in conflict."""
    if a.type != b.type or not (set(a.object) <= set(b.object) or set(b.object) <= set(a.object)):
        return False
    if a.agent and b.agent and set(a.agent) != set(b.agent):
        return False
    return not (a.title and b.title and a.title != b.title)


def extract_events(text: str, mentions: Sequence[Mention], published_at: datetime | None,
                   tokens: Sequence[Tok] | None = None, reference: Reference | None = None
                   ) -> list[Event]:
    """Policy events of one text; offsets index text. Pass the enrich stage's Kiwi tokens of
    the same text to skip a second analysis, and the extractor's reference data (the packaged
    data otherwise) for regions and body types."""
    if not text or not text.strip():
        return []
    tokens = tokenize(text) if tokens is None else tokens
    ordered = sorted(mentions, key=lambda m: (m.start, m.end))
    # Each sentence looks only at the mentions and tokens that start inside it (bisect on the
    # starts) instead of scanning the whole article; spans never end before they start.
    mention_starts = [m.start for m in ordered]
    token_starts = [t.start for t in tokens]
    tokens_in_order = token_starts == sorted(token_starts)
    events: list[Event] = []
    pair: Group | None = None
    index = region_index(reference)
    for s, e in sentence_spans(text):
        near = ordered[bisect_left(mention_starts, s):bisect_right(mention_starts, e)]
        sent_mentions = tuple(m for m in near if m.end <= e)
        if tokens_in_order:
            near_tokens = tokens[bisect_left(token_starts, s):bisect_right(token_starts, e)]
        else:
            near_tokens = tokens
        sent = Sentence(s, e, tuple(t for t in near_tokens if s <= t.start and t.end <= e),
                        sent_mentions, tuple(argument_groups(text, sent_mentions, e)))
        events.extend(sentence_events(text, sent, published_at, pair, index))
        pair = next((g for g in sent.groups if g.role in SUBJECT_ROLES and len(g.mentions) > 1), pair)
    # Bounds again after merging: a repeat may lend its end date to an event that starts later.
    return [replace(ev, **dict(zip(("date", "date_end"),
                                   bounded_dates(ev.date, ev.date_end, published_at))))
            for ev in merge_repeats(fold_elided(text, events))]


def event_rows(article_id: str, events: Sequence[Event]) -> tuple[list[dict], list[dict]]:
    """Rows of the events and event_roles tables for one article."""
    rows: list[dict] = []
    roles: list[dict] = []
    for index, ev in enumerate(events):
        rows.append({"article_id": article_id, "event_index": index, "type": ev.type,
                     "start_char": ev.start, "end_char": ev.end, "sentence": ev.sentence,
                     "title": ev.title, "basis": ev.basis, "date": ev.date, "date_end": ev.date_end,
                     "amount": ev.amount, "currency": ev.currency, "region": ev.region})
        for role, names, ids in (("agent", ev.agent, ev.agent_ids), ("object", ev.object, ev.object_ids)):
            id_of = dict(zip(names, ids))
            for name in names:
                roles.append({"article_id": article_id, "event_index": index, "role": role,
                              "entity_id": id_of.get(name), "name": name})
    return rows, roles
