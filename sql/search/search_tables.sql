-- BM25 postings, kept up to date article by article (pipeline/search.py). Plain tables, no
-- extension, so the same engine runs on a DuckDB file and on DuckLake. BM25's collection size and
-- average length come from search_docs at query time; document frequencies are kept in
-- search_terms and moved by exactly what each increment adds and removes.
create table if not exists axnews_state.search_docs (
    article_id varchar not null,
    text_hash varchar not null,  -- the article_search row these postings were made from
    doc_len integer not null  -- terms in the article's search_text (BM25's |D|)
);

create table if not exists axnews_state.search_terms (
    term varchar not null,
    df integer not null  -- articles whose search_text holds the term
);

create table if not exists axnews_state.search_postings (
    term varchar not null,
    article_id varchar not null,
    tf integer not null  -- times the term occurs in the article's search_text
);
