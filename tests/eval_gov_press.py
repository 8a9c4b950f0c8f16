"""Entity scores on the real press-release gold (../shared/data/gov_press/gold/entities.txt).

Usage::

    .venv/bin/python tests/eval_gov_press.py [--ner crf|rules] [--errors N]

Strict scoring: exact span and label for every label (TECH too), micro-F1 over all labels and
over PERSON/ORG/LOCATION; canonical agreement of the exact hits. Skips (exit 0 with a message)
when the shared data is absent.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipeline.corpus.markup import ANGLE_MARKUP, strip_markup
from tests.eval_entities import CORE_LABELS, Span, evaluate, linking_accuracy, micro, prf

GOLD_DIR = ROOT.parent / "shared" / "data" / "gov_press" / "gold"
# The labels the gold marks (it marks no DATE).
GOLD_LABELS = ("PERSON", "ORG", "LOCATION", "LAW", "MONEY", "TECH")


def parse_line(marked: str) -> tuple[str, list[Span]]:
    """Plain sentence and its gold spans from '<surface:LABEL=canonical>' markup."""
    text, spans = strip_markup(marked, ANGLE_MARKUP)
    return text, [Span(g.start, g.end, g.label, g.text, g.canonical) for g in spans]


def load_gold(folder: Path = GOLD_DIR):
    """(text, spans, published_at) of every gold line."""
    dates: dict[int, datetime] = {}
    sources = folder / "entities_sources.tsv"
    for row in sources.read_text(encoding="utf-8").splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) >= 3 and cells[0].isdigit():
            try:
                dates[int(cells[0])] = datetime.fromisoformat(cells[2][:10])
            except ValueError:
                pass
    out = []
    for number, line in enumerate((folder / "entities.txt").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        text, spans = parse_line(line)
        out.append((text, spans, dates.get(number)))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ner", choices=("crf", "rules"), default="crf")
    parser.add_argument("--errors", type=int, default=0, help="print up to N PERSON/ORG/LOCATION errors")
    args = parser.parse_args(argv)
    if not (GOLD_DIR / "entities.txt").is_file():
        print(f"skipped: {GOLD_DIR} not found")
        return 0
    from pipeline.stages.enrich import EntityExtractor
    from tests.eval_entities import Doc

    gold = load_gold()
    extractor = EntityExtractor(ner=args.ner)
    results = extractor.extract_many([t for t, _, _ in gold], [d for _, _, d in gold])
    docs = [Doc(str(i), t, tuple(s)) for i, (t, s, _) in enumerate(gold)]
    result = evaluate("gov_press", docs, [m for m, _ in results])
    print(f"gov_press gold, {len(docs)} sentences, NER={args.ner}")
    for label in sorted(set(result.counts) & set(GOLD_LABELS)):
        c = result.counts[label]
        p, r, f = prf(c.tp, c.fp, c.fn)
        link = linking_accuracy(c)
        print(f"  {label:9} P {p:.3f} R {r:.3f} F1 {f:.3f}  (tp {c.tp} fp {c.fp} fn {c.fn})"
              f"  canonical {'-' if link is None else f'{link:.3f}'}")
    for name, labels in (("PERSON+ORG+LOCATION", CORE_LABELS), ("all gold labels", GOLD_LABELS)):
        c = micro(result.counts, labels)
        p, r, f = prf(c.tp, c.fp, c.fn)
        print(f"  {name:20} strict micro P {p:.3f} R {r:.3f} F1 {f:.3f}")
    shown = 0
    for doc, match in zip(docs, result.matches):
        for kind, spans in (("FP", match.false_pos), ("FN", match.false_neg)):
            for s in spans:
                if shown < args.errors and s.label in CORE_LABELS:
                    shown += 1
                    print(f"  {kind} {s.label:8} {doc.text[s.start:s.end]!r:24} "
                          f"…{doc.text[max(0, s.start - 15):s.end + 15]}…")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
