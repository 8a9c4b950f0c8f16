-- Rows in the search table.
select count(*) from article_search;
