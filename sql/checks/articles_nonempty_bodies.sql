-- Articles whose body is empty or whitespace: must return no rows.
select article_id, url
from articles
where text is null or length(trim(text)) = 0;
