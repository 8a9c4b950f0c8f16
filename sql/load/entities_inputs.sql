-- What `entities` and `entity_aliases` are built from, as one value: the enrichment's ledger
-- (mentions are written and dropped in the same transactions as its rows) and each article's
-- publication time (first and last seen). Cheap: no scan of `mentions` or of article texts.
select (select count(*) || ':' || coalesce(sum(hash(item_id, reason)), 0)
        from axnews_state.processed where stage = 'enrichment')
       || '/' ||
       (select count(*) || ':' || coalesce(sum(hash(article_id, published_at)), 0)
        from articles);
