"""Which trigger rule a predicate meets, and which argument groups are its agent and object."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.models import Mention

from .analysis import Group, Predicate, Sentence
from .triggers import (
    STATUTE,
    TRIGGER_RULES,
    TriggerRule,
)

SUBJECT_ROLES = ("subj", "topic")
PARTICLE_END = re.compile(r"(?:을|를|이|가|은|는|도|의|에|로|으로)$")


def word_before(text: str, pos: int, floor: int) -> str:
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
    before = word_before(text, pred.start, sent.start)
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
        return statute_of(sent, clause_start, pred) is not None
    return bool(re.search(needs, clause))


def statute_of(sent: Sentence, clause_start: int, pred: Predicate) -> Mention | None:
    """The statute a LAW predicate is about: in its clause, or the head it modifies."""
    laws = [m for m in sent.mentions if m.label == "LAW" and STATUTE.search(m.canonical)]
    inside = [m for m in laws if clause_start <= m.start < pred.start]
    if pred.relative:
        head = [m for m in laws if pred.end <= m.start <= pred.end + 3]
        if head:
            return head[0]
    return inside[-1] if inside else None


def last_group(groups: Sequence[Group], roles: Sequence[str], organiser: bool | None = False) -> Group | None:
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
    subject = (last_group(local, SUBJECT_ROLES, organiser=None if not receiver else False)
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
        source = (last_group(before, ("source",)) or last_group(before, SUBJECT_ROLES, organiser=True)
                  or _genitive_organiser(text, sent, clause_start, pred))
        if source is not None:
            agent_g.append(source)
    else:
        if subject is not None:
            agent_g.append(subject)
        obj = last_group(local, ("obj",))
        if rule.type == "FUNDING":
            obj = last_group(local, ("dat",)) or obj
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
