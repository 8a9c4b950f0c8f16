-- Drop what came from pages whose body changed, that failed since, or that are gone (stale:
-- processed, but no longer OK with the body it was processed from); then the articles no URL
-- points to any more (orphans), with their stories, signatures and bands.
delete from article_urls where page_id in (
    select pp.item_id from axnews_state.processed pp left join pages p on p.page_id = pp.item_id
    where pp.stage = 'articles'
      and (p.page_id is null or not p.ok or p.html_key is distinct from pp.input_key));
delete from rejects where stage <> 'fetch' and page_id in (
    select pp.item_id from axnews_state.processed pp left join pages p on p.page_id = pp.item_id
    where pp.stage = 'articles'
      and (p.page_id is null or not p.ok or p.html_key is distinct from pp.input_key));
delete from axnews_state.processed where stage = 'articles' and item_id in (
    select pp.item_id from axnews_state.processed pp left join pages p on p.page_id = pp.item_id
    where pp.stage = 'articles'
      and (p.page_id is null or not p.ok or p.html_key is distinct from pp.input_key));
delete from stories where article_id in (
    select article_id from articles where article_id not in (select article_id from article_urls));
delete from axnews_state.article_signatures where article_id in (
    select article_id from articles where article_id not in (select article_id from article_urls));
delete from axnews_state.article_bands where article_id in (
    select article_id from articles where article_id not in (select article_id from article_urls));
delete from articles where article_id not in (select article_id from article_urls);
