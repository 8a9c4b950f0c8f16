-- Direct quotes with their speaker when the sentence names one.
create table if not exists quotes (
    article_id varchar not null,
    quote_index integer not null,
    quote varchar not null,
    speaker varchar,
    speaker_entity_id varchar,
    speaker_role varchar,
    start_char integer,
    end_char integer,
    sentence_index integer
);

comment on table quotes is 'Direct quotes and their speakers, when the sentence names one.';
comment on column quotes.article_id is 'articles.article_id';
comment on column quotes.quote_index is 'order of the quote in the article';
comment on column quotes.quote is 'the quoted words';
comment on column quotes.speaker is 'who said it (a person''s name)';
comment on column quotes.speaker_entity_id is 'entities.entity_id of the speaker';
comment on column quotes.speaker_role is 'the speaker''s title in that sentence';
comment on column quotes.start_char is 'first character of the quote in articles.text';
comment on column quotes.end_char is 'character after it';
comment on column quotes.sentence_index is 'sentence of the article (0-based)';
