"""Enrich stage: entities (PERSON, ORG, LOCATION, LAW, TECH, DATE, MONEY), quotes and topics.

Kiwi gives tokens and their offsets; curated reference data links names to canonical entities;
rules find what the reference data does not list. Kiwi is created once per process.
"""

from __future__ import annotations

import os
import re
import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.models import LABELS, Article, Enrichment, Mention, Quote
from pipeline.ner.crf import MODEL_DIR, CrfTagger
from pipeline.reference import Reference, load_reference, word_lists

from .entities.aliases import HeadPatterns, apply_definitions
from .entities.context import ORG_OR_LOC, RuleContext
from .entities.gazetteer import Gazetteer, reference_entries
from .entities.lineage import Lineage, link_in_force
from .entities.linking import entity_id, link_document, person_id, resolve_overlaps, to_mention
from .entities.model_backend import MODEL_LABELS, Span, TokenTagger
from .entities.model_spans import model_candidates
from .entities.names import SURNAMES, korean_name_shape
from .entities.numbers import parse_money
from .entities.places import glued_place_candidates
from .entities.quotes import extract_quotes
from .entities.registry import rule_labels, run_rules, select_rules
from .entities.tech import TechIndex
from .entities.text import (
    MAX_TEXT_CHARS,
    Candidate,
    Tok,
    chunk_spans,
    is_degenerate,
    kiwi_safe,
    sentence_index_of,
    sentence_starts,
)
from .entities.titles import BUILTIN_TITLES, TitleIndex
from .entities.words import split_words

_WORDS_PLACE_WORDS = word_lists("place_words")
_WORDS_TECH_WORDS = word_lists("tech_words")

if TYPE_CHECKING:
    from kiwipiepy import Kiwi

__all__ = ["EntityExtractor", "enrich_article", "enrichment_of", "entity_id", "get_kiwi", "parse_money",
           "person_id"]

# Fields and industries named in passing (bare AI, 반도체, 로봇) are not TECH mentions; named
# technologies (AI 반도체, 클라우드, GPU) are. Canonical names of the taxonomy's broad terms:
BROAD_TECH = frozenset(_WORDS_TECH_WORDS["broad_field"])
# Short place aliases that are also common words (경기 = economy, game) count only in chains.
AMBIGUOUS_PLACES = frozenset(_WORDS_PLACE_WORDS["ambiguous_place"])
HANGUL_CHAR = re.compile(r"[가-힣]")
HANGUL_WORD = re.compile(r"[가-힣]+")
LATIN_LETTER = re.compile(r"[A-Za-z]")
NUM_WORKERS = max(1, min(2, os.cpu_count() or 1))
# The least mean marginal probability at which a model span joins the rules' (per label;
# a label absent takes no model spans). Chosen on the gold sets, see docs/quality-ner.md.
FILL_SCORES = {"PERSON": 0.95}
# Characters of context the model tags on each side of a possible missed name (whole words).
FILL_WINDOW_CHARS = 40
MODEL_PRIORITY = 3  # of model candidates (model_spans): reference matches rank above

_KIWI: Kiwi | None = None
_KIWI_LOCK = threading.Lock()


def get_kiwi(num_workers: int = NUM_WORKERS) -> Kiwi:
    """The process-wide Kiwi instance (created on first use: 2–6 s, ~400 MB)."""
    global _KIWI
    if _KIWI is None:
        with _KIWI_LOCK:
            if _KIWI is None:
                from kiwipiepy import Kiwi

                # kiwipiepy 0.24 takes the worker count at construction; batched
                # tokenize(iterable) raises with 0 workers.
                _KIWI = Kiwi(num_workers=max(1, num_workers), load_multi_dict=False)
    return _KIWI


