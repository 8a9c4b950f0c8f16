-- What a table holds, as one value: its row count and the sum of every row's hash (all columns),
-- so an in-place rewrite of any value changes it, and row order does not.
select count(*) || ':' || coalesce(sum(hash(t)), 0)
from query_table($table_name) as t;
