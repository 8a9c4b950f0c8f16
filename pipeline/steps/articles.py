"""The `articles` step: extract, clean and dedupe the pages not processed yet; place the new
articles into stories."""

from __future__ import annotations

from collections import Counter
from functools import partial

import duckdb
import pandas as pd

from pipeline import parallel
from pipeline.progress import progress_bar
from pipeline.settings import Settings
from pipeline.stages.stories import assign_stories, signature_values
from pipeline.steps.result import StepResult
from pipeline.steps.versions import EXTRACTION_MODULES, code_version
from pipeline.warehouse import articles as W
from pipeline.warehouse import set_stage_version, stage_version
from pipeline.workers import extract_and_sign_row

STORY_CHUNK = 5000  # new articles placed into stories at a time (bounds memory on a backfill)


def build_articles_step(con: duckdb.DuckDBPyConnection, settings: Settings) -> StepResult:
    """Extract and clean the pages not processed yet; dedupe them against stored articles.

    A change to the extraction or cleaning code (its version) reprocesses every page from the
    raw store, without refetching anything.
    """
    version = code_version(*EXTRACTION_MODULES)
    if stage_version(con, W.STAGE) != version:
        W.reset_articles(con)
        set_stage_version(con, W.STAGE, version)
    W.forget_stale_pages(con)
    known_ids = W.article_ids(con)
    n_pending, batches = W.pages_to_process(con, parallel.PAGE_BATCH)
    counts: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    new_ids: list[str] = []
    preview: list[dict] = []
    process = partial(extract_and_sign_row, raw_dir=str(settings.raw_dir))
    with parallel.WorkerPool(parallel.workers_for(n_pending, settings.workers)) as pool, \
            progress_bar(n_pending, "articles", "page") as bar:
        for rows, results in pool.map_batches(process, batches, chunksize=8):
            bar.update(len(rows))
            html_key = {r[0]: r[7] for r in rows}
            out = W.ArticleBatch()
            for result, signature in results:
                out.add(result, signature, html_key, known_ids, new_ids)
            out.load(con)
            counts.update(out.counts)
            reasons.update(out.reasons)
            preview += out.preview[: 10 - len(preview)]
    stories_touched = update_stories(con, new_ids)
    n_articles, n_stories = W.article_totals(con)
    return StepResult(
        {"pages_processed": counts["pages"], "articles_new": counts["articles"],
         "rejects_new": counts["rejects"], "duplicates_new": counts["duplicates"],
         "stories_touched": stories_touched, "articles": n_articles, "stories": n_stories},
        pd.DataFrame(preview), dict(reasons),
    )


def update_stories(con: duckdb.DuckDBPyConnection, new_ids: list[str]) -> int:
    """Put the new articles into stories (joining or merging stored ones); returns stories touched.

    A large backfill goes in chunks, each joining the stories of the chunks before it, exactly
    as successive runs would.
    """
    return len(set().union(*(_update_stories_chunk(con, chunk)
                             for chunk in parallel.batched(new_ids, STORY_CHUNK))))


def _update_stories_chunk(con: duckdb.DuckDBPyConnection, new_ids: list[str]) -> set[str]:
    """Stories of some new articles; returns the ids of the stories written.

    Only the articles involved are read: the new ones, those sharing an LSH band with them, and
    the members of their stories.
    """
    if not new_ids:
        return set()
    pairs, members = W.story_candidates(con, new_ids)
    story_of = {article: story for story, article in members}
    members_of: dict[str, list[str]] = {}
    for story, article in members:
        members_of.setdefault(story, []).append(article)
    wanted = {*new_ids, *(x for pair in pairs for x in pair), *story_of}
    blobs, order = W.story_inputs(con, wanted)
    signatures = {aid: signature_values(blob) for aid, blob in blobs.items()}
    touched, rows = assign_stories(new_ids, pairs, signatures, story_of, members_of, order)
    W.write_stories(con, touched, rows)
    return {s for s, *_ in rows}