class EntityExtractor:
    """Finds entity mentions and quotes in Korean and English news text."""

    def __init__(
        self,
        reference: Reference | None = None,
        kiwi: Kiwi | None = None,
        num_workers: int | None = None,
        model_path: Path | None = None,
        label_map: Mapping[str, str | None] | Path | None = None,
        model_batch_size: int = 16,
        ner: str = "crf",
        crf_dir: Path | None = None,
        merge: str = "fill",
        fill_scores: Mapping[str, float] | None = None,
    ):
        """num_workers sizes the shared Kiwi; ner picks who finds PERSON/ORG/LOCATION.

        ner="crf" (default): the shipped CRF (pipeline/ner/model, trained on KLUE-NER) with the
        rules: merge="fill" keeps the rules' spans and adds the model's where no rule span lies
        and its score reaches fill_scores[label]; merge="replace" takes the model's spans
        instead of the rules' (reference matches stay). ner="rules": the rules alone.
        model_path: a Hugging Face token classifier, whose spans replace the rules'.
        """
        if ner not in ("crf", "rules"):
            raise ValueError(f"ner must be 'crf' or 'rules', not {ner!r}")
        self.reference = reference if reference is not None else load_reference()
        self._kiwi = kiwi
        self.num_workers = max(1, num_workers or NUM_WORKERS)
        self.gazetteer = Gazetteer(reference_entries(self.reference))
        titles = {t.title for t in self.reference.titles} | set(BUILTIN_TITLES)
        titles |= {e for t in self.reference.titles for e in t.english}
        self.titles = TitleIndex({t for t in titles if t})
        self.heads = HeadPatterns(titles)  # '(장관 X, 이하 Y)' at the head of releases
        self.tech = TechIndex(self.reference)  # glossed and glued TECH forms
        self.lineage = Lineage.from_renames(self.reference.renames)  # names in force by date
        self.version = self.reference.version
        # A local token classifier (optional extra) finds PERSON/ORG/LOCATION instead of rules.
        self.tagger = (
            TokenTagger(model_path, label_map, model_batch_size) if model_path is not None else None
        )
        self.crf = CrfTagger(crf_dir or MODEL_DIR) if ner == "crf" and self.tagger is None else None
        self.title_set = frozenset(self.titles.titles)
        # The labels mentions may carry (the gazetteer's internal PROGRAMME spans are dropped).
        self.labels = frozenset(LABELS) | rule_labels()
        # A Hugging Face model replaces the rules' spans; the CRF fills what the rules miss.
        self.merge = "replace" if self.tagger is not None else merge
        if self.merge not in ("fill", "replace"):
            raise ValueError(f"merge must be 'fill' or 'replace', not {merge!r}")
        self.fill_scores = dict(fill_scores if fill_scores is not None else FILL_SCORES)
        self.fill_window: int | None = FILL_WINDOW_CHARS  # None: tag whole sentences
        if self.crf is not None:
            self.version += ":crf-" + self.crf.version

    @property
    def kiwi(self) -> Kiwi:
        """The Kiwi given at construction or the shared one."""
        if self._kiwi is None:
            self._kiwi = get_kiwi(self.num_workers)
        return self._kiwi

    def extract(
        self, text: str, published_at: datetime | None = None
    ) -> tuple[list[Mention], list[Quote]]:
        """Mentions and quotes of one text; offsets index text."""
        return self.extract_many([text], [published_at])[0]

    def extract_with_tokens(
        self, text: str, published_at: datetime | None = None
    ) -> tuple[list[Mention], list[Quote], list[Tok]]:
        """Mentions, quotes and the Kiwi tokens they came from (events and search reuse them)."""
        text = text if isinstance(text, str) else ""
        tokens = self._tokenize_all([text])[0]
        spans = self.tagger.tag([text[:MAX_TEXT_CHARS]])[0] if self.tagger is not None else None
        mentions, quotes = self._extract_one(text, tokens, published_at, spans)
        return mentions, quotes, tokens

    def extract_many_with_tokens(
        self, texts: Sequence[str], published_at: Sequence[datetime | None]
    ) -> list[tuple[list[Mention], list[Quote], list[Tok]]]:
        """extract_with_tokens over several texts, with one Kiwi call for all of them.

        Tokenizing a handful of articles together and then running the rules is about 10 %
        faster than alternating per article: Kiwi's model stays in the CPU caches.
        """
        texts = [t if isinstance(t, str) else "" for t in texts]
        tokens = self._tokenize_all(texts)
        found: Sequence[list[Span] | None] = [None] * len(texts)
        if self.tagger is not None:
            found = self.tagger.tag([t[:MAX_TEXT_CHARS] for t in texts])
        return [
            (*self._extract_one(text, toks, when, spans), toks)
            for text, toks, when, spans in zip(texts, tokens, published_at, found)
        ]

    def extract_many(
        self, texts: Sequence[str], published_at: Sequence[datetime | None] | None = None
    ) -> list[tuple[list[Mention], list[Quote]]]:
        """Batched through Kiwi (kiwi.tokenize(iterable); workers set on the Kiwi) for throughput."""
        texts = [t if isinstance(t, str) else "" for t in texts]
        dates = list(published_at) if published_at is not None else [None] * len(texts)
        tokens = self._tokenize_all(texts)
        found: Sequence[list[Span] | None] = [None] * len(texts)
        if self.tagger is not None:
            found = self.tagger.tag([t[:MAX_TEXT_CHARS] for t in texts])
        return [
            self._extract_one(text, toks, when, spans)
            for text, toks, when, spans in zip(texts, tokens, dates, found)
        ]

    def _tokenize_all(self, texts: list[str]) -> list[list[Tok]]:
        """Kiwi tokens of every text, chunked and batched, with absolute offsets."""
        jobs: list[tuple[int, int]] = []  # (text index, chunk offset)
        chunks: list[str] = []
        for ti, text in enumerate(texts):
            for start, end in chunk_spans(text):
                chunk = text[start:end]
                if is_degenerate(chunk):
                    continue  # one character repeated: nothing to find, and slow for Kiwi
                jobs.append((ti, start))
                chunks.append(kiwi_safe(chunk))
        result: list[list[Tok]] = [[] for _ in texts]
        if not chunks:
            return result
        try:
            analysed = list(self.kiwi.tokenize(chunks))
        except Exception:  # noqa: BLE001 - one bad chunk must not sink the batch
            analysed = [self._tokenize_one(c) for c in chunks]
        # tuple.__new__ is what Tok(...) calls, minus a Python-level frame per token.
        new = tuple.__new__
        for (ti, offset), toks in zip(jobs, analysed):
            result[ti] += [
                new(Tok, (t.form, t.tag, offset + t.start, offset + t.start + t.len)) for t in toks
            ]
        return result

    def _tokenize_one(self, chunk: str) -> list:
        """Kiwi tokens of one chunk, or none when Kiwi fails on it."""
        try:
            return self.kiwi.tokenize(chunk)
        except Exception:  # noqa: BLE001
            return []

    def _extract_one(
        self,
        text: str,
        tokens: list[Tok],
        published: datetime | None,
        spans: list[Span] | None = None,
    ) -> tuple[list[Mention], list[Quote]]:
        """Mentions and quotes of one tokenized text; spans: the model's, when one is set."""
        if not text.strip():
            return [], []
        body = text[:MAX_TEXT_CHARS]
        words = split_words(body, tokens)
        found = self.gazetteer.find(body, tokens)
        crf_fill = spans is None and self.merge == "fill" and self._uses_model(body)
        if spans is None and self.merge == "replace" and self._uses_model(body):
            matches = [(c.start, c.end, c.label) for c in found]
            spans = self.crf.tag(body, tokens, matches, self.title_set)
        cands = [c for c in found if not _broad_or_ambiguous(body, c)]
        cands += glued_place_candidates(words, self.gazetteer)
        ctx = RuleContext(body, tokens, words, published, self.gazetteer, self.titles, self.tech,
                          self.heads, cands)
        if spans is not None and self.merge == "replace":
            # The model's spans replace the rules' for PERSON/ORG/LOCATION; names the reference
            # data lists stay and win an exact tie (the longer span wins an overlap).
            listed = [c for c in cands if c.label in ORG_OR_LOC]
            for c in listed:
                c.priority = max(c.priority, MODEL_PRIORITY + 1)
            run_rules(ctx, select_rules(after_names=False, without=MODEL_LABELS))
            ctx.found = [c for c in ctx.found if c.label not in MODEL_LABELS] + listed
            ctx.found += self._model_candidates(body, words, split_at_particles(body, tokens, spans))
            run_rules(ctx, select_rules(after_names=True, without=MODEL_LABELS))
        else:
            run_rules(ctx, select_rules(after_names=False))
            run_rules(ctx, select_rules(after_names=True))
        cands = ctx.found
        if crf_fill:
            # The rules' spans first; the model's fill what no rule span touches, tagged
            # only in the sentences where a proper noun lies outside every rule span.
            cands = resolve_overlaps(cands)
            taken = bytearray(len(body) + 1)
            for c in cands:
                taken[c.start : c.end] = b"\x01" * (c.end - c.start)
            spans = self._tag_open_sentences(body, tokens, found, taken)
            model = self._model_candidates(body, words, split_at_particles(body, tokens, spans))
            cands += [
                c for c in model
                if c.extra.get("score", 1.0) >= self.fill_scores.get(c.label, 2.0)
                and not any(taken[c.start : c.end])
                and (c.label != "PERSON" or c.known or _name_like(body[c.start : c.end]))
            ]
        chosen = resolve_overlaps(cands)
        chosen = link_document(body, tokens, chosen, self.gazetteer)
        chosen = link_in_force(chosen, self.lineage, published)
        chosen = apply_definitions(body, chosen, resolve_overlaps)
        starts = sentence_starts(body)
        mentions = [to_mention(body, c, starts) for c in chosen]
        mentions = [m for m in mentions
                    if m.label in self.labels and m.text == text[m.start : m.end]]
        quotes = extract_quotes(body, mentions, starts)
        return mentions, quotes

    def _tag_open_sentences(
        self, text: str, tokens: list[Tok], found: list[Candidate], taken: bytearray
    ) -> list[Span]:
        """CRF spans around the places where a name may start outside every rule span.

        The model is trained on single sentences; it tags a window of whole words around each
        such place, cut at the sentence's ends (features reach three characters, so a window
        of FILL_WINDOW_CHARS each side gives the sentence's spans at a part of the cost).
        """
        starts = sentence_starts(text)
        bounds = [*starts[1:], len(text)]
        by_sentence: dict[int, list[Tok]] = {}
        for t in tokens:
            if t.end <= len(text):
                by_sentence.setdefault(sentence_index_of(starts, t.start), []).append(t)
        out: list[Span] = []
        wanted = frozenset(self.fill_scores)
        reach = self.fill_window
        for k, toks in by_sentence.items():
            lo, hi = starts[k], bounds[k]
            for start, end in _open_windows(text, toks, taken, lo, hi, reach):
                local = [(t.form, t.tag, t.start - start, t.end - start) for t in toks
                         if start <= t.start < end]
                matches = [(c.start - start, c.end - start, c.label) for c in found
                           if start <= c.start and c.end <= end]
                for span in self.crf.tag(text[start:end], local, matches, self.title_set, wanted):
                    out.append(Span(span.start + start, span.end + start, span.label, span.score,
                                    span.model_label))
        return out

    def _uses_model(self, text: str) -> bool:
        """True when the CRF tags this text: it is set and the text is mostly Korean."""
        return self.crf is not None and _mostly_korean(text)

    def _model_candidates(self, text: str, words: list, spans: list[Span]) -> list[Candidate]:
        """The model's spans, trimmed and linked; bare field names (AI) stay out as for rules."""
        cands = model_candidates(text, spans, words, self.gazetteer, self.titles)
        return [c for c in cands if not (c.label == "TECH" and c.canonical in BROAD_TECH)]


