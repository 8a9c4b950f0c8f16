"""Incremental story grouping: new articles join (and may merge) the stories already stored.

The batch grouping in dedupe.py hashes every body; here only new bodies are hashed and the stored
signatures of older articles are reused, so adding 1 % new pages costs about 1 % of the hashing.
Candidates come from LSH band keys stored beside the signatures (a warehouse join finds the
articles sharing a band), so no index of every stored signature is ever held in memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import numpy as np
from datasketch import MinHash

from pipeline.stages.dedupe import DEFAULT_THRESHOLD, SCHEME, SEED, UnionFind, permutations

NUM_PERM = 128
# datasketch's optimal banding for threshold 0.4 and 128 permutations (MinHashLSH(0.4, 128).b/.r;
# a test keeps them in step): 32 bands of 4 values.
BANDS, ROWS = 32, 4
VALUE_DTYPE = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).hashvalues.dtype
# Odd 64-bit multipliers that mix a band's 4 values into one key (wrapping multiply-xor). Two
# different bands sharing a key only adds a candidate, which the Jaccard check then drops.
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93],
                dtype=np.uint64)
_KEY_MASK = np.uint64(0x7FFF_FFFF_FFFF_FFFF)  # a non-negative BIGINT


def signature_bytes(signature: MinHash) -> bytes:
    """A signature as bytes for the warehouse."""
    return signature.hashvalues.tobytes()


def signature_values(blob: bytes) -> np.ndarray:
    """A stored signature's hash values."""
    return np.frombuffer(blob, dtype=VALUE_DTYPE)


def signature_from_bytes(blob: bytes) -> MinHash:
    """A signature read back from the warehouse."""
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=signature_values(blob), scheme=SCHEME,
                   permutations=permutations(NUM_PERM))


def band_keys(blobs: list[bytes]) -> np.ndarray:
    """(len(blobs), BANDS) keys: articles that share a key in some band are story candidates."""
    if not blobs:
        return np.zeros((0, BANDS), dtype=np.int64)
    values = np.stack([signature_values(b) for b in blobs]).astype(np.uint64)
    bands = values.reshape(len(blobs), BANDS, ROWS)
    with np.errstate(over="ignore"):  # wrapping multiplication is the point
        mixed = np.bitwise_xor.reduce(bands * _MIX[:ROWS], axis=2)
    return (mixed & _KEY_MASK).astype(np.int64)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard of two signatures: the share of equal values."""
    return float(np.count_nonzero(a == b)) / len(a)


def assign_stories(
    new: Iterable[str],
    candidate_pairs: Iterable[tuple[str, str]],
    signatures: Mapping[str, np.ndarray],
    story_of: Mapping[str, str],
    members_of: Mapping[str, list[str]],
    order: Mapping[str, tuple],
    threshold: float = DEFAULT_THRESHOLD,
) -> tuple[set[str], list[tuple[str, str, bool, float]]]:
    """Stories touched by the new articles, and the rows that replace them.

    `candidate_pairs` share an LSH band (one of them new); `signatures` covers every article
    involved; `story_of` maps involved stored articles to their story and `members_of` lists each
    such story's articles; `order` gives every involved article's sort key (earliest published,
    then longest), whose first article represents the story.
    """
    sets = UnionFind()
    for key in new:
        sets.find(key)
    for a, b in candidate_pairs:
        if similarity(signatures[a], signatures[b]) >= threshold:
            sets.union(a, b)
    touched = {story_of[k] for k in list(sets.parent) if k in story_of}
    for story in touched:
        group = members_of[story]
        for article in group:
            sets.union(article, group[0])
    components: dict[str, list[str]] = defaultdict(list)
    for key in list(sets.parent):
        components[sets.find(key)].append(key)
    rows = []
    for group in components.values():
        group.sort(key=lambda k: order[k])
        rep = group[0]
        for key in group:
            sim = 1.0 if key == rep else round(similarity(signatures[rep], signatures[key]), 4)
            rows.append((rep, key, key == rep, sim))
    return touched, sorted(rows)
