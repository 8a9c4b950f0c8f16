-- Which version of a stage's code and data produced the rows it owns; a change triggers a rebuild.
create table if not exists axnews_state.stage_state (
    stage varchar primary key,
    version varchar not null,
    updated_at timestamptz not null
);

comment on table axnews_state.stage_state is 'Bookkeeping (not exported): code and data version each stage''s rows were built with.';
