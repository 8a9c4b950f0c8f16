-- LSH band keys of each article's MinHash signature: articles that share a (band, band_key)
-- are story candidates. Kept in the warehouse so that new articles find their candidates with a
-- join instead of an in-memory index of every stored signature (1.1 GB at 100,000 articles).
create table if not exists axnews_state.article_bands (
    article_id varchar not null,
    band integer not null,
    band_key bigint not null
);

comment on table axnews_state.article_bands is 'Bookkeeping (not exported): LSH band keys of each article''s MinHash signature.';
