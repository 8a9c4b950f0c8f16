-- Articles and stories after a load.
select (select count(*) from articles), (select count(distinct story_id) from stories);
