-- Pairs of articles that share an LSH band key, one of them new (_new_articles): story candidates,
-- each pair once. The Jaccard check on their signatures happens in pipeline/stages/stories.py.
select distinct least(n.article_id, o.article_id) as a, greatest(n.article_id, o.article_id) as b
from _new_articles i
join article_bands n on n.article_id = i.article_id
join article_bands o on o.band = n.band and o.band_key = n.band_key and o.article_id <> n.article_id
