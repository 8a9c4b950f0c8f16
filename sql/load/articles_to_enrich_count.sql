-- How many articles are not enriched yet.
select count(*)
from articles
where article_id not in (
    select article_id from axnews_state.processed_articles where stage = 'enrichment');
