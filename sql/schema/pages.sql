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

comment on table pages is 'Every page fetched or read, successful or not: the latest attempt per page.';
comment on column pages.page_id is 'stable id of the page (hash of its canonical URL)';
comment on column pages.source is 'sources.name the page came from';
comment on column pages.url is 'URL as discovered';
comment on column pages.canonical_url is 'URL normalized for deduplication (tracking parameters dropped)';
comment on column pages.final_url is 'URL after redirects';
comment on column pages.fetched_at is 'when the page was fetched or read';
comment on column pages.ok is 'true when a body was stored; false rows have a reason';
comment on column pages.http_status is 'HTTP status code (null for files)';
comment on column pages.content_type is 'Content-Type of the response';
comment on column pages.encoding is 'character encoding the body was decoded from';
comment on column pages.n_bytes is 'size of the body in bytes';
comment on column pages.content_hash is 'hash of the decoded body';
comment on column pages.html_key is 'key of the decoded HTML in the raw store (data/raw)';
comment on column pages.reason is 'why the fetch failed (see README, reject reasons)';
comment on column pages.detail is 'the failure in words';
comment on column pages.attempts is 'fetch attempts so far';
comment on column pages.partition_day is 'the daily ingest partition (Asia/Seoul day) that fetched it';
