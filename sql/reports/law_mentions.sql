-- Law and policy mentions: laws, decrees and programmes by the number of articles naming them.
select m.canonical as law_or_policy, count(distinct m.article_id) as articles, count(*) as mentions,
       min(a.published_at) as first_seen, max(a.published_at) as last_seen
from mentions m
join articles a using (article_id)
where m.label = 'LAW'
group by m.canonical
order by articles desc, mentions desc, law_or_policy;
