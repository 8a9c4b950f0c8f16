-- Canonical entities: reference-data entries and new ones found in text.
create table if not exists entities (
    entity_id varchar primary key,
    label varchar not null,
    canonical varchar not null,
    known boolean not null,
    n_mentions integer,
    n_articles integer,
    first_seen timestamptz,
    last_seen timestamptz,
    latest_role varchar,
    latest_affiliation varchar
);

comment on table entities is 'Canonical entities found in articles: one row per entity id. See entity_directory for their type and region.';
comment on column entities.entity_id is '''<LABEL>:<canonical>'' (people: ''<name>@<organization>'' when known)';
comment on column entities.label is 'PERSON | ORG | LOCATION | TECH | LAW | DATE | MONEY';
comment on column entities.canonical is 'the name (official name for known organizations, places and laws)';
comment on column entities.known is 'true when in the reference data';
comment on column entities.n_mentions is 'mentions in all articles';
comment on column entities.n_articles is 'articles mentioning it';
comment on column entities.first_seen is 'publication time of the first article mentioning it';
comment on column entities.last_seen is 'publication time of the latest article mentioning it';
comment on column entities.latest_role is 'people: the latest title seen with the name';
comment on column entities.latest_affiliation is 'people: the latest organization seen with the name';