def split_at_particles(text: str, tokens: list[Tok], spans: list[Span]) -> list[Span]:
    """Model spans cut where a word inside them ends in a particle or an ending.

    '경기테크노파크가 과학기술정보통신부' is two names: no name runs on past 가 and a space.
    """
    if not spans:
        return spans
    closing = {t.end for t in tokens if t.tag[:1] in ("J", "E")}
    out: list[Span] = []
    for span in spans:
        start = span.start
        for i in range(span.start + 1, span.end - 1):
            if text[i] == " " and i in closing and i > start:
                out.append(Span(start, i, span.label, span.score, span.model_label))
                start = i + 1
        out.append(Span(start, span.end, span.label, span.score, span.model_label))
    return out


def _open_windows(
    text: str, toks: list[Tok], taken: bytearray, lo: int, hi: int, reach: int | None
) -> list[tuple[int, int]]:
    """(start, end) of the pieces of the sentence text[lo:hi] the model tags: whole words within
    reach characters of a token a missed name may start with (overlapping pieces merged), or
    the whole sentence when reach is None; none when no such token is open."""
    out: list[tuple[int, int]] = []
    for i, t in enumerate(toks):
        if taken[t.start] or not _may_start_name(text, toks, i):
            continue
        if reach is None:
            return [(lo, hi)]
        start, end = max(lo, t.start - reach), min(hi, t.end + reach)
        while start > lo and not text[start - 1].isspace():
            start -= 1
        while end < hi and not text[end].isspace():
            end += 1
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def _may_start_name(text: str, toks: list[Tok], i: int) -> bool:
    """True for a token a person's name the rules missed may start with: a Latin word, a
    proper noun that starts with a surname or is followed by another (앤더슨 실바).

    Acronyms and single letters (ICT, AI, 'A 과제') are most Latin words in the news and start
    no name the rules miss (A씨 is theirs): skipping them cuts the text the model tags from
    28 % to 11 % of gov_press releases, with the same spans on the gold sets.
    """
    t = toks[i]
    if t.tag == "SL":
        return len(t.form) > 1 and not t.form.isupper()
    if t.tag != "NNP":
        return False
    if t.form[:1] in SURNAMES and (len(t.form) == 1 or korean_name_shape(t.form)):
        return True
    after = toks[i + 1] if i + 1 < len(toks) else None
    return after is not None and after.tag == "NNP" and text[t.end : after.start] == " "


