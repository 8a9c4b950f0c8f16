"""Train the PERSON/ORG/LOCATION CRF on KLUE-NER: ``python -m pipeline.ner.train`` (``make model``).

Reproducible: the sentences are read in file order, L-BFGS is deterministic and the morpheme
clusters come from a seeded k-means. Writes ner.crfsuite, meta.json (and clusters.tsv.gz) into the
model folder.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .crf import CLUSTER_FILE, META_FILE, MODEL_DIR, MODEL_FILE, load_clusters
from .features import text_features
from .klue import Sentence, bio_tags, read_klue

ROOT = Path(__file__).resolve().parents[2]
KLUE_FILE = ROOT.parent / "shared" / "data" / "klue-ner" / "klue-ner-v1.1_dev-part.tsv"
# Settings chosen by cross-validation (docs/quality-ner.md).
PARAMS = {
    "c1": 0.05,  # L1: drops most of the millions of candidate features
    "c2": 0.01,
    "max_iterations": 150,
    "feature.possible_transitions": True,
}
NEWS_REPEAT = 2  # news sentences count twice: the reviews outnumber them and differ in kind


def extractor_parts():
    """(tokenize, gazetteer matches, title set) exactly as the entity extractor computes them."""
    from pipeline.stages.enrich import EntityExtractor

    extractor = EntityExtractor(ner="rules", num_workers=2)
    titles = frozenset(extractor.titles.titles)
    return extractor, titles


def prepare(sentences: Sequence[Sentence], clusters: dict[str, str] | None = None):
    """Feature lists of every sentence (Kiwi tokens and gazetteer matches as at tagging time)."""
    extractor, titles = extractor_parts()
    texts = [s.text for s in sentences]
    tokens = extractor._tokenize_all(texts)
    out = []
    for text, toks in zip(texts, tokens):
        gaz = gazetteer_matches(extractor, text, toks)
        out.append(text_features(text, toks, gaz, titles, clusters))
    return out


def gazetteer_matches(extractor, text: str, tokens) -> list[tuple[int, int, str]]:
    """(start, end, label) of the reference matches in text."""
    return [(c.start, c.end, c.label) for c in extractor.gazetteer.find(text, tokens)]


def train(
    features: Sequence[list[list[str]]],
    sentences: Sequence[Sentence],
    path: Path,
    news_repeat: int = NEWS_REPEAT,
    params: dict | None = None,
) -> None:
    """Fit a CRF on the sentences and write it to path."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for feats, s in zip(features, sentences):
        tags = bio_tags(len(s.text), s.spans)
        for _ in range(news_repeat if s.is_news else 1):
            trainer.append(feats, tags)
    trainer.set_params({**PARAMS, **(params or {})})
    trainer.train(str(path))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the KLUE-NER CRF.")
    parser.add_argument("--data", type=Path, default=KLUE_FILE)
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--keep-clusters", action="store_true",
                        help="reuse the folder's clusters.tsv.gz instead of rebuilding it")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"KLUE-NER data not found: {args.data}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    sentences = read_klue(args.data)
    args.out.mkdir(parents=True, exist_ok=True)
    if not args.keep_clusters:
        from .clusters import build

        print(f"clusters: {build(args.out / CLUSTER_FILE)} morphemes", file=sys.stderr)
    clusters = load_clusters(args.out / CLUSTER_FILE)
    features = prepare(sentences, clusters)
    t1 = time.perf_counter()
    train(features, sentences, args.out / MODEL_FILE)
    t2 = time.perf_counter()
    weights = (args.out / MODEL_FILE).read_bytes()
    meta = {
        "version": hashlib.sha256(weights).hexdigest()[:16],
        "data": "KLUE-NER v1.1 (" + args.data.name + ")",
        "sentences": len(sentences),
        "news_sentences": sum(s.is_news for s in sentences),
        "params": PARAMS,
        "news_repeat": NEWS_REPEAT,
        "clusters": clusters is not None,
        "clusters_and_features_seconds": round(t1 - t0, 1),
        "train_seconds": round(t2 - t1, 1),
        "cpu_count": os.cpu_count(),
        "size_bytes": len(weights),
    }
    (args.out / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(meta, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
