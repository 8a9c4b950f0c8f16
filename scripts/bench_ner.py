"""Entity extraction per article on one core, rules against the shipped CRF.

Usage::

    .venv/bin/python scripts/bench_ner.py [--articles 300] [--rounds 2]

Texts: the first N press releases of ../shared/data/gov_press/releases.jsonl (else the demo
corpus). Prints CPU ms/article of the entity extractor and of the whole enrichment step for
each mode (best of the rounds, alternated), the ratio, the model's load time and memory.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RELEASES = ROOT.parent / "shared" / "data" / "gov_press" / "releases.jsonl"
DEMO_DIR = ROOT / "data" / "demo" / "content"


def load_texts(n: int) -> tuple[str, list[tuple[str, str]]]:
    """(name of the set, (title, text) of each article)."""
    if RELEASES.is_file():
        with RELEASES.open(encoding="utf-8") as f:
            rows = [json.loads(line) for _, line in zip(range(n), f)]
        return "gov_press releases", [(r.get("title") or "", r["text"]) for r in rows]
    texts = []
    for path in sorted(DEMO_DIR.glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8")):
            if isinstance(item, dict) and item.get("paragraphs"):
                texts.append((item.get("title") or "", "\n".join(item["paragraphs"])))
    return "demo corpus", texts[:n]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    from pipeline import workers
    from pipeline.models import Article
    from pipeline.ner.crf import CrfTagger
    from pipeline.stages.enrich import EntityExtractor, get_kiwi

    name, items = load_texts(args.articles)
    texts = [text for _, text in items]
    articles = [Article(f"a{i}", f"p{i}", "bench", "u", "u", title, text, "ko", None)
                for i, (title, text) in enumerate(items)]
    kiwi = get_kiwi(num_workers=1)
    process = psutil.Process()
    rss0 = process.memory_info().rss
    started = time.perf_counter()
    tagger = CrfTagger()
    tagger.tag("김철수 대표", [("김철수", "NNP", 0, 3), ("대표", "NNG", 4, 6)])
    load = time.perf_counter() - started
    rss1 = process.memory_info().rss
    extractors = {"rules": EntityExtractor(kiwi=kiwi, ner="rules"),
                  "crf": EntityExtractor(kiwi=kiwi)}
    extractors["crf"].crf = tagger
    entities = {mode: float("inf") for mode in extractors}
    enrichment = dict(entities)
    for ex in extractors.values():
        ex.extract_many(texts[:5])  # warm-up
    for _ in range(args.rounds):
        for mode, ex in extractors.items():
            t0 = time.process_time()
            for i in range(0, len(texts), 20):
                ex.extract_many(texts[i : i + 20])
            entities[mode] = min(entities[mode], (time.process_time() - t0) / len(texts) * 1000)
            workers._EXTRACTOR = ex
            t0 = time.process_time()
            for i in range(0, len(articles), workers.ENRICH_GROUP):
                workers.enrich_many(articles[i : i + workers.ENRICH_GROUP])
            enrichment[mode] = min(enrichment[mode],
                                   (time.process_time() - t0) / len(texts) * 1000)
    chars = sum(min(len(t), 20000) for t in texts) / len(texts)
    print(f"{len(texts)} {name}, {chars:.0f} characters each on average, one core, CPU time")
    for label, timed in (("entities (extract_many)", entities),
                         ("enrichment (workers.enrich_many: + titles, events, rows)", enrichment)):
        print(f"  {label}: rules {timed['rules']:.1f} ms/article, crf {timed['crf']:.1f}"
              f" ms/article, ratio {timed['crf'] / timed['rules']:.2f}")
    print(f"  model load: {load * 1000:.0f} ms, memory added: {(rss1 - rss0) / 2**20:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
