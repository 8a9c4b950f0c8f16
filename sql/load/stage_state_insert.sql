-- The version a stage's rows are now built with.
insert into axnews_state.stage_state values ($stage, $version, now());
