-- Whether build_search_index has run on this warehouse (its postings tables exist).
select count(*) > 0
from duckdb_tables()
where database_name = current_database() and schema_name = 'axnews_state'
    and table_name = 'search_docs';
