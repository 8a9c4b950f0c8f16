-- Before entities.sql: every entity ($all), or those in $touched.
delete from entities
where $all or entity_id in (select unnest($touched::varchar[]));
