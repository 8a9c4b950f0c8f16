-- Weekly mention trend: mentions per entity and ISO week, for the 20 most mentioned entities.
with top_entities as (
    select entity_id
    from entities
    where label in ('ORG', 'PERSON', 'LOCATION', 'TECH', 'LAW')
    order by n_mentions desc, entity_id
    limit 20
),
weekly as (
    select m.entity_id, date_trunc('week', a.published_at)::date as week, count(*) as mentions
    from mentions m
    join articles a using (article_id)
    where m.entity_id in (select entity_id from top_entities) and a.published_at is not null
    group by all
)
select e.label, e.canonical as entity, w.week, w.mentions
from weekly w
join entities e using (entity_id)
order by w.week, w.mentions desc, entity;
