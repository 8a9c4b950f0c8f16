-- Every surface form seen for an entity.
create table if not exists entity_aliases (
    entity_id varchar not null,
    alias varchar not null,
    n_mentions integer
);
