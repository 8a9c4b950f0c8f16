-- BM25 scores from the fts index for a query (already Kiwi-tokenized); search_results.sql follows.
with scored as (
    select
        article_id,
        fts_main_article_search.match_bm25(article_id, $query) as score
    from article_search
),

hits as (
    select article_id, score
    from scored
    where score is not null
)

