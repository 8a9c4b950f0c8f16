-- Every entity found, with its type and province from the reference data (people: those of
-- their organization) and first/last seen in Korean time.
create or replace view entity_directory as
select e.entity_id, e.label, e.canonical,
       coalesce(r.type, case when e.label = 'PERSON' then 'person' end) as type,
       coalesce(r.region, org.region) as region,
       e.known, e.n_mentions, e.n_articles,
       timezone('Asia/Seoul', e.first_seen) as first_seen_kst,
       timezone('Asia/Seoul', e.last_seen) as last_seen_kst,
       e.latest_role, e.latest_affiliation
from entities as e
left join reference_entities as r on r.entity_id = e.entity_id
left join reference_entities as org
    on e.label = 'PERSON' and org.entity_id = 'ORG:' || e.latest_affiliation;

comment on view entity_directory is 'Entities with type, province and first/last seen (KST): start here to ask who or what was mentioned.';
comment on column entity_directory.entity_id is 'entities.entity_id';
comment on column entity_directory.label is 'PERSON | ORG | LOCATION | TECH | LAW | DATE | MONEY';
comment on column entity_directory.canonical is 'the entity''s name';
comment on column entity_directory.type is 'ORG: ministry, agency, technopark …; LOCATION: province, city …; TECH: category; LAW: law, programme …; PERSON: person';
comment on column entity_directory.region is 'province of the organization or place (people: of their organization); null when national, abroad or unknown';
comment on column entity_directory.known is 'true when in the reference data';
comment on column entity_directory.n_mentions is 'mentions in all articles';
comment on column entity_directory.n_articles is 'articles mentioning it';
comment on column entity_directory.first_seen_kst is 'first article mentioning it (Korean time)';
comment on column entity_directory.last_seen_kst is 'latest article mentioning it (Korean time)';
comment on column entity_directory.latest_role is 'people: latest title';
comment on column entity_directory.latest_affiliation is 'people: latest organization';
