-- Most-quoted people: who said the most, with their role and latest quote.
select speaker, min(speaker_role) as role, count(*) as quotes,
       -- ties (one article, or one minute) broken by article and position: the same on every backend
       arg_max(quote, (a.published_at, q.article_id, q.quote_index))
           filter (where a.published_at is not null) as latest_quote
from quotes q
join articles a using (article_id)
where speaker is not null
group by speaker
order by quotes desc, speaker
limit 15;
