-- The articles not enriched yet (their ids, in the order they are enriched).
select article_id
from articles
where article_id not in (
    select item_id from axnews_state.processed where stage = 'enrichment')
order by article_id;
