-- Drop what came from pages whose body changed, that failed since, or that are gone (stale:
-- processed, but no longer OK with the body it was processed from); then the articles no URL
-- points to any more (orphans), with their stories, signatures and bands. Each set is found
-- once (a join of the ledger with 100,000 pages; an anti-join of the articles) and kept aside.
create or replace temp table stale_pages as
select pp.item_id as page_id
from axnews_state.processed pp left join pages p on p.page_id = pp.item_id
where pp.stage = 'articles'
  and (p.page_id is null or not p.ok or p.html_key is distinct from pp.input_key);
delete from article_urls where page_id in (select page_id from stale_pages);
delete from rejects where stage <> 'fetch' and page_id in (select page_id from stale_pages);
delete from axnews_state.processed where stage = 'articles'
  and item_id in (select page_id from stale_pages);
create or replace temp table orphan_articles as
select article_id from articles where article_id not in (select article_id from article_urls);
delete from stories where article_id in (select article_id from orphan_articles);
delete from axnews_state.article_signatures where article_id in (select article_id from orphan_articles);
delete from axnews_state.article_bands where article_id in (select article_id from orphan_articles);
delete from articles where article_id in (select article_id from orphan_articles);
drop table stale_pages;
drop table orphan_articles;
