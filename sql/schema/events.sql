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
