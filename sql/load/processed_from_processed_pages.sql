-- Migration of a warehouse from before the increment ledger: the articles stage's pages.
insert into axnews_state.processed (stage, item_id, input_key, article_id, reason)
select distinct on (page_id) 'articles', page_id, html_key, article_id, reason
from axnews_state.processed_pages;
drop table axnews_state.processed_pages;
