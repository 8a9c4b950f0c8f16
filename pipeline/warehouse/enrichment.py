"""The enrichment tables (mentions, quotes, topics, events, their roles, search rows), the
entities rebuilt from them, and the enrichment's rows of the increment ledger."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import duckdb
import pandas as pd
import pyarrow as pa

from pipeline.models import Reject
from pipeline.warehouse import rows as R
from pipeline.warehouse.db import insert_rows, set_stage_version, stage_version
from pipeline.warehouse.sqlfiles import pending_rows, run_load
from pipeline.warehouse.transaction import transaction

STAGE = "enrichment"  # its rows in axnews_state.processed (items: articles) and stage_state
ENTITIES = "entities"  # its stage_state row: the inputs `entities` were last built from
# Every table the enrichment writes per article, with the Arrow schema of its rows.
ENRICH_SCHEMAS = {"mentions": R.MENTIONS, "quotes": R.QUOTES, "article_topics": R.TOPICS,
                  "events": R.EVENTS, "event_roles": R.EVENT_ROLES, "article_search": R.SEARCH}
ENRICH_TABLES = tuple(ENRICH_SCHEMAS)


def prepare_enrichment(con: duckdb.DuckDBPyConnection, version: str) -> None:
    """Reset the enrichment when its version changed; drop rows of articles now gone."""
    from pipeline.warehouse.search_index import create_article_search

    create_article_search(con)  # the search step reads it; the reset below deletes from it
    if stage_version(con, STAGE) != version:
        with transaction(con):
            run_load(con, "enrichment_reset")
        set_stage_version(con, STAGE, version)
    with transaction(con):
        run_load(con, "enrichment_drop_gone")


def articles_to_enrich(con: duckdb.DuckDBPyConnection,
                       page_size: int) -> tuple[int, Iterator[list[tuple]]]:
    """How many articles wait for enrichment, and their rows page_size at a time (article_id
    order)."""
    return pending_rows(con, "articles_to_enrich", "articles_to_enrich_rows", page_size)


def forget_last_enriched(con: duckdb.DuckDBPyConnection) -> None:
    """A run with articles to enrich: `last_enriched` will list this run's, not the last one's."""
    run_load(con, "last_enriched_forget")


def load_enrichment_batch(con: duckdb.DuckDBPyConnection, rows: dict[str, list[dict]],
                          article_ids: list[str], failed: Sequence[tuple[str, Reject]] = ()) -> None:
    """Insert the rows of some articles and mark them enriched, in one transaction (their search
    rows replace any the search step wrote first). An article the rules failed on is a `rejects`
    row (stage `enrich`) and is marked done with its reason: tried again when the enrichment's
    version changes, not on every run."""
    done = [{"stage": STAGE, "item_id": a} for a in article_ids]
    done += [{"stage": STAGE, "item_id": a, "reason": r.reason} for a, r in failed]
    with transaction(con):
        for table in ENRICH_TABLES:
            if table == "article_search":
                run_load(con, "article_search_delete_articles", {"ids": article_ids})
            insert_rows(con, table, R.to_table(rows[table], ENRICH_SCHEMAS[table]))
        insert_rows(con, "axnews_state.processed", R.to_table(done, R.PROCESSED))
        insert_rows(con, "axnews_state.last_enriched",
                    pa.table({"article_id": pa.array(article_ids, pa.string())}))
        if failed:
            insert_rows(con, "rejects", R.to_table([R.reject_row(r) for _, r in failed], R.REJECTS))


def rebuild_entities(con: duckdb.DuckDBPyConnection, version: str) -> bool:
    """`entities` and `entity_aliases` again from every mention, in one transaction, unless
    their inputs (the enrichment's ledger and version, the articles' dates) are those they were
    last built from: a run with nothing new does not aggregate millions of mentions again.
    Their own row counts are part of the key: tables emptied by hand are built again.
    Returns whether they were rebuilt."""
    inputs = run_load(con, "entities_inputs").fetchone()[0] + "/" + version

    def key() -> str:
        return inputs + "/" + ":".join(str(n) for n in run_load(con, "entities_counts").fetchone())

    if stage_version(con, ENTITIES) == key():
        return False
    with transaction(con):
        run_load(con, "entities")
        run_load(con, "entity_aliases")
    set_stage_version(con, ENTITIES, key())
    return True


def load_lineage(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    """Replace `entity_lineage` with rows of (label, canonical, current_canonical)."""
    table = pa.Table.from_pylist(rows, schema=pa.schema(
        [("label", pa.string()), ("canonical", pa.string()), ("current_canonical", pa.string())]))
    with transaction(con):
        con.register("_lineage", table)
        try:
            run_load(con, "entity_lineage")
        finally:
            con.unregister("_lineage")


def enrichment_summary(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, dict[str, int]]:
    """The most mentioned entities, and the rows of each enrichment table."""
    preview = run_load(con, "entities_preview").df()
    cursor = run_load(con, "enrichment_totals")
    names = [d[0] for d in cursor.description]
    return preview, dict(zip(names, cursor.fetchone()))
