-- BM25 index over the pre-tokenized search_text: no stemming, no stopwords; the tokenizer only
-- splits on whitespace (the default `ignore` would drop digits and the dots in 3.5 or u.s.).
pragma create_fts_index(
    'article_search', 'article_id', 'search_text',
    stemmer = 'none', stopwords = 'none', ignore = '\s+',
    strip_accents = 0, lower = 1, overwrite = 1
);
