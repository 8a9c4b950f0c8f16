"""Evaluate story grouping on the demo pages: pairwise precision/recall per MinHash threshold.

Usage (from the repository root):
    .venv/bin/python tests/eval_stories.py               # table per threshold, chosen threshold
    .venv/bin/python tests/eval_stories.py --write-gold  # rebuild tests/gold/story_pairs.jsonl

Gold pairs (tests/gold/story_pairs.jsonl) come from the content files: pages whose items share a
``story`` key are "duplicate" (same body) or "near" (edited copy); "different" lists the hardest
negatives (highest shingle overlap without a shared story). Pairs not listed are different.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.corpus.markup import strip_markup
from pipeline.corpus.render import load_content, page_path
from pipeline.models import Article
from pipeline.stages.clean import normalize_text, process_page
from pipeline.stages.dedupe import DEFAULT_THRESHOLD, dedupe_articles, shingles

sys.path.insert(0, str(ROOT / "tests"))
from eval_extraction import raw_page

CONTENT = ROOT / "data" / "demo" / "content"
PAGES = ROOT / "data" / "demo" / "pages"
GOLD = ROOT / "tests" / "gold" / "story_pairs.jsonl"
THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
HARD_NEGATIVES = 20


def jaccard(a: set[str], b: set[str]) -> float:
    """Exact Jaccard similarity of two sets."""
    return len(a & b) / len(a | b) if a | b else 0.0


def article_items() -> list[dict]:
    """Content items of kind article whose page was rendered."""
    items = [i for i in load_content(CONTENT) if i.get("kind", "article") == "article"]
    return [i for i in items if (PAGES / page_path(i)).exists()]


def gold_pairs(items: list[dict]) -> list[dict]:
    """Same-story pairs and the hardest different pairs."""
    bodies = {i["id"]: normalize_text("\n".join(strip_markup(p)[0] for p in i["paragraphs"])) for i in items}
    grams = {k: shingles(v) for k, v in bodies.items()}
    positives, negatives = [], []
    for x, y in itertools.combinations(sorted(items, key=lambda i: i["id"]), 2):
        a, b = x["id"], y["id"]
        sim = round(jaccard(grams[a], grams[b]), 4)
        if x.get("story") and x.get("story") == y.get("story"):
            relation = "duplicate" if bodies[a] == bodies[b] else "near"
            positives.append({"a": a, "b": b, "relation": relation, "story": x["story"], "jaccard": sim})
        else:
            negatives.append({"a": a, "b": b, "relation": "different", "jaccard": sim})
    negatives.sort(key=lambda p: -p["jaccard"])
    return positives + negatives[:HARD_NEGATIVES]


def load_pairs() -> list[dict]:
    """The gold pairs file."""
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def story_of_pages(articles: list[Article], threshold: float) -> dict[str, str]:
    """page_id -> story_id after dedupe at the threshold (exact copies follow their kept article)."""
    result = dedupe_articles(articles, threshold=threshold)
    story = {aid: sid for sid, aid, _, _ in result.stories}
    return {page_id: story[aid] for aid, _, page_id in result.urls}


def pair_scores(stories: dict[str, str], positives: set[frozenset], pages: list[str]) -> tuple[float, float, int, int]:
    """Pairwise precision and recall of 'same story' over all page pairs."""
    predicted = {
        frozenset((a, b)) for a, b in itertools.combinations(pages, 2)
        if a in stories and b in stories and stories[a] == stories[b]
    }
    tp = len(predicted & positives)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(positives) if positives else 1.0
    return precision, recall, len(predicted), tp


def main(argv: list[str] | None = None) -> int:
    """Print the threshold table; optionally rebuild the gold file first."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write-gold", action="store_true", help="rebuild tests/gold/story_pairs.jsonl")
    args = parser.parse_args(argv)
    items = article_items()
    if args.write_gold:
        lines = [json.dumps(p, ensure_ascii=False) for p in gold_pairs(items)]
        GOLD.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {len(lines)} pairs to {GOLD.relative_to(ROOT)}")
    pairs = load_pairs()
    positives = {frozenset((p["a"], p["b"])) for p in pairs if p["relation"] in ("duplicate", "near")}
    articles = []
    for item in items:
        result = process_page(raw_page(item["id"], PAGES / page_path(item)))
        if isinstance(result, Article):
            articles.append(result)
    page_ids = sorted(a.page_id for a in articles)
    print(f"{len(articles)} articles from {len(items)} article pages; {len(positives)} gold same-story pairs")
    print("\n| threshold | predicted pairs | true pairs | precision | recall | F1 |\n|---|---|---|---|---|---|")
    f1s: dict[float, float] = {}
    for t in THRESHOLDS:
        p, r, n, tp = pair_scores(story_of_pages(articles, t), positives, page_ids)
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"| {t:.1f} | {n} | {tp} | {p:.3f} | {r:.3f} | {f:.3f} |")
        f1s[t] = f
    for p in pairs:
        if p["relation"] == "different":
            continue
        print(f"  gold {p['relation']:<9} {p['a']} ~ {p['b']} exact body Jaccard {p.get('jaccard')}")
    top = max(f1s.values())
    plateau = [t for t in THRESHOLDS if f1s[t] == top]
    chosen = plateau[len(plateau) // 2]  # middle of the best plateau: farthest from both failure modes
    print(f"\nbest F1 {top:.3f} at thresholds {plateau}; chosen {chosen}; default in dedupe.py: {DEFAULT_THRESHOLD}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
