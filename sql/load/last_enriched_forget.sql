-- A run with new articles starts the list of what the latest enrichment run wrote afresh.
delete from axnews_state.last_enriched;
