-- Entities new this week: first seen in the week of the newest article, most mentioned first.
with newest as (
    select date_trunc('week', max(published_at)) as week_start from articles
)
select e.label, e.canonical as entity, e.first_seen, e.n_mentions, e.known
from entities e, newest
where e.first_seen >= newest.week_start
order by e.n_mentions desc, e.label, entity;
