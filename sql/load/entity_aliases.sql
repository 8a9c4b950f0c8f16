-- Every surface form seen for each entity ($all), or for the entities in $touched; after
-- entity_aliases_delete.sql with the same parameters.
insert into entity_aliases
select entity_id, surface as alias, count(*) as n_mentions
from mentions
where $all or entity_id in (select unnest($touched::varchar[]))
group by entity_id, surface;
