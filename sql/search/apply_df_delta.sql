-- Move each term of search_df_delta by its delta (terms no article holds any more are dropped).
create or replace temp table search_terms_touched as
select d.term, coalesce(t.df, 0) + d.delta as df
from search_df_delta as d
left join axnews_state.search_terms as t using (term);

delete from axnews_state.search_terms where term in (select term from search_df_delta);

insert into axnews_state.search_terms (term, df)
select term, df from search_terms_touched where df > 0;
