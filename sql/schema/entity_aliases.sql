-- Every surface form seen for an entity.
create table if not exists entity_aliases (
    entity_id varchar not null,
    alias varchar not null,
    n_mentions integer
);

comment on table entity_aliases is 'Every surface form seen for an entity.';
comment on column entity_aliases.entity_id is 'entities.entity_id';
comment on column entity_aliases.alias is 'the form as written';
comment on column entity_aliases.n_mentions is 'mentions in that form';
