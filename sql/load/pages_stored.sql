-- The stored rows of some page ids ($ids): what decides between a stored page and a new read.
select page_id, source, url, final_url, ok, fetched_at
from pages
where page_id in (select unnest($ids::varchar[]));
