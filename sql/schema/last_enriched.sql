-- The articles the latest enrichment run that had any wrote rows for. The offsets check reads
-- it: rows of earlier runs were checked when they were written (and articles never change in
-- place), so a daily run checks its own ~1 % instead of every mention in the warehouse.
create table if not exists axnews_state.last_enriched (
    article_id varchar not null
);

comment on table axnews_state.last_enriched is 'Bookkeeping (not exported): the articles the latest enrichment run with new articles enriched (what the offsets check covers).';
comment on column axnews_state.last_enriched.article_id is 'articles.article_id';
