-- Articles per source: how many clean articles each outlet gave, and its newest date.
with per_source as (
    select s.name as source, s.outlet, count(a.article_id) as articles,
           max(a.published_at) as newest
    from sources s
    left join articles a on a.source = s.name
    group by s.name, s.outlet
)
select source, outlet, articles, newest
from per_source
order by articles desc, source;
