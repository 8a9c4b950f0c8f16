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
