"""Morpheme clusters from Kiwi's own embeddings (part of ``make model``).

kiwipiepy returns no vectors, but ``morpheme_similarity`` gives cosines between morphemes of its
CoNgram model: the cosines of every morpheme to a few hundred anchor morphemes stand in for its
vector, and a seeded k-means over them groups words used alike (감독/배우/선수, 시/군/구 ...). A
cluster id is a feature that generalises beyond the few thousand labelled sentences.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

ANCHORS = 256
SIZES = (32, 128, 512)  # k of each clustering: coarse to fine
ITERATIONS = 12
SEED = 17


def morpheme_vectors(kiwi) -> tuple[list[str], np.ndarray]:
    """('form/tag' keys, unit vectors of cosines to the anchors) of morphemes with embeddings."""
    ids = [m.id for m in kiwi.most_similar_morphemes(1, top_n=200_000)] + [1]
    ids = sorted(set(ids))
    rng = np.random.default_rng(SEED)
    anchors = rng.choice(ids, size=ANCHORS, replace=False).tolist()
    sim = kiwi.morpheme_similarity
    keys: list[str] = []
    rows: list[list[float]] = []
    for i in ids:
        row = [sim(i, a) for a in anchors]
        if row[0] != row[0]:  # NaN: no embedding
            continue
        m = kiwi.morpheme(i)
        keys.append(f"{m.form}/{m.tag}")
        rows.append(row)
    vectors = np.asarray(rows, dtype=np.float32)
    vectors -= vectors.mean(axis=0)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    return keys, vectors


def kmeans(vectors: np.ndarray, k: int, seed: int = SEED, iterations: int = ITERATIONS) -> np.ndarray:
    """Cluster index of each row (spherical k-means, seeded start)."""
    rng = np.random.default_rng(seed)
    centres = vectors[rng.choice(len(vectors), size=k, replace=False)].copy()
    assign = np.zeros(len(vectors), dtype=np.int64)
    for _ in range(iterations):
        assign = (vectors @ centres.T).argmax(axis=1)
        for c in range(k):
            members = vectors[assign == c]
            if len(members):
                centre = members.sum(axis=0)
                centres[c] = centre / (np.linalg.norm(centre) + 1e-9)
    return assign


def build(path: Path) -> int:
    """Write 'form/tag<TAB>id,id,id' lines (one id per clustering); returns the morpheme count."""
    from pipeline.stages.enrich import get_kiwi

    keys, vectors = morpheme_vectors(get_kiwi())
    columns = [kmeans(vectors, k) for k in SIZES]
    seen: set[str] = set()
    lines = []
    for n, key in enumerate(keys):
        if key in seen or key.startswith("/") or "\t" in key or "\n" in key:
            continue
        seen.add(key)
        lines.append(key + "\t" + ",".join(f"{k}.{col[n]}" for k, col in zip(SIZES, columns)))
    # mtime=0: a rebuild gives byte-identical files
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), 9, mtime=0))
    return len(lines)
