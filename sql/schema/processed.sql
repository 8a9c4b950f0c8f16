-- The increment ledger: what each incremental stage has done, one row per item, at the stage's
-- version in stage_state. The articles stage records each page it processed (from which body, to
-- which article or reject reason); the enrichment records each article it enriched. A stage
-- processes the items it has no row for; a version change deletes the stage's rows.
create table if not exists axnews_state.processed (
    stage varchar not null,  -- articles (an item is a page) | enrichment (an item is an article)
    item_id varchar not null,  -- page_id | article_id
    input_key varchar,  -- articles: html_key of the body the page was processed from
    article_id varchar,  -- articles: the article the page gave (also for duplicates), or null
    reason varchar,  -- articles: the reject reason when it gave none
    primary key (stage, item_id)
);

comment on table axnews_state.processed is 'Bookkeeping (not exported): the items (pages, articles) each incremental stage has processed.';
