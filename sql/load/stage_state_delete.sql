-- Before a stage's version is recorded: the one recorded before.
delete from axnews_state.stage_state where stage = $stage;
