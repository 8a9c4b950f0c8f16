-- What an increment changes, as temp tables (search.py applies them in one transaction):
-- search_gone, indexed articles whose article_search row is gone or different (deleted, changed,
-- tokenized again); search_new, article_search rows not indexed as they are now, numbered so
-- they can be added in chunks.
create or replace temp table search_gone as
select d.article_id
from axnews_state.search_docs as d
where not exists (
    select 1 from article_search as s
    where s.article_id = d.article_id and s.text_hash = d.text_hash
);

create or replace temp table search_new as
select s.article_id, s.text_hash, row_number() over (order by s.article_id) as n
from article_search as s
where not exists (
    select 1 from axnews_state.search_docs as d
    where d.article_id = s.article_id and d.text_hash = s.text_hash
);

select (select count(*) from search_gone), (select count(*) from search_new);
