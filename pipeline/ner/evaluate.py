"""Cross-validation of the CRF on KLUE-NER against the rules and a Kiwi baseline (``make eval-ner``).

Five folds, split separately within news and reviews with a fixed seed; each fold's CRF is
trained on the other four (news repeated as in training). Scores: PS/LC/OG exact-span micro
precision/recall/F1 per label and overall, news and reviews apart, pooled over the folds.
The rules and the baseline need no training: they are scored on the same sentences.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from .crf import CLUSTER_FILE, MODEL_DIR, load_clusters
from .klue import Sentence, read_klue, spans_of
from .train import KLUE_FILE, NEWS_REPEAT, extractor_parts, prepare, train

TYPES = ("PS", "LC", "OG")
TO_KLUE = {"PERSON": "PS", "ORG": "OG", "LOCATION": "LC"}
SEED = 17

# Shared with forked fold workers (set before the pool starts).
_FEATURES: list = []
_SENTENCES: list[Sentence] = []


def folds_of(sentences: Sequence[Sentence], k: int, seed: int = SEED) -> list[int]:
    """Fold number of each sentence: news and reviews shuffled and dealt out apart."""
    fold = [0] * len(sentences)
    rng = random.Random(seed)
    for news in (True, False):
        idx = [i for i, s in enumerate(sentences) if s.is_news == news]
        rng.shuffle(idx)
        for n, i in enumerate(idx):
            fold[i] = n % k
    return fold


def _run_fold(job: tuple[int, list[int], list[int], int, dict]) -> tuple[int, dict]:
    """Train on train_idx, tag test_idx: {sentence index: predicted spans}."""
    import pycrfsuite

    k, train_idx, test_idx, news_repeat, params = job
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fold.crfsuite"
        t0 = time.perf_counter()
        train([_FEATURES[i] for i in train_idx], [_SENTENCES[i] for i in train_idx], path,
              news_repeat, params)
        seconds = time.perf_counter() - t0
        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        out = {i: spans_of(tagger.tag(_FEATURES[i])) for i in test_idx}
    print(f"fold {k}: trained in {seconds:.0f} s", file=sys.stderr, flush=True)
    return k, out


def crf_predictions(sentences, features, k, jobs, news_repeat, params) -> dict[int, list]:
    """Out-of-fold predictions of every sentence."""
    global _FEATURES, _SENTENCES
    _FEATURES, _SENTENCES = list(features), list(sentences)
    fold = folds_of(sentences, k)
    work = [
        (f, [i for i in range(len(fold)) if fold[i] != f], [i for i in range(len(fold)) if fold[i] == f],
         news_repeat, params)
        for f in range(k)
    ]
    found: dict[int, list] = {}
    if jobs > 1:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for _, out in pool.imap_unordered(_run_fold, work):
                found.update(out)
    else:
        for job in work:
            found.update(_run_fold(job)[1])
    return found


def rule_predictions(sentences: Sequence[Sentence]) -> list[list[tuple[int, int, str]]]:
    """PERSON/ORG/LOCATION of the hand-written rules, as KLUE spans."""
    extractor, _ = extractor_parts()
    results = extractor.extract_many([s.text for s in sentences])
    return [
        [(m.start, m.end, TO_KLUE[m.label]) for m in mentions if m.label in TO_KLUE]
        for mentions, _ in results
    ]


# A baseline in a few lines: Kiwi proper-noun runs, typed by the reference data, then by the
# word's ending, then by the shape of a Korean name.
PLACE_ENDS = ("시", "도", "군", "구", "국", "동", "읍", "면", "리", "주", "섬", "산", "강")
ORG_ENDS = ("부", "청", "원", "회", "단", "사", "당", "처", "대", "은행", "그룹", "전자", "센터",
            "공사", "공단", "재단", "협회", "학교", "병원", "경찰", "법원", "FC", "팀")


def baseline_predictions(sentences: Sequence[Sentence]) -> list[list[tuple[int, int, str]]]:
    """Runs of NNP tokens (joined across one space) typed by reference, ending, or name shape."""
    from pipeline.stages.entities.names import SURNAMES

    extractor, _ = extractor_parts()
    texts = [s.text for s in sentences]
    out = []
    for text, toks in zip(texts, extractor._tokenize_all(texts)):
        runs: list[list[int]] = []
        for t in toks:
            if t.tag != "NNP":
                continue
            if runs and text[runs[-1][1] : t.start] in ("", " "):
                runs[-1][1] = t.end
            else:
                runs.append([t.start, t.end])
        spans = []
        for start, end in runs:
            surface = text[start:end]
            entry = extractor.gazetteer.lookup(surface)
            if entry is not None and entry.label in TO_KLUE:
                kind = TO_KLUE[entry.label]
            elif surface.endswith(PLACE_ENDS):
                kind = "LC"
            elif surface.endswith(ORG_ENDS):
                kind = "OG"
            elif 2 <= len(surface) <= 4 and surface[0] in SURNAMES:
                kind = "PS"
            else:
                kind = "OG"
            spans.append((start, end, kind))
        out.append(spans)
    return out


def score(sentences, predicted, news: bool) -> dict[str, tuple[int, int, int]]:
    """(tp, fp, fn) per type and 'all' over news or review sentences."""
    tally: dict[str, Counter] = {t: Counter() for t in (*TYPES, "all")}
    for s, pred in zip(sentences, predicted):
        if s.is_news != news:
            continue
        gold, got = set(s.spans), set(pred)
        for kind in TYPES:
            g = {x for x in gold if x[2] == kind}
            p = {x for x in got if x[2] == kind}
            for key in (kind, "all"):
                tally[key]["tp"] += len(g & p)
                tally[key]["fp"] += len(p - g)
                tally[key]["fn"] += len(g - p)
    return {k: (c["tp"], c["fp"], c["fn"]) for k, c in tally.items()}


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def table(results: dict[str, dict[str, dict]]) -> str:
    """Markdown: one row per (set, system), F1 per type and overall P/R/F1."""
    lines = ["| sentences | system | PS F1 | LC F1 | OG F1 | all P | all R | all F1 |",
             "|---|---|---|---|---|---|---|---|"]
    for part in ("news", "reviews"):
        for system, scores in results.items():
            s = scores[part]
            cells = [f"{prf(*s[t])[2]:.3f}" for t in TYPES]
            p, r, f = prf(*s["all"])
            lines.append(f"| {part} | {system} | " + " | ".join(cells) + f" | {p:.3f} | {r:.3f} | **{f:.3f}** |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Cross-validate the KLUE-NER CRF.")
    parser.add_argument("--data", type=Path, default=KLUE_FILE)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--news-repeat", type=int, default=NEWS_REPEAT)
    parser.add_argument("--param", action="append", default=[], help="crfsuite key=value")
    parser.add_argument("--no-clusters", action="store_true")
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--only-baselines", action="store_true", help="skip the CRF")
    parser.add_argument("--json", type=Path, help="write the scores here too")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"KLUE-NER data not found: {args.data}", file=sys.stderr)
        return 2
    params: dict = {}
    for item in args.param:
        key, _, value = item.partition("=")
        params[key] = float(value) if key in ("c1", "c2") else int(value)
    sentences = read_klue(args.data)
    clusters = None if args.no_clusters else load_clusters(MODEL_DIR / CLUSTER_FILE)
    systems = {}
    if not args.only_baselines:
        t0 = time.perf_counter()
        features = prepare(sentences, clusters)
        print(f"features: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        t0 = time.perf_counter()
        found = crf_predictions(sentences, features, args.folds, args.jobs, args.news_repeat,
                                params)
        systems["CRF (this model)"] = [found[i] for i in range(len(sentences))]
        print(f"CV: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    if not args.no_baselines:
        systems["Kiwi NNP baseline"] = baseline_predictions(sentences)
        systems["rules (korean.py)"] = rule_predictions(sentences)
    results = {
        name: {"news": score(sentences, pred, True), "reviews": score(sentences, pred, False)}
        for name, pred in systems.items()
    }
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
