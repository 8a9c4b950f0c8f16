-- Most-quoted people: who said the most, with their role and latest quote.
select speaker, any_value(speaker_role) as role, count(*) as quotes,
       arg_max(quote, a.published_at) as latest_quote
from quotes q
join articles a using (article_id)
where speaker is not null
group by speaker
order by quotes desc, speaker
limit 15;
