-- What an increment changes, as temp tables (search.py applies them in one transaction):
-- search_gone: indexed articles whose article_search row is gone or different (deleted, changed,
-- tokenized again); search_new: article_search rows not indexed as they are now, with their
-- postings in search_new_postings; search_df_delta: each touched term's change of df.
create or replace temp table search_gone as
select d.article_id
from search_docs as d
where not exists (
    select 1 from article_search as s
    where s.article_id = d.article_id and s.text_hash = d.text_hash
);

create or replace temp table search_new as
-- search_text is terms joined by single spaces (search.py), so splitting on ' ' gives the terms
select
    s.article_id,
    s.text_hash,
    if(s.search_text = '', []::varchar[], string_split(s.search_text, ' ')) as terms
from article_search as s
where not exists (
    select 1 from search_docs as d
    where d.article_id = s.article_id and d.text_hash = s.text_hash
);

create or replace temp table search_new_postings as
select article_id, term, count(*)::integer as tf
from (select article_id, unnest(terms) as term from search_new)
group by article_id, term;

create or replace temp table search_df_delta as
select term, sum(n)::integer as delta
from (
    select term, count(*) as n from search_new_postings group by term
    union all
    select term, -count(*) as n
    from search_postings
    where article_id in (select article_id from search_gone)
    group by term
)
group by term
having sum(n) <> 0;
