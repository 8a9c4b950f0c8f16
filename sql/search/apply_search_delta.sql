-- Apply the temp tables of search_delta.sql: document frequencies first (they read the old
-- values), then the removed articles' postings out and the new ones in.
create or replace temp table search_terms_touched as
select d.term, coalesce(t.df, 0) + d.delta as df
from search_df_delta as d
left join search_terms as t using (term);

delete from search_terms where term in (select term from search_df_delta);

insert into search_terms (term, df)
select term, df from search_terms_touched where df > 0;

delete from search_postings where article_id in (select article_id from search_gone);

delete from search_docs where article_id in (select article_id from search_gone);

insert into search_postings (term, article_id, tf)
select term, article_id, tf from search_new_postings;

insert into search_docs (article_id, text_hash, doc_len)
select article_id, text_hash, len(terms) from search_new;
