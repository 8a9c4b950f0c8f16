-- Postings of the search_new articles numbered from getvariable('search_first') to
-- getvariable('search_last') (a chunk bounds the memory of a
-- full rebuild), their terms' df up by one each (apply_df_delta.sql follows). search_text is
-- terms joined by single spaces (search.py), so splitting on ' ' gives the terms.
create or replace temp table search_chunk as
select s.article_id, s.text_hash,
       if(s.search_text = '', []::varchar[], string_split(s.search_text, ' ')) as terms
from article_search as s
join search_new as n using (article_id, text_hash)
where n.n between getvariable('search_first') and getvariable('search_last');

create or replace temp table search_chunk_postings as
select article_id, term, count(*)::integer as tf
from (select article_id, unnest(terms) as term from search_chunk)
group by article_id, term;

create or replace temp table search_df_delta as
select term, count(*) as delta from search_chunk_postings group by term;
