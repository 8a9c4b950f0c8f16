-- A new version of the enrichment code or reference data: every article is enriched again.
delete from mentions;
delete from quotes;
delete from article_topics;
delete from events;
delete from event_roles;
delete from article_search;
delete from axnews_state.processed where stage = 'enrichment';
delete from rejects where stage = 'enrich';
delete from axnews_state.last_enriched;
