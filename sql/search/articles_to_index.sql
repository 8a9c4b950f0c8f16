-- Articles the search table lacks (new, changed, or tokenized by another version), by id.
select a.article_id
from articles as a
where not exists (select 1 from article_search as s where s.article_id = a.article_id)
order by a.article_id;
