-- Mentions per entity per week (weeks start on Monday, Korean time), with type and province.
create or replace view weekly_entity_mentions as
select date_trunc('week', timezone('Asia/Seoul', a.published_at))::date as week,
       d.entity_id, d.label, d.canonical, d.type, d.region,
       count(*) as n_mentions, count(distinct m.article_id) as n_articles
from mentions as m
join articles as a using (article_id)
join entity_directory as d using (entity_id)
where a.published_at is not null and m.label not in ('DATE', 'MONEY')
group by all;

comment on view weekly_entity_mentions is 'Mentions and articles per entity and week (Monday, KST), with the entity''s type and province.';
comment on column weekly_entity_mentions.week is 'Monday of the week (Korean time)';
comment on column weekly_entity_mentions.entity_id is 'entities.entity_id';
comment on column weekly_entity_mentions.label is 'entity label';
comment on column weekly_entity_mentions.canonical is 'the entity''s name';
comment on column weekly_entity_mentions.type is 'entity_directory.type';
comment on column weekly_entity_mentions.region is 'entity_directory.region';
comment on column weekly_entity_mentions.n_mentions is 'mentions that week';
comment on column weekly_entity_mentions.n_articles is 'articles mentioning it that week';
