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

comment on table mentions is 'One row per entity mention in an article, with character offsets.';
comment on column mentions.article_id is 'articles.article_id';
comment on column mentions.entity_id is 'entities.entity_id (''<LABEL>:<canonical>''; people: ''<name>@<organization>'' when known)';
comment on column mentions.field is 'title | text: which string the offsets index';
comment on column mentions.label is 'PERSON | ORG | LOCATION | TECH | LAW | DATE | MONEY';
comment on column mentions.start_char is 'first character of the mention (0-based)';
comment on column mentions.end_char is 'character after the mention';
comment on column mentions.surface is 'the mention as written';
comment on column mentions.canonical is 'the name it links to (과기부 → 과학기술정보통신부)';
comment on column mentions.sentence_index is 'sentence of the article it is in (0-based)';
comment on column mentions.known is 'true when the name is in the reference data';
comment on column mentions.role is 'people: the title next to the name (원장, 장관)';
comment on column mentions.affiliation is 'people: the organization next to the name';
comment on column mentions.value is 'MONEY: amount in currency units; DATE: not used';
comment on column mentions.unit is 'MONEY: currency (KRW, USD)';
