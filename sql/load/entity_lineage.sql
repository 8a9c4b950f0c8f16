-- Rebuild entity_lineage from the reference renames (_lineage): names in force by date, grouped
-- by today's.
delete from entity_lineage;
insert into entity_lineage select label, canonical, current_canonical from _lineage;
