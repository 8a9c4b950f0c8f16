-- Stories carried by at least N outlets (N = getvariable('min_outlets'), default 2).
with story_outlets as (
    select st.story_id, count(distinct u.source) as outlets, count(distinct u.url) as urls
    from stories st
    join article_urls u using (article_id)
    group by st.story_id
)
select so.story_id, rep.title, so.outlets, so.urls, rep.published_at
from story_outlets so
join stories st on st.story_id = so.story_id and st.is_representative
join articles rep on rep.article_id = st.article_id
where so.outlets >= coalesce(getvariable('min_outlets'), 2)
order by so.outlets desc, rep.published_at;