def _name_like(surface: str) -> bool:
    """A person's name as the model may add it: a Korean name's shape, or not all Hangul."""
    if HANGUL_WORD.fullmatch(surface):
        return korean_name_shape(surface)
    return True


def _mostly_korean(text: str) -> bool:
    """True when Hangul makes at least a fifth of the letters (the model reads Korean only)."""
    hangul = len(HANGUL_CHAR.findall(text))
    return hangul >= 0.2 * max(1, hangul + len(LATIN_LETTER.findall(text)))


def _broad_or_ambiguous(text: str, c: Candidate) -> bool:
    """True for a bare field name (AI, 반도체) or an ambiguous short place alias (경기)."""
    if c.label == "TECH" and c.canonical in BROAD_TECH:
        return True
    return c.label == "LOCATION" and text[c.start : c.end] in AMBIGUOUS_PLACES


def enrich_article(article: Article, extractor: EntityExtractor) -> Enrichment:
    """Mentions, quotes and topics of one article; offsets index article.text."""
    mentions, quotes = extractor.extract(article.text, article.published_at)
    return enrichment_of(article.article_id, mentions, quotes)


def enrichment_of(article_id: str, mentions: list[Mention], quotes: list[Quote]) -> Enrichment:
    """An Enrichment record, topics being TECH canonicals by frequency."""
    counts = Counter(m.canonical for m in mentions if m.label == "TECH")
    topics = tuple(name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return Enrichment(article_id, tuple(mentions), tuple(quotes), topics)


def misplaced_mention(mentions: Sequence[Mention], text: str, field: str) -> str | None:
    """What is wrong with the first mention whose offsets do not cut its surface out of `text`,
    or None. The enrichment refuses such an article (an `enrich_error` reject) rather than store
    offsets no reader can use; the warehouse check then only re-reads the latest run's rows."""
    for m in mentions:
        if not 0 <= m.start <= m.end <= len(text) or text[m.start:m.end] != m.text:
            return (f"mention {m.text!r} at {m.start}-{m.end} of the {field} does not match "
                    f"{text[m.start:m.end]!r}")
    return None
