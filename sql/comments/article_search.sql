-- Comments of the search table, which the search stage creates (sql/search/article_search.sql);
-- the article_search asset applies them after building the index.
comment on table article_search is 'Titles and bodies as Kiwi morphemes, with a BM25 index: what `axnews search` queries (see README, search in SQL).';
comment on column article_search.article_id is 'articles.article_id';
comment on column article_search.title is 'the article''s title as written';
comment on column article_search.search_text is 'title and body as space-separated lower-cased morphemes (반도체를 → 반도체)';
comment on column article_search.text_hash is 'md5 of tokenizer version, title and text: unchanged articles are not tokenized again';
