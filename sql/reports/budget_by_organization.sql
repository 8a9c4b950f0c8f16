-- Budget amounts by organization: KRW amounts attributed to the first organization named in the same sentence.
with money as (
    select article_id, sentence_index, start_char, value, unit
    from mentions
    where label = 'MONEY' and field = 'text' and value is not null
),
first_org as (
    select article_id, sentence_index, arg_min(canonical, start_char) as organization
    from mentions
    where label = 'ORG' and field = 'text'
    group by article_id, sentence_index
)
select o.organization, m.unit as currency, count(*) as amounts, sum(m.value) as total,
       max(m.value) as largest
from money m
join first_org o using (article_id, sentence_index)
group by all
order by currency, total desc, organization;
