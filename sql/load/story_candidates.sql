-- Story candidates of the new articles (_new_articles): pairs that share an LSH band key, each
-- pair once; the Jaccard check on their signatures happens in pipeline/stages/stories.py.
-- In a bucket of up to 64 articles every pair with a new article is a candidate. A larger bucket
-- (boilerplate shared by hundreds of pages) pairs each member with its anchor, the smallest id,
-- so the work stays linear in the bucket's size instead of quadratic.
with new_buckets as (
    select distinct b.band, b.band_key
    from _new_articles i join axnews_state.article_bands b on b.article_id = i.article_id
), buckets as (
    select b.band, b.band_key, count(*) as n, min(b.article_id) as anchor
    from axnews_state.article_bands b join new_buckets using (band, band_key)
    group by all
    having count(*) > 1
), members as (
    select b.article_id, b.band, b.band_key, k.n, k.anchor, i.article_id is not null as is_new
    from axnews_state.article_bands b
    join buckets k using (band, band_key)
    left join _new_articles i on i.article_id = b.article_id
)
select distinct least(x.article_id, y.article_id) as a, greatest(x.article_id, y.article_id) as b
from members x join members y using (band, band_key)
where x.n <= 64 and x.is_new and x.article_id <> y.article_id
union
select distinct least(m.article_id, m.anchor), greatest(m.article_id, m.anchor)
from members m
where m.n > 64 and m.article_id <> m.anchor
  and (m.is_new or m.anchor in (select article_id from _new_articles))
