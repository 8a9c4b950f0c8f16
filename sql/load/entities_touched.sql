-- The entities some articles ($ids) mention: what an increment changes in `entities`.
select distinct entity_id
from mentions
where article_id in (select unnest($ids::varchar[]));
