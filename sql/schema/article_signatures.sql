-- MinHash signature of each article body, kept so new articles join stories without rehashing old ones.
create table if not exists axnews_state.article_signatures (
    article_id varchar primary key,
    signature blob not null
);

comment on table axnews_state.article_signatures is 'Bookkeeping (not exported): MinHash signature of each article body.';
