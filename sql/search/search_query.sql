-- What `axnews search` runs (its query already split into Kiwi morphemes).
select *
from search_articles(
    $query, since := $since, source := $source, entity := $entity, max_hits := $limit
);
