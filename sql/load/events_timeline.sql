-- The chart report's event timeline: the latest events with their agents and objects.
select e.date, e.type,
       string_agg(r.name, ', ') filter (where r.role = 'agent') as agent,
       string_agg(r.name, ', ') filter (where r.role = 'object') as object,
       e.title, e.amount, e.currency, a.title as article, a.url
from events e
join articles a using (article_id)
left join event_roles r using (article_id, event_index)
group by e.article_id, e.event_index, e.date, e.type, e.title, e.amount, e.currency, a.title, a.url
order by e.date desc nulls last
limit $limit;
