-- The views of the warehouse's current catalog and their SQL (a report reading a view reads the
-- tables the view names).
select view_name, sql
from duckdb_views()
where database_name = current_database() and schema_name = current_schema() and not internal
order by view_name;
