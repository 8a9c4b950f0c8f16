-- Forget every tokenized article (a full rebuild).
delete from article_search;
