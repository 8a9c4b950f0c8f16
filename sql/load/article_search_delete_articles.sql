-- Before a batch of enriched articles ($ids) is written: their search rows, which it replaces
-- (the search index step may have tokenized them first).
delete from article_search where article_id in (select unnest($ids::varchar[]));
