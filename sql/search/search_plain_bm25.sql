-- The same search without the fts extension (DuckLake warehouses cannot store its index): BM25
-- (k1 = 1.2, b = 0.75) computed in plain SQL over article_search.search_text. Same filters.
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
)

select
    a.article_id,
    a.title,
    s.outlet,
    a.source,
    a.published_at,
    h.score,
    a.text
from hits as h
join articles as a using (article_id)
left join sources as s on s.name = a.source
where
    (cast($since as date) is null or a.published_at >= cast($since as date))
    and (
        cast($source as varchar) is null
        or lower(a.source) = lower($source)
        or lower(s.outlet) = lower($source)
    )
    and (
        cast($entity as varchar) is null
        or exists (
            select 1
            from mentions as m
            where m.article_id = a.article_id
              and (
                  lower(m.canonical) = lower($entity)
                  or lower(m.surface) = lower($entity)
                  or m.entity_id = $entity
                  or m.entity_id in (
                      select ea.entity_id from entity_aliases as ea
                      where lower(ea.alias) = lower($entity)
                  )
              )
        )
    )
order by h.score desc, a.published_at desc nulls last, a.article_id
limit $limit;
