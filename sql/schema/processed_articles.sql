-- Articles the enrichment and events stages have processed (at their current versions).
create table if not exists axnews_state.processed_articles (
    article_id varchar not null,
    stage varchar not null  -- enrichment | events
);

comment on table axnews_state.processed_articles is 'Bookkeeping (not exported): articles each stage has processed.';
