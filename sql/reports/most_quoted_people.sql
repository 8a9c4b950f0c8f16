-- Most-quoted people: who said the most, with their role, organization and latest quote.
-- One row per speaker entity (name and organization), so two people sharing a name stay apart.
-- Ties (one article, or one minute) broken by article and position: the same on every backend.
select any_value(q.speaker) as speaker, min(q.speaker_role) as role,
       min(e.latest_affiliation) as organization, count(*) as quotes,
       arg_max(q.quote, (a.published_at, q.article_id, q.quote_index))
           filter (where a.published_at is not null) as latest_quote,
       arg_max(a.url, (a.published_at, q.article_id, q.quote_index))
           filter (where a.published_at is not null) as url
from quotes q
join articles a using (article_id)
left join entities e on e.entity_id = q.speaker_entity_id
where q.speaker is not null
group by coalesce(q.speaker_entity_id, q.speaker)
order by quotes desc, speaker
limit 15;
