-- Articles in the search index.
select count(*) from search_docs;
