-- Every member of the stories an involved article (_involved) belongs to.
select s.story_id, s.article_id
from stories s
where s.story_id in (select story_id from stories join _involved using (article_id))
order by all;
