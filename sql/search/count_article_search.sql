-- Articles in the search index.
select count(*) from axnews_state.search_docs;
