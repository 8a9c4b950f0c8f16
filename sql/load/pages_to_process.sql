-- The pages read OK not processed into articles yet (their ids, in the order they are read).
select page_id
from pages
where ok and html_key is not null
  and page_id not in (select item_id from axnews_state.processed where stage = 'articles')
order by page_id;
