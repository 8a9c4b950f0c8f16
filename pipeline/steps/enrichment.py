"""The `enrichment` step: entities, quotes, topics, policy events and search terms of the
articles not done yet; then the entities, their aliases and lineage rebuilt."""

from __future__ import annotations

from collections import Counter

import duckdb

from pipeline import parallel
from pipeline.models import Reject
from pipeline.progress import progress_bar
from pipeline.settings import Settings
from pipeline.steps.result import StepResult
from pipeline.steps.versions import ENRICH_MODULES, code_version
from pipeline.warehouse import enrichment as W
from pipeline.warehouse.views import apply_comment_file, load_reference_entities
from pipeline.workers import ENRICH_GROUP, article_stub, enrich_many, init_extractor

# An article's enrichment costs about 2.3 pages' extraction (18.8 vs 7.6 ms on one core, `make
# bench`), and in-process it first loads Kiwi: a pool pays from about 100 articles, not 200.
ENRICH_WEIGHT = 2.0


def enrichment_version(settings: Settings) -> str:
    """The code, reference data and NER model the enrichment rows come from."""
    from pipeline.reference import load_reference

    version = code_version(*ENRICH_MODULES) + ":" + load_reference(settings.reference_dir).version
    if settings.ner_model:
        from pipeline.stages.entities.model_backend import model_version

        version += ":" + model_version(settings.ner_model, settings.ner_label_map)
    return version


def enrich_step(con: duckdb.DuckDBPyConnection, settings: Settings) -> StepResult:
    """Entities, quotes, topics, policy events and search terms of the articles not done yet.

    Each article goes through Kiwi once; its tokens serve the entity rules, the event rules and
    the search index. A change to any of that code, to the reference data or to the NER model
    redoes every article.
    """
    version = enrichment_version(settings)
    W.prepare_enrichment(con, version)
    n_pending, pages = W.articles_to_enrich(con, parallel.PAGE_BATCH)
    if n_pending:
        W.forget_last_enriched(con)
    labels: Counter[str] = Counter()
    types: Counter[str] = Counter()
    n_articles = n_failed = 0
    with parallel.WorkerPool(parallel.workers_for(n_pending, settings.workers, ENRICH_WEIGHT),
                             init_extractor, (settings.reference_dir, settings.ner_model,
                                              settings.ner_label_map)) as pool, \
            progress_bar(n_pending, "enrichment", "article") as bar:
        batches = (list(parallel.batched((article_stub(r) for r in rows), ENRICH_GROUP))
                   for rows in pages)
        for groups, results in pool.map_batches(enrich_many, batches, chunksize=1):
            batch: dict[str, list] = {t: [] for t in W.ENRICH_TABLES}
            done, failed = [], []
            for stub, found in zip((s for g in groups for s in g), (f for r in results for f in r)):
                if "error" in found:
                    failed.append((stub.article_id, Reject(
                        stub.page_id, stub.source, stub.url, "enrich", "enrich_error",
                        found["error"])))
                    continue
                for table in W.ENRICH_TABLES:
                    batch[table] += found[table]
                done.append(stub.article_id)
            W.load_enrichment_batch(con, batch, done, failed)
            labels.update(m["label"] for m in batch["mentions"])
            types.update(e["type"] for e in batch["events"])
            n_articles += len(done)
            n_failed += len(failed)
            bar.update(len(done) + len(failed))
    rebuilt = W.rebuild_entities(con, version)
    load_lineage(con, settings.reference_dir)
    load_reference_entities(con, settings.reference_dir)  # type and region of entities
    preview, totals = W.enrichment_summary(con)
    return StepResult(
        {"articles_enriched": n_articles, "articles_failed": n_failed,
         "entities_rebuilt": int(rebuilt),
         "mentions_new": sum(labels.values()), "events_new": sum(types.values()), **totals,
         **{f"mentions_new_{k}": v for k, v in sorted(labels.items())},
         **{f"events_new_{k}": v for k, v in sorted(types.items())}},
        preview,
    )


def load_lineage(con: duckdb.DuckDBPyConnection, reference_dir) -> None:
    """entity_lineage from the reference renames (names in force by date, grouped by today's)."""
    from pipeline.reference import load_reference
    from pipeline.stages.entities.lineage import Lineage

    W.load_lineage(con, Lineage.from_renames(load_reference(reference_dir).renames).rows())


def search_index_step(con: duckdb.DuckDBPyConnection) -> StepResult:
    """The BM25 postings brought up to date with `article_search` (and rows for any article the
    enrichment has not tokenized yet)."""
    from pipeline.search import update_search_index

    update = update_search_index(con)
    apply_comment_file(con, "article_search")
    return StepResult({"articles_indexed": update.indexed, "articles_removed": update.removed,
                       "articles_added": update.added})
