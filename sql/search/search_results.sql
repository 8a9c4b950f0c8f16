-- The rows of a search, after a `hits (article_id, score)` CTE (search_hits_*.sql): filters
-- $since (published on or after), $source (sources.name or outlet), $entity (a mention's
-- canonical name, surface, entity_id or a known alias), best score first.
select
    a.article_id,
    a.title,
    s.outlet,
    a.source,
    a.published_at,
    h.score,
    a.text,
    a.url
from hits as h
join articles as a using (article_id)
left join sources as s on s.name = a.source
where
    (cast($since as date) is null or a.published_at >= cast($since as date))
    and (
        cast($source as varchar) is null
        or lower(a.source) = lower($source)
        or lower(s.outlet) = lower($source)
    )
    and (
        cast($entity as varchar) is null
        or exists (
            select 1
            from mentions as m
            where m.article_id = a.article_id
              and (
                  lower(m.canonical) = lower($entity)
                  or lower(m.surface) = lower($entity)
                  or m.entity_id = $entity
                  or m.entity_id in (
                      select ea.entity_id from entity_aliases as ea
                      where lower(ea.alias) = lower($entity)
                  )
              )
        )
    )
order by h.score desc, a.published_at desc nulls last, a.article_id
limit $limit;
