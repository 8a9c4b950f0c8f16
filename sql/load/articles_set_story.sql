-- Each article's story, from the stories just written (_new_stories).
update articles set story_id = n.story_id
from _new_stories n
where articles.article_id = n.article_id;
