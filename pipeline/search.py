"""Full-text search over articles: BM25 over Kiwi morphemes, in plain SQL tables.

Korean particles stay glued to their nouns in any space-splitting tokenizer (반도체의, 반도체를),
so titles and bodies are reduced to their content morphemes with Kiwi first, into
`article_search.search_text` (the enrich stage writes them from the tokens it already has);
queries go through the same `morphemes` function.

The index is three tables (sql/search/search_tables.sql): `search_docs` (article, length),
`search_postings` (term, article, tf) and `search_terms` (term, df). `build_search_index` brings
them up to date in one transaction: postings of new or changed articles in, those of deleted or
changed ones out, each touched term's df moved by the difference. No extension: the same tables
and the same SQL serve a DuckDB file and DuckLake, and the result equals a full rebuild (tested).

Ranked by BM25 from any SQL shell (the macros are stored in a DuckDB-file warehouse; the query
is written as morphemes: 반도체, not 반도체의; English lower-case):

    select * from search_articles('반도체 클라우드', since := date '2025-01-01');
    select * from search_bm25('반도체') order by score desc limit 10;
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline.warehouse.search_index import (
    IndexUpdate,
    define_search_macros,
    has_search_index,
    ranked_articles,
    update_index,
)

__all__ = ["IndexUpdate", "define_search_macros", "has_search_index"]  # part of the search API
TOKENIZER_VERSION = "kiwi-0.24/1"  # bump when morphemes() changes: every article is tokenized again

# Kiwi tags kept as search terms: nouns, foreign words, Hanja, numbers, verb/adjective stems, roots.
CONTENT_TAGS = frozenset({"NNG", "NNP", "SL", "SH", "SN", "VV", "VA", "XR"})
# Tags glued together when adjacent (5 + G → 5g).
ALNUM_TAGS = frozenset({"SL", "SH", "SN"})
ENGLISH_STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is",
    "it", "its", "of", "on", "or", "s", "that", "the", "to", "was", "were", "will", "with",
})
SNIPPET_CHARS = 160
SNIPPET_LEAD = 50  # characters shown before the first match
HANGUL = re.compile(r"[가-힣]")
WORD_CHAR = r"[0-9A-Za-z가-힣]"


class SearchIndexMissing(RuntimeError):
    """The warehouse has no article_search index yet."""


@dataclass(frozen=True)
class SearchHit:
    """One ranked article, with a snippet whose matched words are marked «like this»."""

    article_id: str
    title: str
    outlet: str | None
    source: str
    published_at: datetime | None
    score: float
    snippet: str
    url: str = ""


# ---------------------------------------------------------------- morphemes


def _kiwi():
    """The process-wide Kiwi shared with the enrich stage (created with up to 2 worker threads)."""
    from pipeline.stages.enrich import get_kiwi

    return get_kiwi()


def _terms(tokens) -> list[str]:
    """Lower-cased content morphemes of one chunk's Kiwi tokens, adjacent alphanumerics joined."""
    terms: list[str] = []
    last_end, last_alnum = -1, False
    for tok in tokens:
        tag = tok.tag.split("-")[0]  # VV-R, VA-I: irregular stems
        if tag not in CONTENT_TAGS:
            last_alnum = False
            continue
        form = tok.form.lower()
        alnum = tag in ALNUM_TAGS
        if alnum and last_alnum and tok.start == last_end:
            terms[-1] += form
        else:
            terms.append(form)
        last_end, last_alnum = tok.start + tok.len, alnum
    return [t for t in terms if t not in ENGLISH_STOPWORDS and not (len(t) == 1 and t.isascii()
                                                                      and t.isalpha())]


def search_row(article_id: str, title: str, text: str, title_tokens, text_tokens) -> dict:
    """An article_search row from Kiwi tokens already computed (by the enrich stage).

    The tokens are Toks, which have the form, tag, start and len that `_terms` reads.
    """
    terms = _terms(title_tokens) + _terms(text_tokens)
    digest = hashlib.md5(f"{TOKENIZER_VERSION}\n{title}\n{text}".encode()).hexdigest()
    return {"article_id": article_id, "title": title or "", "search_text": " ".join(terms),
            "text_hash": digest}


