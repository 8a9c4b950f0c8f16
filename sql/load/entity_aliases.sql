-- Rebuild entity_aliases: every surface form seen for each entity.
delete from entity_aliases;
insert into entity_aliases
select entity_id, surface as alias, count(*) as n_mentions
from mentions
group by entity_id, surface;
