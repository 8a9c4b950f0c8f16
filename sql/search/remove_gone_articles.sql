-- Take the articles of search_gone out of the index: their terms' df down by one each, then
-- their postings and lengths out (apply_df_delta.sql runs in between).
create or replace temp table search_df_delta as
select term, -count(*) as delta
from axnews_state.search_postings
where article_id in (select article_id from search_gone)
group by term;
