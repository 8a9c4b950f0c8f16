"""The entity rules, in the order they run: each a label and a find(ctx) over a RuleContext.

Reference matches come first (the gazetteer and places glued to a title); then these rules,
each seeing in ctx.found what the rules above it found (people read the organizations beside
them, affiliations read the people). The order also settles ties between spans of the same
length and priority: an earlier rule wins. A local model (enrich's merge="replace") takes the
place of the rules whose labels are all the model's, between the name rules and the
after_names ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from . import (
    aliases,
    companies,
    english,
    laws,
    numbers,
    organizations,
    people,
    places,
    tech,
    venues,
)
from .context import RuleContext
from .text import Candidate


@dataclass(frozen=True)
class Rule:
    """One rule: the labels it gives and the function that finds its candidates."""

    labels: tuple[str, ...]
    find: Callable[[RuleContext], list[Candidate]]
    after_names: bool = False  # runs after the names, the model's ones included


RULES: tuple[Rule, ...] = (
    Rule(("LOCATION",), places.find_zones),
    Rule(("ORG",), companies.find_companies),
    Rule(("LAW", "ORG"), laws.find_laws),
    Rule(("ORG",), organizations.find_organizations),
    Rule(("LOCATION",), places.find_places),
    Rule(("MONEY",), numbers.find_money),
    Rule(("DATE",), numbers.find_dates),
    Rule(("PERSON", "ORG", "LOCATION"), english.find_english_names),
    Rule(("PERSON",), people.find_people),
    Rule(("PERSON",), people.find_short_people),
    Rule(("PERSON",), people.find_foreign_people),
    Rule(("ORG",), companies.find_affiliations),
    Rule(("TECH",), tech.find_tech, after_names=True),
    Rule(("PERSON",), aliases.find_head_people, after_names=True),
    Rule(("LOCATION",), venues.find_venues, after_names=True),
)


def rule_labels() -> frozenset[str]:
    """Every label a rule gives: a new entity type's mentions are kept with no other list to edit."""
    return frozenset(label for rule in RULES for label in rule.labels)


def select_rules(after_names: bool, without: Iterable[str] = ()) -> tuple[Rule, ...]:
    """The rules of one phase, less those whose labels all come from elsewhere (a model)."""
    skipped = frozenset(without)
    return tuple(rule for rule in RULES if rule.after_names == after_names
                 and not all(label in skipped for label in rule.labels))


def run_rules(ctx: RuleContext, rules: Iterable[Rule]) -> list[Candidate]:
    """Run rules in order, each adding its candidates to ctx.found; returns ctx.found."""
    for rule in rules:
        ctx.found += rule.find(ctx)
    return ctx.found
