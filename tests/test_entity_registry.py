"""The entity-rule registry: rules run in order over one context, and a new entity type is one
rule module (plus its word list) added to RULES."""

from __future__ import annotations

import re

from pipeline.stages.entities import registry
from pipeline.stages.entities.context import RuleContext
from pipeline.stages.entities.model_backend import MODEL_LABELS
from pipeline.stages.entities.registry import RULES, Rule, rule_labels, run_rules, select_rules
from pipeline.stages.entities.text import Candidate

PRODUCT = re.compile(r"갤럭시 [A-Z]\d+")


def _context(text: str) -> RuleContext:
    return RuleContext(text, [], [], None, None, None, None, None)  # type: ignore[arg-type]


def test_each_rule_sees_what_the_rules_before_it_found() -> None:
    seen: list[int] = []

    def first(ctx: RuleContext) -> list[Candidate]:
        return [Candidate(0, 2, "ORG", "AB")]

    def second(ctx: RuleContext) -> list[Candidate]:
        seen.append(len(ctx.found_as("ORG")))
        return [Candidate(3, 5, "PERSON", "CD")]

    found = run_rules(_context("AB CD"), [Rule(("ORG",), first), Rule(("PERSON",), second)])
    assert seen == [1]
    assert [c.label for c in found] == ["ORG", "PERSON"]


def test_a_model_replaces_the_name_rules_only() -> None:
    before = select_rules(after_names=False, without=MODEL_LABELS)
    after = select_rules(after_names=True, without=MODEL_LABELS)
    assert {label for rule in before for label in rule.labels} == {"LAW", "ORG", "MONEY", "DATE"}
    assert [rule.labels for rule in after] == [("TECH",)]
    assert len(select_rules(False)) + len(select_rules(True)) == len(RULES)


def test_rule_labels_are_the_mention_labels() -> None:
    assert rule_labels() == {"PERSON", "ORG", "LOCATION", "LAW", "TECH", "DATE", "MONEY"}


def test_a_new_entity_type_is_one_rule_added_to_the_registry(monkeypatch) -> None:
    from pipeline.stages.enrich import EntityExtractor

    def find_products(ctx: RuleContext) -> list[Candidate]:
        return [Candidate(m.start(), m.end(), "PRODUCT", m.group(0), priority=2)
                for m in PRODUCT.finditer(ctx.text)]

    monkeypatch.setattr(registry, "RULES", (*RULES, Rule(("PRODUCT",), find_products)))
    mentions, _ = EntityExtractor(ner="rules").extract("삼성전자는 갤럭시 S26을 내놓았다.")
    assert [(m.label, m.text) for m in mentions if m.label == "PRODUCT"] == [("PRODUCT", "갤럭시 S26")]
