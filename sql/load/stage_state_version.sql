-- The version of code and data a stage's rows were built with.
select version from axnews_state.stage_state where stage = $stage;
