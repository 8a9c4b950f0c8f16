-- BM25 scores from the fts index for a query (already Kiwi-tokenized); search_results.sql follows.
-- conjunctive: an article must hold every query word (없는단어xyz → 없 단어 xyz: all three), as
-- in a web search; any-word matching returned articles with only the ending 없.
with scored as (
    select
        article_id,
        fts_main_article_search.match_bm25(article_id, $query, conjunctive := 1) as score
    from article_search
),

hits as (
    select article_id, score
    from scored
    where score is not null
)

