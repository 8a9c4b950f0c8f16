-- One row per entry of the sources file, as of the last run.
create table if not exists sources (
    name varchar primary key,
    kind varchar not null,
    location varchar not null,
    outlet varchar,
    allow_private boolean not null default false,
    options_json varchar,
    loaded_at timestamptz not null
);

comment on table sources is 'One row per entry of the sources file ([[source]] tables), as of the last run.';
comment on column sources.name is 'source name from the sources file (unique); pages.source and articles.source refer to it';
comment on column sources.kind is 'html_dir | urls | feed | sitemap | warc';
comment on column sources.location is 'folder, file or URL the source is read from';
comment on column sources.outlet is 'the outlet''s display name (한빛경제); defaults to name';
comment on column sources.allow_private is 'whether loopback and private addresses may be fetched';
comment on column sources.options_json is 'discovery options of the entry (pattern, since, max_urls, max_bytes) as JSON';
comment on column sources.loaded_at is 'when the sources file was last loaded';