def morphemes_many(texts: Sequence[str]) -> list[str]:
    """Kiwi content morphemes of each text, space-joined and lower-cased (one batched Kiwi call)."""
    from pipeline.stages.entities.text import chunk_spans, kiwi_safe

    owners: list[int] = []
    chunks: list[str] = []
    for i, text in enumerate(texts):
        for start, end in chunk_spans(text or ""):
            owners.append(i)
            chunks.append(kiwi_safe(text[start:end]))
    out: list[list[str]] = [[] for _ in texts]
    if not chunks:
        return ["" for _ in texts]
    for owner, tokens in zip(owners, _kiwi().tokenize(chunks)):  # its worker threads (<= 2)
        out[owner].extend(_terms(tokens))
    return [" ".join(terms) for terms in out]


def morphemes(text: str) -> str:
    """Kiwi content morphemes of text, space-joined and lower-cased: 반도체의/반도체를 → 반도체."""
    if not text or not text.strip():
        return ""
    from pipeline.stages.entities.text import kiwi_safe

    return " ".join(_terms(_kiwi().tokenize(kiwi_safe(text))))


# ---------------------------------------------------------------- index


def search_rows(rows: Sequence[tuple]) -> pa.Table:
    """article_search rows for (article_id, title, text, text_hash): title and body as morphemes."""
    texts = [f"{title or ''}\n{text or ''}" for _, title, text, _ in rows]
    return pa.table({
        "article_id": pa.array([r[0] for r in rows], pa.string()),
        "title": pa.array([r[1] or "" for r in rows], pa.string()),
        "search_text": pa.array(morphemes_many(texts), pa.string()),
        "text_hash": pa.array([r[3] for r in rows], pa.string()),
    })


def build_search_index(con: duckdb.DuckDBPyConnection, full: bool = False) -> int:
    """Bring article_search and its BM25 postings up to date; returns the articles indexed."""
    return update_search_index(con, full).indexed


def update_search_index(con: duckdb.DuckDBPyConnection, full: bool = False) -> IndexUpdate:
    """Bring article_search and its BM25 postings up to date with articles.

    Only new or changed articles go through Kiwi and into the postings; deleted or changed ones
    leave them (full=True tokenizes and indexes every article again). All in one transaction,
    run again when it loses a commit race to another DuckLake writer.
    """
    return update_index(con, TOKENIZER_VERSION, search_rows, full)


# ---------------------------------------------------------------- query


def search(con: duckdb.DuckDBPyConnection, query: str, since: date | None = None,
           source: str | None = None, entity: str | None = None, limit: int = 10
           ) -> list[SearchHit]:
    """Articles matching query, best BM25 score first, with marked snippets."""
    terms = morphemes(query)
    if not terms or limit <= 0:
        return []
    if not has_search_index(con):
        raise SearchIndexMissing("no search index in this warehouse: build it first "
                                 "(build_search_index, or `axnews run`: the enrichment asset)")
    rows = ranked_articles(con, {
        "query": terms, "since": since, "source": source or None, "entity": entity or None,
        "limit": limit,
    })
    words = terms.split()
    return [SearchHit(article_id, title, outlet, src, published_at, float(score),
                      snippet(text, words), url or "")
            for article_id, title, outlet, src, published_at, score, text, url in rows]


