-- The same search without the fts extension (DuckLake warehouses cannot store its index): BM25
-- (k1 = 1.2, b = 0.75) computed in plain SQL over article_search.search_text. search_results.sql follows.
with docs as (
    select article_id, string_split(search_text, ' ') as terms
    from article_search
),

stats as (
    select count(*) as n, avg(len(terms)) as avg_len from docs
),

query_terms as (
    select distinct unnest(string_split($query, ' ')) as term
),

term_freq as (
    select d.article_id, q.term, len(list_filter(d.terms, t -> t = q.term)) as tf,
           len(d.terms) as doc_len
    from docs as d
    join query_terms as q on list_contains(d.terms, q.term)
),

doc_freq as (
    select term, count(*) as df from term_freq group by term
),

hits as (
    select t.article_id,
           sum(ln((st.n - f.df + 0.5) / (f.df + 0.5) + 1)
               * t.tf * 2.2 / (t.tf + 1.2 * (0.25 + 0.75 * t.doc_len / st.avg_len))) as score
    from term_freq as t
    join doc_freq as f using (term)
    cross join stats as st
    group by t.article_id
    having count(distinct t.term) = (select count(*) from query_terms)  -- every word, as fts
)

