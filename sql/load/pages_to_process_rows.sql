-- Some pages to process ($ids), with what reading their body takes.
select page_id, source, url, canonical_url, final_url, fetched_at, encoding, html_key, n_bytes,
       content_hash
from pages
where page_id in ($ids)
order by page_id;