def _term_pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    """A case-insensitive pattern for the query words as they appear in text.

    Latin and digit words, and one-syllable Hangul ones, must start a word (ai not in said);
    longer Hangul words match anywhere (반도체 in 시스템반도체, then any particle: «반도체»의).
    """
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        escaped = re.escape(word)
        if HANGUL.match(word) and len(word) >= 2:
            parts.append(escaped)
        else:
            parts.append(rf"(?<!{WORD_CHAR}){escaped}")
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def snippet(text: str, words: Sequence[str], width: int = SNIPPET_CHARS) -> str:
    """About width characters of text around the first matched word, matches marked «word».

    Adjacent matches merge, so a compound Kiwi split (양자 + 컴퓨터) is marked «양자컴퓨터».
    """
    flat = " ".join((text or "").split())
    pattern = _term_pattern(words)
    first = pattern.search(flat) if pattern else None
    start = max(0, first.start() - SNIPPET_LEAD) if first else 0
    if start > 0:
        space = flat.find(" ", start, first.start())
        start = space + 1 if space >= 0 else start
    end = min(len(flat), start + width)
    if end < len(flat):
        space = flat.rfind(" ", start + width // 2, end)
        end = space if space > 0 else end
    window = flat[start:end]
    if pattern:
        window = pattern.sub(lambda m: f"«{m.group(0)}»", window).replace("»«", "")
    return ("…" if start > 0 else "") + window + ("…" if end < len(flat) else "")


# ---------------------------------------------------------------- command line


def add_search_parser(subparsers: argparse._SubParsersAction) -> None:
    """Add the `search` sub-command."""
    parser = subparsers.add_parser("search", help=cmd_search.__doc__,
                                   description=cmd_search.__doc__ + " The query is split into "
                                   "Kiwi morphemes (반도체의 → 반도체) and ranked by BM25; "
                                   "build the index first (`axnews run`: the enrichment asset).")
    parser.add_argument("query", help="words to look for, Korean or English")
    parser.add_argument("--since", type=date.fromisoformat, metavar="DATE",
                        help="only articles published on or after DATE (YYYY-MM-DD)")
    parser.add_argument("--source", metavar="NAME", help="only this source (name or outlet)")
    parser.add_argument("--entity", metavar="NAME",
                        help="only articles mentioning this entity (canonical name or alias)")
    parser.add_argument("--limit", type=int, default=10, metavar="N",
                        help="at most N hits (default 10)")
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="table (default) or one JSON object per line")
    parser.add_argument("--warehouse", type=Path, metavar="FILE",
                        help="DuckDB file (default data/warehouse.duckdb)")
    parser.set_defaults(func=cmd_search)


def cmd_search(args: argparse.Namespace) -> int:
    """Full-text search over the articles in the warehouse."""
    from pipeline.settings import load_settings
    from pipeline.warehouse import connect

    warehouse = args.warehouse or load_settings().warehouse
    if not Path(warehouse).is_file():
        print(f"axnews search: warehouse not found: {warehouse}", file=sys.stderr)
        return 2
    con = connect(warehouse, read_only=True)
    try:
        hits = search(con, args.query, since=args.since, source=args.source,
                      entity=args.entity, limit=args.limit)
    except SearchIndexMissing as exc:
        print(f"axnews search: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    print_hits(hits, args.format)
    return 0


def _pad(text: str, width: int) -> str:
    """text cut or padded to width terminal cells (a Hangul syllable takes two)."""
    from pipeline.formatting import display_width

    while display_width(text) > width:
        text = text[:-1]
    return text + " " * (width - display_width(text))


def print_hits(hits: Sequence[SearchHit], fmt: str = "table") -> None:
    """Print hits as a table (rank, score, date, outlet, title, snippet) or JSON lines."""
    if fmt == "json":
        for rank, hit in enumerate(hits, 1):
            record = {"rank": rank, **asdict(hit)}
            record["published_at"] = hit.published_at.isoformat() if hit.published_at else None
            print(json.dumps(record, ensure_ascii=False))
        return
    if not hits:
        print("(no hits)")
        return
    print(f"{'rank':>4}  {'score':>6}  {'date':10}  {'outlet':14}  title / snippet")
    for rank, hit in enumerate(hits, 1):
        day = hit.published_at.date().isoformat() if hit.published_at else "-"
        outlet = (hit.outlet or hit.source)[:14]
        print(f"{rank:>4}  {hit.score:6.2f}  {day:10}  {_pad(outlet, 14)}  {hit.title}")
        print(f"{'':>40}{hit.snippet}")
        if hit.url:
            print(f"{'':>40}{hit.url}")
