-- Columns of one table ($table) of a schema ($schema, default the current one), with their
-- comments, in order.
select column_name, data_type, comment
from duckdb_columns()
where table_name = $table and database_name = current_database()
  and schema_name = coalesce($schema, current_schema())
order by column_index;
