-- The articles the search index covers, in a stable order.
select article_id, title, text
from articles
order by article_id;
