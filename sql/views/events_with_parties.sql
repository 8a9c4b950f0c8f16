-- Policy events with their parties on one row (agents; objects), and the article stating them.
create or replace view events_with_parties as
with parties as (
    select article_id, event_index,
           string_agg(name, '; ' order by name) filter (where role = 'agent') as agents,
           string_agg(name, '; ' order by name) filter (where role = 'object') as objects
    from event_roles
    group by article_id, event_index
)
select e.date, e.date_end, e.type, p.agents, p.objects, e.title, e.basis, e.amount, e.currency,
       e.region, e.sentence, s.outlet, a.title as article_title, a.url,
       timezone('Asia/Seoul', a.published_at) as published_kst, e.article_id, e.event_index
from events as e
join articles as a using (article_id)
left join sources as s on s.name = a.source
left join parties as p using (article_id, event_index);

comment on view events_with_parties is 'Policy events with agents and objects, amount, region, outlet and article URL; times in KST.';
comment on column events_with_parties.date is 'when it happened';
comment on column events_with_parties.date_end is 'last day of a date range';
comment on column events_with_parties.type is 'DESIGNATION | SELECTION | FUNDING | AGREEMENT | LAUNCH | CALL | INVESTMENT | LAW | PLAN';
comment on column events_with_parties.agents is 'who designates, selects, funds or signs (''; ''-separated)';
comment on column events_with_parties.objects is 'who or what is designated, selected or funded (''; ''-separated)';
comment on column events_with_parties.title is 'programme or title';
comment on column events_with_parties.basis is 'legal basis';
comment on column events_with_parties.amount is 'amount in currency units (원 for KRW)';
comment on column events_with_parties.currency is 'KRW | USD …';
comment on column events_with_parties.region is 'province the event happens in';
comment on column events_with_parties.sentence is 'the sentence stating it';
comment on column events_with_parties.outlet is 'the outlet''s name';
comment on column events_with_parties.article_title is 'headline of the article';
comment on column events_with_parties.url is 'the article''s URL';
comment on column events_with_parties.published_kst is 'publication time (Korean time)';
comment on column events_with_parties.article_id is 'articles.article_id';
comment on column events_with_parties.event_index is 'order of the event in the article';
