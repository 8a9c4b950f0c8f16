-- How many pages read OK are not processed into articles yet.
select count(*)
from pages
where ok and html_key is not null
  and page_id not in (select item_id from axnews_state.processed where stage = 'articles');
