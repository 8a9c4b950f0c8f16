-- Parties of each policy event: agents (who designates, selects, funds, signs) and objects.
create table if not exists event_roles (
    article_id varchar not null,
    event_index integer not null,
    role varchar not null,       -- agent | object
    entity_id varchar,           -- mentions/entities id when the party is an entity mention
    name varchar not null        -- canonical name (or the programme title for title objects)
);

comment on table event_roles is 'Parties of each policy event: agents (who designates, selects, funds, signs) and objects.';
comment on column event_roles.article_id is 'events.article_id';
comment on column event_roles.event_index is 'events.event_index';
comment on column event_roles.role is 'agent | object';
comment on column event_roles.entity_id is 'entities.entity_id when the party is an entity';
comment on column event_roles.name is 'canonical name of the party (or the programme title)';
