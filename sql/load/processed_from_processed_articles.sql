-- Migration of a warehouse from before the increment ledger: the articles each stage enriched.
insert into axnews_state.processed (stage, item_id)
select distinct stage, article_id from axnews_state.processed_articles;
drop table axnews_state.processed_articles;
