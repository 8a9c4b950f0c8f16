-- The postings and lengths of the articles of search_gone, after their df was moved.
delete from axnews_state.search_postings where article_id in (select article_id from search_gone);

delete from axnews_state.search_docs where article_id in (select article_id from search_gone);
