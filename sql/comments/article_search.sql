-- Comments of the search table, which the search stage creates (sql/search/article_search.sql);
-- the article_search asset applies them after building the index.
comment on table article_search is 'Titles and bodies as Kiwi morphemes, with their BM25 postings (search_docs, search_terms, search_postings): what `axnews search` and the search_articles macro query.';
comment on column article_search.article_id is 'articles.article_id';
comment on column article_search.title is 'the article''s title as written';
comment on column article_search.search_text is 'title and body as space-separated lower-cased morphemes (반도체를 → 반도체)';
comment on column article_search.text_hash is 'md5 of tokenizer version, title and text: unchanged articles are not tokenized again';
comment on table axnews_state.search_docs is 'Search index: one row per indexed article, with its length in terms (bookkeeping of pipeline/search.py).';
comment on table axnews_state.search_terms is 'Search index: each term with the number of articles holding it (BM25 document frequency).';
comment on table axnews_state.search_postings is 'Search index: how often each term occurs in each article (BM25 term frequency).';
