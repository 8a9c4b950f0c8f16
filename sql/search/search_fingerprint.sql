-- What the BM25 index was built from: the same rows give the same value, so an unchanged table
-- keeps its index (rebuilding it is most of a re-run with nothing new on a large warehouse).
select count(*) || ':' || coalesce(sum(hash(article_id || ':' || text_hash)), 0)
from article_search;
