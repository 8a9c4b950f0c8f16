-- The pages read OK not processed into articles yet, with what reading their body takes.
select page_id, source, url, canonical_url, final_url, fetched_at, encoding, html_key, n_bytes,
       content_hash
from pages
where ok and html_key is not null
  and page_id not in (select item_id from axnews_state.processed where stage = 'articles')
order by page_id;
