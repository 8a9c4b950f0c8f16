-- Entities of the reference data (pipeline/reference/*.tsv plus AXNEWS_REFERENCE_DIR), reloaded
-- with each enrichment: what the tables of found entities join to for a type and a region.
create table if not exists reference_entities (
    entity_id varchar not null,
    label varchar not null,
    canonical varchar not null,
    type varchar,
    region varchar
);

comment on table reference_entities is 'Known organizations, places, technologies and laws from the reference data, with their type and province.';
comment on column reference_entities.entity_id is 'entities.entity_id it matches (''<LABEL>:<canonical>'')';
comment on column reference_entities.label is 'ORG | LOCATION | TECH | LAW';
comment on column reference_entities.canonical is 'official or preferred name';
comment on column reference_entities.type is 'ORG: ministry, agency, technopark …; LOCATION: province, city, county, district, country; TECH: category; LAW: law, decree, programme …';
comment on column reference_entities.region is 'province (광역자치단체) the organization sits in or the place lies in; null when abroad, national or ambiguous';
