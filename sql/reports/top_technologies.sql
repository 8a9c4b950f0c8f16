-- Top technologies: AX technologies by the number of articles about them.
with per_topic as (
    select topic, count(distinct article_id) as articles, sum(n_mentions) as mentions
    from article_topics
    group by topic
)
select topic as technology, articles, mentions
from per_topic
order by articles desc, mentions desc, technology
limit 15;
