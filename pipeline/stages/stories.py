"""Incremental story grouping: new articles join (and may merge) the stories already stored.

The batch grouping in dedupe.py hashes every body; here only new bodies are hashed and the stored
signatures of older articles are reused, so adding 1 % new pages costs about 1 % of the hashing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import numpy as np
from datasketch import MinHash, MinHashLSH

from pipeline.stages.dedupe import DEFAULT_THRESHOLD, SEED, UnionFind

NUM_PERM = 128
SCHEME = MinHash(num_perm=NUM_PERM, seed=SEED).scheme


def signature_bytes(signature: MinHash) -> bytes:
    """A signature as bytes for the warehouse."""
    return signature.hashvalues.tobytes()


def signature_from_bytes(blob: bytes) -> MinHash:
    """A signature read back from the warehouse."""
    values = np.frombuffer(blob, dtype=MinHash(num_perm=NUM_PERM, seed=SEED).hashvalues.dtype)
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=values, scheme=SCHEME)


def assign_stories(
    new: Mapping[str, MinHash],
    stored: Mapping[str, MinHash],
    story_of: Mapping[str, str],
    order: Mapping[str, tuple],
    threshold: float = DEFAULT_THRESHOLD,
) -> tuple[set[str], list[tuple[str, str, bool, float]]]:
    """Stories touched by the new articles, and the rows that replace them.

    `story_of` maps stored articles to their story; `order` gives every involved article's sort
    key (earliest published, then longest), whose first article represents the story.
    """
    signatures = {**stored, **new}
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    for key, sig in signatures.items():
        lsh.insert(key, sig)
    sets = UnionFind()
    for key, sig in new.items():
        sets.find(key)
        for other in lsh.query(sig):
            if other != key and sig.jaccard(signatures[other]) >= threshold:
                sets.union(key, other)
    touched = {story_of[k] for k in list(sets.parent) if k in story_of}
    members: dict[str, list[str]] = defaultdict(list)
    for article, story in story_of.items():
        if story in touched:
            members[story].append(article)
    for group in members.values():
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
            similarity = 1.0 if key == rep else round(signatures[rep].jaccard(signatures[key]), 4)
            rows.append((rep, key, key == rep, similarity))
    return touched, sorted(rows)
