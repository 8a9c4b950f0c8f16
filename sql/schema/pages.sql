-- Every page we tried to fetch or read, successful or not (latest attempt per page).
create table if not exists pages (
    page_id varchar primary key,
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
    html_key varchar,  -- key of the decoded HTML in the raw store (data/raw)
    reason varchar,
    detail varchar,
    attempts integer not null default 1,
    partition_day date  -- the daily ingest partition that fetched it
);
