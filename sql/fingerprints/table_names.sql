-- The base tables of the warehouse's current catalog (report inputs are looked up among them).
select table_name
from duckdb_tables()
where database_name = current_database() and schema_name = current_schema()
order by table_name;
