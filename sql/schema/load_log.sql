-- Load bookkeeping: which stage loaded how many rows when.
create table if not exists load_log (
    stage varchar not null,
    loaded_at timestamptz not null,
    n_rows bigint not null,
    detail varchar
);
