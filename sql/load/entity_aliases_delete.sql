-- Before entity_aliases.sql: the aliases of every entity ($all), or of those in $touched.
delete from entity_aliases
where $all or entity_id in (select unnest($touched::varchar[]));
