-- Province/city × technology: articles that name a place and a technology together.
with places as (
    select distinct article_id, canonical as region from mentions where label = 'LOCATION'
),
techs as (
    select distinct article_id, topic as technology from article_topics
)
select p.region, t.technology, count(*) as articles
from places p
join techs t using (article_id)
group by all
order by articles desc, region, technology
limit 100;
