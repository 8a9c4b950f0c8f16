-- Parties of each policy event: agents (who designates, selects, funds, signs) and objects.
create table if not exists event_roles (
    article_id varchar not null,
    event_index integer not null,
    role varchar not null,       -- agent | object
    entity_id varchar,           -- mentions/entities id when the party is an entity mention
    name varchar not null        -- canonical name (or the programme title for title objects)
);
