-- Every fetch or read attempt, appended (pages keeps the latest state of each page).
create table if not exists axnews_state.fetch_log (
    page_id varchar not null,
    source varchar not null,
    url varchar not null,
    canonical_url varchar not null,
    final_url varchar,
    fetched_at timestamptz not null,
    ok boolean not null,
    http_status integer,
    content_type varchar,
    encoding varchar,
    n_bytes bigint,
    content_hash varchar,
    html_key varchar,
    reason varchar,
    detail varchar,
    attempts integer not null default 1,
    partition_day date
);

comment on table axnews_state.fetch_log is 'Bookkeeping (not exported): every fetch or read attempt, appended.';
