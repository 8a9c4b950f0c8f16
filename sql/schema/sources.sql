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
