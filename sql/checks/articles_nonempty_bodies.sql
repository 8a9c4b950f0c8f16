-- Articles whose body is empty or whitespace: must return no rows.
-- (No non-space character: the search stops at a body's first letter; trimming copied every body.)
select article_id, url
from articles
where text is null or not regexp_matches(text, '\S');
