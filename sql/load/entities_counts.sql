-- Rows of the tables rebuilt from mentions (part of the key that tells whether to rebuild them).
select (select count(*) from entities), (select count(*) from entity_aliases);
