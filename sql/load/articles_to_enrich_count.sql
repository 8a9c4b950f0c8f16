-- How many articles are not enriched yet.
select count(*)
from articles
where article_id not in (
    select item_id from axnews_state.processed where stage = 'enrichment');
