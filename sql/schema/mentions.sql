-- One row per entity mention, with character offsets into articles.title or articles.text (field).
create table if not exists mentions (
    article_id varchar not null,
    entity_id varchar not null,
    field varchar not null default 'text',  -- title | text: which string the offsets index
    label varchar not null,
    start_char integer not null,
    end_char integer not null,
    surface varchar not null,
    canonical varchar not null,
    sentence_index integer,
    known boolean,
    role varchar,
    affiliation varchar,
    value double,
    unit varchar
);
