-- Before stories are written again: the touched ones ($story_ids).
delete from stories where story_id in (select unnest($story_ids::varchar[]));
