-- Share of articles with no entity mention above getvariable('max_articles_without_entities'): must return no rows.
with coverage as (
    select count(*) as articles,
           count(*) filter (where article_id not in (select article_id from mentions)) as bare
    from articles
)
select articles, bare, bare / articles as share
from coverage
where articles > 0 and bare / articles > getvariable('max_articles_without_entities');
