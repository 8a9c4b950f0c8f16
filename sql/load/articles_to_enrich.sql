-- The articles not enriched yet, with what enrichment reads.
select article_id, page_id, source, url, title, text, language, published_at
from articles
where article_id not in (
    select item_id from axnews_state.processed where stage = 'enrichment')
order by article_id;
