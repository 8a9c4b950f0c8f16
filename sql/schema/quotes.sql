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
