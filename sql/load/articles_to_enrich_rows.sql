-- Some articles to enrich ($ids), with what enrichment reads.
select article_id, page_id, source, url, title, text, language, published_at
from articles
where article_id in ($ids)
order by article_id;
