-- Forget the postings (a full rebuild makes them again from article_search).
delete from search_postings;
delete from search_terms;
delete from search_docs;
