-- Article ids that occur more than once: must return no rows.
select article_id, count(*) as copies
from articles
group by article_id
having count(*) > 1;
