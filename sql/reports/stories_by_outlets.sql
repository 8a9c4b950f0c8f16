-- Stories carried by at least two outlets: syndicated press releases and their copies.
with story_outlets as (
    select st.story_id, count(distinct a.source) as outlets, count(*) as articles
    from stories st
    join articles a using (article_id)
    group by st.story_id
)
select so.story_id, rep.title, so.outlets, so.articles, rep.published_at
from story_outlets so
join stories st on st.story_id = so.story_id and st.is_representative
join articles rep on rep.article_id = st.article_id
where so.outlets >= 2
order by so.outlets desc, rep.published_at;
