"""The AX domain on real text: entities and policy events on ../shared/data/gov_press/gold.

Usage::

    .venv/bin/python tests/eval_domain.py [--errors N] [--gold DIR]

Printed beside the same measures on the project's self-written gold (tests/gold and the demo
content), so a gain on real releases that costs the written sentences shows at once.

Measures (as gov_press/gold/README.md scores them):

- PERSON, ORG, LOCATION, LAW, MONEY: exact span and label, per label and micro P/R/F1;
- TECH coverage: a gold TECH span counts when a predicted TECH span covers it;
- canonical links: gold spans whose canonical differs from the surface, and the
  share of them whose predicted span (same offsets and label; for TECH a covering TECH span)
  carries the same canonical (spaces ignored);
- events found: an expected event is found when an extracted event of the same type has an agent
  in common with it and, when objects are expected, an object in common (names compared without
  spaces, quotes and ㈜/(주)).

When ../shared is absent the script says so and exits 0 (nothing to measure).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import eval_entities as ee
import eval_events as ev

from pipeline.corpus.markup import ANGLE_MARKUP, strip_markup

GOLD_DIR = ROOT.parent / "shared" / "data" / "gov_press" / "gold"
STRICT_LABELS = ("PERSON", "ORG", "LOCATION", "LAW", "MONEY")
EVENT_TYPES = ("DESIGNATION", "SELECTION", "FUNDING", "INVESTMENT", "AGREEMENT", "LAUNCH", "CALL")
_SPACES = re.compile(r"\s+")


def parse_marked(line: str) -> tuple[str, list[ee.Span]]:
    """Plain text and gold spans of one gov_press/gold line."""
    text, spans = strip_markup(line, ANGLE_MARKUP)
    return text, [ee.Span(g.start, g.end, g.label, g.text, g.canonical) for g in spans]


@dataclass
class DatedDoc:
    doc: ee.Doc
    published: datetime | None


def load_gov_entities(gold_dir: Path) -> list[DatedDoc]:
    """The labelled sentences with their release dates (entities_sources.tsv)."""
    dates: dict[int, str] = {}
    sources = gold_dir / "entities_sources.tsv"
    for row in sources.read_text(encoding="utf-8").splitlines()[1:]:
        fields = row.split("\t")
        if len(fields) >= 3 and fields[0].isdigit():
            dates[int(fields[0])] = fields[2]
    docs = []
    for lineno, line in enumerate((gold_dir / "entities.txt").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        text, spans = parse_marked(line)
        day = dates.get(lineno)
        published = datetime.fromisoformat(f"{day}T00:00:00+09:00") if day else None
        docs.append(DatedDoc(ee.Doc(f"gov:{lineno}", text, tuple(spans)), published))
    return docs


def load_gov_events(gold_dir: Path) -> list[dict]:
    """The event cases, one JSON object a line."""
    return [json.loads(ln) for ln in (gold_dir / "events.jsonl").read_text(encoding="utf-8").splitlines()
            if ln.strip()]


# ---------------------------------------------------------------- entity measures


def _nospace(name: str) -> str:
    return _SPACES.sub("", ee.normalize_canonical(name))


@dataclass
class DomainScore:
    """Strict counts per label, TECH coverage and canonical links over a set."""

    strict: dict[str, ee.Counts] = field(default_factory=dict)
    tech_covered: int = 0
    tech_total: int = 0
    links_ok: int = 0
    links_total: int = 0
    errors: list[str] = field(default_factory=list)

    def strict_micro(self) -> tuple[float, float, float]:
        c = ee.micro(self.strict, STRICT_LABELS)
        return ee.prf(c.tp, c.fp, c.fn)


def _covering(gold: ee.Span, predicted: Sequence[ee.Span]) -> ee.Span | None:
    return next((p for p in predicted if p.label == "TECH" and p.start <= gold.start
                 and gold.end <= p.end), None)


def score_entities(docs: Sequence[ee.Doc], predictions: Sequence[Sequence[ee.Span]]) -> DomainScore:
    """The domain measures of predicted spans against gold docs."""
    result = DomainScore()
    for doc, pred in zip(docs, predictions, strict=True):
        gold_strict = [s for s in doc.spans if s.label in STRICT_LABELS]
        pred_strict = [p for p in pred if p.label in STRICT_LABELS]
        match = ee.match_spans(gold_strict, pred_strict)
        for label, c in ee.counts_from_match(match).items():
            result.strict.setdefault(label, ee.Counts()).add(c)
        for span in match.false_pos:
            result.errors.append(f"{span.label} FP {doc.doc_id}: {ee.context(doc.text, span.start, span.end)}")
        for span in match.false_neg:
            result.errors.append(f"{span.label} FN {doc.doc_id}: {ee.context(doc.text, span.start, span.end)}")
        by_key = {p.key: p for p in pred}
        for gold in doc.spans:
            found = _covering(gold, pred) if gold.label == "TECH" else by_key.get(gold.key)
            if gold.label == "TECH":
                result.tech_total += 1
                if found is not None:
                    result.tech_covered += 1
                else:
                    result.errors.append(f"TECH MISS {doc.doc_id}: {ee.context(doc.text, gold.start, gold.end)}")
            if ee.normalize_canonical(gold.canonical or gold.text) == ee.normalize_canonical(gold.text):
                continue
            result.links_total += 1
            if found is not None and _nospace(found.canonical or found.text) == _nospace(gold.canonical):
                result.links_ok += 1
            else:
                got = "no span" if found is None else repr(found.canonical)
                result.errors.append(f"LINK {doc.doc_id}: {gold.text!r} -> {got}, gold {gold.canonical!r}")
    return result


def predict_entities(extractor, docs: Sequence[DatedDoc]) -> list[list[ee.Span]]:
    results = extractor.extract_many([d.doc.text for d in docs], [d.published for d in docs])
    return [[ee.as_span(m) for m in mentions] for mentions, _quotes in results]


# ---------------------------------------------------------------- event measures


def event_found(expected: dict, events: Sequence) -> bool:
    """Same type, a shared agent, and a shared object when objects are expected."""
    agents = ev.names(expected.get("agent"))
    objects = ev.names(expected.get("object"))
    for event in events:
        if event.type != expected["type"]:
            continue
        if not agents & ev.names(event.agent):
            continue
        if objects and not objects & ev.names(event.object):
            continue
        return True
    return False


def score_events(cases: Sequence[dict], extractor, errors: bool = False) -> tuple[Counter, Counter]:
    """(found, expected) per type over the event cases."""
    from pipeline.stages.events import extract_events

    dates = [datetime.fromisoformat(c["published_at"]) if c.get("published_at") else None for c in cases]
    results = extractor.extract_many([c["text"] for c in cases], dates)
    found, total = Counter(), Counter()
    for case, when, (mentions, _) in zip(cases, dates, results, strict=True):
        events = extract_events(case["text"], mentions, when)
        for expected in case["expect"]:
            total[expected["type"]] += 1
            ok = event_found(expected, events)
            found[expected["type"]] += ok
            if errors and not ok:
                print(f"MISS {case['id']} {expected['type']} {expected['agent']}->{expected.get('object')} | "
                      f"got {[(e.type, e.agent, e.object) for e in events]}")
    return found, total


def self_written_events(extractor) -> tuple[Counter, Counter]:
    """(found, expected) per type on the self-written event gold (demo with seed, held-out)."""
    found, total = Counter(), Counter()
    for loader in (ev.demo_set, ev.heldout_set):
        gold, articles = loader()
        result = ev.evaluate_set(gold, articles)
        for t in set(result["tp"]) | set(result["fn"]):
            found[t] += result["tp"][t]
            total[t] += result["tp"][t] + result["fn"][t]
    return found, total


# ---------------------------------------------------------------- report


def _pct(ok: int, n: int) -> str:
    return f"{ok / n:6.1%} ({ok}/{n})" if n else "   -  "


def format_table(gov: DomainScore, own: DomainScore, gov_events: tuple[Counter, Counter],
                 own_events: tuple[Counter, Counter]) -> str:
    rows = [f"{'measure':<34}{'gov_press/gold':>22}{'self-written gold':>22}"]
    for label in STRICT_LABELS:
        cells = []
        for s in (gov, own):
            c = s.strict.get(label, ee.Counts())
            p, r, f = ee.prf(c.tp, c.fp, c.fn)
            cells.append(f"{f:.3f} (P{p:.2f} R{r:.2f})" if c.tp + c.fp + c.fn else "-")
        rows.append(f"{label + ' strict F1':<34}{cells[0]:>22}{cells[1]:>22}")
    cells = []
    for s in (gov, own):
        p, r, f = s.strict_micro()
        cells.append(f"{f:.3f} (P{p:.2f} R{r:.2f})" if s.strict else "-")
    rows.append(f"{'micro F1 (PER/ORG/LOC/LAW/MONEY)':<34}{cells[0]:>22}{cells[1]:>22}")
    rows.append(f"{'TECH coverage':<34}{_pct(gov.tech_covered, gov.tech_total):>22}"
                f"{_pct(own.tech_covered, own.tech_total):>22}")
    rows.append(f"{'canonical links':<34}{_pct(gov.links_ok, gov.links_total):>22}"
                f"{_pct(own.links_ok, own.links_total):>22}")
    for t in EVENT_TYPES:
        rows.append(f"{'events found: ' + t:<34}{_pct(gov_events[0][t], gov_events[1][t]):>22}"
                    f"{_pct(own_events[0][t], own_events[1][t]):>22}")
    rows.append(f"{'events found: all':<34}"
                f"{_pct(sum(gov_events[0].values()), sum(gov_events[1].values())):>22}"
                f"{_pct(sum(own_events[0].values()), sum(own_events[1].values())):>22}")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD_DIR, help="the gov_press/gold folder")
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="print up to N entity errors and every missed event")
    parser.add_argument("--no-self", action="store_true", help="skip the self-written gold column")
    args = parser.parse_args(argv)
    if not (args.gold / "entities.txt").is_file():
        print(f"gov_press gold not found at {args.gold} (../shared absent): nothing measured")
        return 0
    from pipeline.stages.enrich import EntityExtractor

    extractor = EntityExtractor()
    gov_docs = load_gov_entities(args.gold)
    gov = score_entities([d.doc for d in gov_docs], predict_entities(extractor, gov_docs))
    gov_events = score_events(load_gov_events(args.gold), extractor, errors=args.errors > 0)
    own = DomainScore()
    own_events: tuple[Counter, Counter] = (Counter(), Counter())
    if not args.no_self:
        sets = ee.load_sets("all", ee.GENERAL_FILE, ee.DEMO_DIR, ee.HELDOUT_FILE)
        own_docs = [DatedDoc(d, None) for docs in sets.values() for d in docs]
        own = score_entities([d.doc for d in own_docs], predict_entities(extractor, own_docs))
        own_events = self_written_events(extractor)
    if args.errors:
        by_kind: dict[str, list[str]] = {}
        for line in gov.errors:
            by_kind.setdefault(line.split(":")[0], []).append(line)
        for kind in sorted(by_kind):
            print(f"-- {kind} ({len(by_kind[kind])})")
            for line in by_kind[kind][:args.errors]:
                print("  " + line)
    print(f"== gov_press/gold: {len(gov_docs)} sentences; self-written: tests/gold + demo ==")
    print(format_table(gov, own, gov_events, own_events))
    return 0


if __name__ == "__main__":
    sys.exit(main())
