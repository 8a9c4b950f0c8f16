-- Title: which bodies or regions were designated or selected, by whom, for what, and when
with parties as (
    select article_id, event_index,
           string_agg(name, ', ' order by name) filter (where role = 'agent') as agents,
           string_agg(name, ', ' order by name) filter (where role = 'object') as objects
    from event_roles
    group by article_id, event_index
)
select e.date, e.date_end, e.type, p.agents, p.objects, e.title, e.basis, e.region,
       a.title as article_title, a.source, a.published_at
from events as e
join parties as p using (article_id, event_index)
join articles as a using (article_id)
where e.type in ('DESIGNATION', 'SELECTION')
order by e.date nulls last, a.published_at, e.article_id, e.event_index;
