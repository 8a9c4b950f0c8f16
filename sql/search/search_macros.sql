-- Search in SQL, the same engine `axnews search` uses (it calls search_articles).
--
--   select * from search_bm25('반도체 클라우드');             -- article_id, score
--   select * from search_articles('반도체 클라우드', since := date '2025-01-01', source := 'wire',
--                                 entity := '삼성전자', max_hits := 20);
--
-- The query is written as the index's terms: Kiwi content morphemes, space-separated, English
-- lower-case (반도체, not 반도체의; `axnews search` splits a free-text query that way first).
-- BM25 with k1 = 1.2, b = 0.75 and idf = ln((N - df + 0.5) / (df + 0.5) + 1), each query term
-- counted once; an article's parts are added in term order so equal inputs give equal scores.
-- Conjunctive: an article must hold every query term, as in a web search (없는단어xyz splits into
-- 없 단어 xyz; matching any one of them returned every article with the ending 없).
create or replace macro search_bm25(query) as table
with query_terms as (
    select distinct unnest(string_split_regex(lower(trim(query)), '\s+')) as term
),

stats as (
    select count(*) as n, avg(doc_len) as avg_len from axnews_state.search_docs
),

matched as (
    select p.article_id, p.term, p.tf, t.df
    from axnews_state.search_postings as p
    join axnews_state.search_terms as t using (term)
    where p.term in (select term from query_terms where term <> '')
)

select
    m.article_id,
    list_sum(list(
        ln((st.n - m.df + 0.5) / (m.df + 0.5) + 1)
        * m.tf * 2.2 / (m.tf + 1.2 * (0.25 + 0.75 * d.doc_len / st.avg_len))
        order by m.term
    )) as score
from matched as m
join axnews_state.search_docs as d using (article_id)
cross join stats as st
group by m.article_id
having count(*) = (select count(*) from query_terms where term <> '');

-- The rows of a search with the command's filters: since (published on or after), source
-- (sources.name or outlet), entity (a mention's canonical name, surface, entity_id or a known
-- alias); best score first, then newest, then article_id.
create or replace macro search_articles(
    query, since := null, source := null, entity := null, max_hits := 10
) as table
select
    a.article_id,
    a.title,
    s.outlet,
    a.source,
    a.published_at,
    h.score,
    a.text,
    a.url
from search_bm25(query) as h
join articles as a using (article_id)
left join sources as s on s.name = a.source
where
    (cast(since as date) is null or a.published_at >= cast(since as date))
    and (
        cast(source as varchar) is null
        or lower(a.source) = lower(source)
        or lower(s.outlet) = lower(source)
    )
    and (
        cast(entity as varchar) is null
        or exists (
            select 1
            from mentions as m
            where m.article_id = a.article_id
              and (
                  lower(m.canonical) = lower(entity)
                  or lower(m.surface) = lower(entity)
                  or m.entity_id = entity
                  or m.entity_id in (
                      select ea.entity_id from entity_aliases as ea
                      where lower(ea.alias) = lower(entity)
                  )
              )
        )
    )
order by h.score desc, a.published_at desc nulls last, a.article_id
limit max_hits;
