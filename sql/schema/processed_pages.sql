-- Pages the articles stage has processed (at the current extraction version), with the outcome.
create table if not exists axnews_state.processed_pages (
    page_id varchar primary key,
    html_key varchar not null,
    article_id varchar,  -- the article the page gave (also for duplicates), or null
    reason varchar       -- the reject reason when it gave none
);

comment on table axnews_state.processed_pages is 'Bookkeeping (not exported): pages the articles stage has processed.';
