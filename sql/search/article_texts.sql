-- Titles, texts and text hashes of a batch of articles ($ids), for tokenizing.
select
    article_id,
    title,
    text,
    md5($version || chr(10) || title || chr(10) || text) as text_hash
from articles
where article_id in (select unnest($ids::varchar[]))
order by article_id;
