-- Whether the fts index over article_search has been built (its schema holds the postings).
select count(*) > 0
from duckdb_tables()
where schema_name = 'fts_main_article_search' and table_name = 'docs';
