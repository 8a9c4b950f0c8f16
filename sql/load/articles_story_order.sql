-- What orders the involved articles (_involved) in a story: date, length, page id.
select article_id, published_at, n_chars, page_id
from articles
join _involved using (article_id);
