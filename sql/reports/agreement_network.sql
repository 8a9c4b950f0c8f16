-- Title: who signed agreements with whom: one edge (source, target) per pair, for a network chart
with agents as (
    select article_id, event_index, name as source
    from event_roles where role = 'agent'
),
objects as (
    select article_id, event_index, name as target
    from event_roles where role = 'object'
),
edges as (
    select g.source, o.target, e.article_id, coalesce(e.date, cast(a.published_at as date)) as day
    from events as e
    join agents as g using (article_id, event_index)
    join objects as o using (article_id, event_index)
    join articles as a using (article_id)
    where e.type = 'AGREEMENT' and g.source <> o.target
)
select edges.source, edges.target, count(*) as agreements, min(day) as first_date,
       max(day) as last_date, count(distinct article_id) as articles
from edges
group by edges.source, edges.target
order by agreements desc, edges.source, edges.target;
