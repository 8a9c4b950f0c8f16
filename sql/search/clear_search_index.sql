-- Forget the postings (a full rebuild makes them again from article_search).
delete from axnews_state.search_postings;
delete from axnews_state.search_terms;
delete from axnews_state.search_docs;
