-- Renamed bodies and regions under today's name: mentions and articles per year, with the names used that year.
select c.current_canonical, year(a.published_at) as year,
       string_agg(distinct m.canonical, ', ' order by m.canonical) as names_used,
       count(*) as n_mentions, count(distinct m.article_id) as n_articles
from mentions as m
join entities_current as c on c.entity_id = m.entity_id
join articles as a on a.article_id = m.article_id
where c.current_canonical in (select current_canonical from entity_lineage)
group by all
order by c.current_canonical, year;
