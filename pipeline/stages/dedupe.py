"""Collapse exact duplicates and group near-duplicates (syndicated copies) into stories."""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from datasketch import MinHash, MinHashLSH

from pipeline.models import Article, Reject

STAGE = "dedupe"
SHINGLE_SIZES = (4,)  # character n-grams of the whitespace-stripped body; chosen by eval_stories
DEFAULT_THRESHOLD = 0.4  # estimated Jaccard; middle of the best plateau (0.2-0.5) in tests/eval_stories.py
SEED = 1  # fixed so that story grouping is reproducible run to run
NO_DATE = datetime.max.replace(tzinfo=UTC)
SPACE = re.compile(r"\s+")
SCHEME = "affine32"  # datasketch's default; stated because permutations are passed in


@dataclass(frozen=True)
class DedupeResult:
    """Unique articles, every URL seen, duplicate rejects and story membership."""

    articles: list[Article]
    urls: list[tuple[str, str, str]]  # (article_id, url, page_id), duplicates included
    duplicates: list[Reject]
    stories: list[tuple[str, str, bool, float]]  # (story_id, article_id, is_representative, similarity)


def shingles(text: str, sizes: tuple[int, ...] = SHINGLE_SIZES) -> set[str]:
    """Character n-grams of the text with all whitespace removed."""
    compact = SPACE.sub("", text.lower())
    grams = {compact[i : i + n] for n in sizes for i in range(max(len(compact) - n + 1, 1))}
    return grams or {compact}


def minhash(text: str, num_perm: int, sizes: tuple[int, ...] = SHINGLE_SIZES) -> MinHash:
    """The MinHash signature of a body's shingles.

    crc32 rather than datasketch's default sha1: half the cost per page, and the affine32 scheme
    mixes (fmix) every value before permuting, so crc32's linearity does not show.
    """
    m = MinHash(num_perm=num_perm, seed=SEED, hashfunc=zlib.crc32, scheme=SCHEME,
                permutations=permutations(num_perm))
    m.update_batch([g.encode("utf-8") for g in shingles(text, sizes)])
    return m


@cache
def permutations(num_perm: int) -> tuple:
    """The seeded permutation parameters, computed once per process (not once per signature)."""
    return MinHash(num_perm=num_perm, seed=SEED).permutations


def order_key(article: Article) -> tuple:
    """Earliest published first, then longest, then page id (so ties are stable)."""
    return (article.published_at or NO_DATE, -len(article.text), article.page_id)


def collapse_exact(articles: Iterable[Article]) -> tuple[list[Article], list[tuple[str, str, str]], list[Reject]]:
    """One article per article_id; all URLs kept; the extra copies become duplicate rejects."""
    groups: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        groups[a.article_id].append(a)
    kept, urls, rejects = [], [], []
    for aid, copies in groups.items():
        copies.sort(key=order_key)
        kept.append(copies[0])
        urls.extend((aid, c.url, c.page_id) for c in copies)
        rejects.extend(
            Reject(c.page_id, c.source, c.url, STAGE, "duplicate", f"same body as {copies[0].page_id} ({aid})")
            for c in copies[1:]
        )
    return kept, urls, rejects


class UnionFind:
    """Disjoint sets over article ids."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        """Root of x's set, with path halving."""
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        """Merge the sets of a and b."""
        self.parent[self.find(a)] = self.find(b)


def similar_pairs(signatures: dict[str, MinHash], threshold: float, num_perm: int) -> list[tuple[str, str]]:
    """Pairs whose estimated Jaccard reaches the threshold (LSH candidates, then verified)."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    for key, sig in signatures.items():
        lsh.insert(key, sig)
    pairs = set()
    for key, sig in signatures.items():
        for other in lsh.query(sig):
            if other != key and sig.jaccard(signatures[other]) >= threshold:
                pairs.add((min(key, other), max(key, other)))
    return sorted(pairs)


def group_stories(
    articles: list[Article], threshold: float, num_perm: int
) -> list[tuple[str, str, bool, float]]:
    """Story rows: connected components of similar articles, the earliest as representative."""
    signatures = {a.article_id: minhash(a.text, num_perm) for a in articles}
    sets = UnionFind()
    for a in articles:
        sets.find(a.article_id)
    for x, y in similar_pairs(signatures, threshold, num_perm):
        sets.union(x, y)
    members: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        members[sets.find(a.article_id)].append(a)
    rows = []
    for group in members.values():
        group.sort(key=order_key)
        rep = group[0]
        for a in group:
            sim = 1.0 if a is rep else round(signatures[rep.article_id].jaccard(signatures[a.article_id]), 4)
            rows.append((rep.article_id, a.article_id, a is rep, sim))
    rows.sort()
    return rows


def dedupe_articles(
    articles: Iterable[Article], threshold: float = DEFAULT_THRESHOLD, num_perm: int = 128
) -> DedupeResult:
    """Exact duplicates collapsed, near-duplicates grouped into stories (singletons included)."""
    kept, urls, rejects = collapse_exact(articles)
    kept.sort(key=order_key)
    return DedupeResult(kept, urls, rejects, group_stories(kept, threshold, num_perm))
