"""Job titles (원장, 장관, 도지사) and the role and affiliation they give a name next to them."""

from __future__ import annotations

import re

from pipeline.reference import word_lists

from .text import Candidate
from .words import Word

_WORDS = word_lists("title_words")

# Titles that mark a person even when titles.tsv lacks them (rule data, not names).
BUILTIN_TITLES = frozenset(_WORDS["title"])
# Common words that end in a title (주차장 ends in 차장): never a title.
TITLE_FALSE = _WORDS["not_title"]
# C-level titles spelled out in Korean: 최고기술책임자, 최고재무책임자.
C_LEVEL_TITLE = re.compile(r"최고[가-힣]{1,6}책임자$")


class TitleIndex:
    """Job titles (원장, 장관, 도지사) found as a word or at the end of a word."""

    def __init__(self, titles: set[str]):
        self.titles = sorted(titles, key=len, reverse=True)
        # The longest title that ends a word: one set lookup per title length, longest first.
        self._by_length = [
            (n, frozenset(t for t in self.titles if len(t) == n))
            for n in sorted({len(t) for t in self.titles}, reverse=True)
        ]
        self._seen: dict[str, str | None] = {}  # core -> suffix: the same words recur

    def suffix(self, core: str) -> str | None:
        """The longest title that ends core, if any."""
        if core in self._seen:
            return self._seen[core]
        found = self._suffix(core)
        if len(self._seen) < 100_000:  # bounded, in a long-lived worker
            self._seen[core] = found
        return found

    def _suffix(self, core: str) -> str | None:
        """suffix() without the memo."""
        if core.endswith(TITLE_FALSE):
            return None
        c_level = C_LEVEL_TITLE.search(core)
        if c_level is not None:
            return c_level.group(0)
        for n, titles in self._by_length:
            if len(core) >= n and core[-n:] in titles:
                return core[-n:]
        return None


def title_after(
    text: str, words: list[Word], i: int, titles: TitleIndex, org_at: dict[int, Candidate]
) -> tuple[str, str | None] | None:
    """(role, affiliation) when a title follows the name within a few particle-free words."""
    if words[i].has_tail:
        return None
    affiliation: str | None = None
    for j in range(i + 1, min(i + 5, len(words))):
        word = words[j]
        if word.start > words[j - 1].end + 1 and "\n" in text[words[j - 1].end : word.start]:
            return None
        org = org_at.get(word.start)
        if org is not None and org.label in ("ORG", "LOCATION") and affiliation is None:
            affiliation = org.canonical
        title = titles.suffix(word.core)
        if title is not None and (word.core == title or len(word.core) > len(title)):
            return title, affiliation
        if word.has_tail or word.core_end == word.start:
            return None
    return None


def title_before(
    words: list[Word], i: int, titles: TitleIndex, org_at: dict[int, Candidate]
) -> tuple[str, str | None] | None:
    """(role, affiliation) for '원장 정진수' or '경기테크노파크 정진수 원장' orders."""
    if i == 0:
        return None
    prev = words[i - 1]
    if prev.has_tail or prev.end + 1 != words[i].start:
        return None
    title = titles.suffix(prev.core)
    if title is None:
        return None
    affiliation = None
    org = org_at.get(prev.start)
    if org is not None:
        affiliation = org.canonical
    elif i >= 2 and not words[i - 2].has_tail and words[i - 2].start in org_at:
        affiliation = org_at[words[i - 2].start].canonical
    return title, affiliation
