-- Rows of enriched articles that are gone from `articles` (and enrichment failures of them).
delete from mentions where article_id in (select item_id from axnews_state.processed
    where stage = 'enrichment' and item_id not in (select article_id from articles));
delete from quotes where article_id in (select item_id from axnews_state.processed
    where stage = 'enrichment' and item_id not in (select article_id from articles));
delete from article_topics where article_id in (select item_id from axnews_state.processed
    where stage = 'enrichment' and item_id not in (select article_id from articles));
delete from events where article_id in (select item_id from axnews_state.processed
    where stage = 'enrichment' and item_id not in (select article_id from articles));
delete from event_roles where article_id in (select item_id from axnews_state.processed
    where stage = 'enrichment' and item_id not in (select article_id from articles));
delete from article_search where article_id in (select item_id from axnews_state.processed
    where stage = 'enrichment' and item_id not in (select article_id from articles));
delete from axnews_state.processed
where stage = 'enrichment' and item_id not in (select article_id from articles);
delete from rejects
where stage = 'enrich' and page_id not in (select page_id from articles);
