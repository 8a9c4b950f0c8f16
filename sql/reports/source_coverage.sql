-- Sources' coverage and freshness: pages, articles, rejects and newest article per source.
with page_counts as (
    select source, count(*) as pages, count(*) filter (where ok) as pages_ok,
           max(fetched_at) as last_fetch
    from pages group by source
),
article_counts as (
    select source, count(*) as articles, max(published_at) as newest_article
    from articles group by source
),
reject_counts as (
    select source, count(*) as rejects from rejects group by source
)
select s.name as source, s.outlet, s.kind,
       coalesce(p.pages, 0) as pages, coalesce(p.pages_ok, 0) as pages_ok,
       coalesce(a.articles, 0) as articles, coalesce(r.rejects, 0) as rejects,
       a.newest_article, p.last_fetch
from sources s
left join page_counts p on p.source = s.name
left join article_counts a on a.source = s.name
left join reject_counts r on r.source = s.name
order by articles desc, source;
