-- Title: how much funding each ministry announced, over how many events and articles
with ministries as (
    select r.article_id, r.event_index, r.name as ministry
    from event_roles as r
    left join entities as n on n.entity_id = r.entity_id
    where r.role = 'agent'
      and (n.label = 'ORG' or n.label is null)
      and (r.name like '%부' or r.name like '%처' or r.name like '%청')
      and r.name not like '%테크노파크%'
)
select m.ministry,
       count(*) as events,
       count(distinct e.article_id) as articles,
       sum(e.amount) filter (where e.currency = 'KRW') as total_krw,
       max(e.amount) filter (where e.currency = 'KRW') as largest_krw
from events as e
join ministries as m using (article_id, event_index)
join articles as a using (article_id)
where e.type = 'FUNDING'
group by m.ministry
order by total_krw desc nulls last, events desc, m.ministry;
