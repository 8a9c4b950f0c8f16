-- Articles dated in the future (an hour of clock skew allowed): must return no rows.
select article_id, published_at, updated_at
from articles
where published_at > now() + interval 1 hour
   or updated_at > now() + interval 1 hour;
