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
from zoneinfo import ZoneInfo

from pipeline.models import Mention
from pipeline.reference import Reference, alternation, word_lists

from .entities.text import Tok
from .event_rules.analysis import (
    Group,
    Sentence,
    argument_groups,
    clause_breaks,
    predicates,
    sentence_spans,
    tokenize,
)
from .event_rules.attributes import (
    LAUNCH_SUFFIX,
    find_amount,
    find_basis,
    find_date,
    find_title,
    unnamed_object,
    unquoted_titles,
)
from .event_rules.dates import resolve_date
from .event_rules.regions import RegionIndex, find_region, funding_type, region_index
from .event_rules.roles import SUBJECT_ROLES, assign_roles, last_group, match_rule, statute_of
from .event_rules.triggers import EVENT_TYPES, PAIR_ANAPHOR

SEOUL = ZoneInfo("Asia/Seoul")
# Types whose object may be a title (a programme, a facility, a plan) rather than an entity.
TITLE_OBJECT_TYPES = frozenset({"CALL", "LAUNCH", "PLAN", "FUNDING"})
# '투자할 계획이다': a modifier of these nouns is the clause's own predicate, not a relative one.
FUTURE_HEAD = re.compile(r"\s?" + alternation(word_lists("event_words")["future_head"]))
# Types whose object may be what the clause acts on when no party is named: releases announce that a body selected
# '신규 주관대학 5곳', calls for '수행기관', opens '혁신센터' or signs with unnamed partners.
# Agreements are between parties: their object is never an unnamed phrase.
UNNAMED_OBJECT_TYPES = frozenset({"DESIGNATION", "SELECTION", "FUNDING", "INVESTMENT", "LAUNCH", "CALL"})

__all__ = ["EVENT_TYPES", "Event", "event_rows", "extract_events", "resolve_date", "sentence_spans"]


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
    report = last_group(list(sent.groups), ("report",), organiser=None)
    if antecedent is not None and not PAIR_ANAPHOR.match(text[sent.start:sent.start + 12]):
        antecedent = None
    for pred in preds:
        clause_start = max([last_end] + [b for b in breaks if b <= pred.start])
        rule = match_rule(text, pred, sent, clause_start)
        if rule is None:
            continue
        agents, objects = assign_roles(text, rule, pred, sent, clause_start, report, antecedent)
        statute = statute_of(sent, clause_start, pred) if rule.type == "LAW" else None
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
                type=funding_type(rule, pred, agents, index), start=sent.start, end=sent.end, sentence=text[sent.start:sent.end],
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
