-- The newest article is older than getvariable('freshness_days') days: must return no rows.
select max(published_at) as newest
from articles
having max(published_at) < now() - to_days(cast(getvariable('freshness_days') as integer));
