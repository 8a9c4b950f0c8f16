-- Renamed bodies and regions under today's name: mentions and articles per year, with the names used that year.
select l.current_canonical, year(a.published_at) as year,
       string_agg(distinct m.canonical, ', ' order by m.canonical) as names_used,
       count(*) as n_mentions, count(distinct m.article_id) as n_articles
from mentions as m
join entity_lineage as l on l.label = m.label and l.canonical = m.canonical
join articles as a on a.article_id = m.article_id
group by all
order by l.current_canonical, year;
