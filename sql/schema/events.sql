-- Policy events (designations, selections, funding, agreements, launches, calls, investments,
-- laws, plans) found in article text: one row per event, offsets index articles.text.
create table if not exists events (
    article_id varchar not null,
    event_index integer not null,
    type varchar not null,       -- DESIGNATION | SELECTION | FUNDING | AGREEMENT | LAUNCH | CALL | INVESTMENT | LAW | PLAN
    start_char integer not null, -- the sentence (or trigger clause) that states the event
    end_char integer not null,
    sentence varchar not null,
    title varchar,               -- programme or title designated/selected for
    basis varchar,               -- legal basis: LAW canonical name
    date date,                   -- when it happened (first day of a range)
    date_end date,               -- last day when the date is a range (상반기, 11월)
    amount double,               -- FUNDING/INVESTMENT amount in currency units
    currency varchar,            -- KRW | USD ...
    region varchar,              -- province of the object, agent or place named
    primary key (article_id, event_index)
);

comment on table events is 'Policy events (designations, selections, funding, agreements, launches, calls, investments, laws, plans) found in article text; event_roles holds their parties.';
comment on column events.article_id is 'articles.article_id';
comment on column events.event_index is 'order of the event in the article';
comment on column events.type is 'DESIGNATION | SELECTION | FUNDING | AGREEMENT | LAUNCH | CALL | INVESTMENT | LAW | PLAN';
comment on column events.start_char is 'start of the sentence stating it, in articles.text';
comment on column events.end_char is 'its end';
comment on column events.sentence is 'the sentence stating the event';
comment on column events.title is 'programme or title designated or selected for';
comment on column events.basis is 'legal basis (a law''s canonical name)';
comment on column events.date is 'when it happened (first day of a range)';
comment on column events.date_end is 'last day when the date is a range (상반기, 11월)';
comment on column events.amount is 'FUNDING/INVESTMENT amount in currency units (원 for KRW)';
comment on column events.currency is 'KRW | USD …';
comment on column events.region is 'province the event happens in';
