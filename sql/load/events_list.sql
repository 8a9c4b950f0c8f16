-- Stored events for `axnews events --list`: of one type ($type) and from a date ($since), when
-- given; newest first, with their agents, objects and article.
select e.date, e.type, string_agg(r.name, '; ') filter (where r.role = 'agent') as agent,
       string_agg(r.name, '; ') filter (where r.role = 'object') as object,
       e.title, e.basis, e.amount, e.currency, e.region, a.title as article, a.url
from events e
join articles a using (article_id)
left join event_roles r using (article_id, event_index)
where ($type::varchar is null or e.type = $type) and ($since::date is null or e.date >= $since)
group by all
order by e.date desc nulls last, e.type;
