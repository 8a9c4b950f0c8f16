-- Title: how much funding went to each province (event region), with the largest programme
select coalesce(e.region, '(unknown)') as province,
       count(*) as events,
       count(distinct e.article_id) as articles,
       sum(e.amount) filter (where e.currency = 'KRW') as total_krw,
       arg_max(coalesce(e.title, e.sentence), e.amount) as largest_item
from events as e
join articles as a using (article_id)
where e.type = 'FUNDING' and e.amount is not null
group by province
order by total_krw desc nulls last, events desc, province;
