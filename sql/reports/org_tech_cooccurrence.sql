-- Organization × technology: how many articles mention both, strongest pairs first.
with orgs as (
    select distinct article_id, canonical as organization from mentions where label = 'ORG'
),
techs as (
    select distinct article_id, topic as technology from article_topics
)
select o.organization, t.technology, count(*) as articles
from orgs o
join techs t using (article_id)
group by all
having count(*) >= 2
order by articles desc, organization, technology
limit 100;
