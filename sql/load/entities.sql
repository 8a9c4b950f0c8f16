-- Entities from mentions: one row per entity id, with its latest known role. Built aside, then
-- only rows that changed are written: an increment alters a few thousand of 100,000 entities,
-- and rewriting them all (with their key index) cost more than computing them.
create or replace temp table entities_built as
with per_mention as (
    select m.entity_id, m.label, m.canonical, m.known, m.article_id, m.role, m.affiliation,
           a.published_at
    from mentions m
    join articles a using (article_id)
),
latest_role as (
    select entity_id,
           arg_max(role, published_at) as latest_role,
           arg_max(affiliation, published_at) as latest_affiliation
    from per_mention
    where role is not null
    group by entity_id
)
select p.entity_id,
       any_value(p.label) as label,
       mode(p.canonical) as canonical,
       bool_or(p.known) as known,
       count(*)::integer as n_mentions,
       count(distinct p.article_id)::integer as n_articles,
       min(p.published_at) as first_seen,
       max(p.published_at) as last_seen,
       any_value(r.latest_role) as latest_role,
       any_value(r.latest_affiliation) as latest_affiliation
from per_mention p
left join latest_role r using (entity_id)
group by p.entity_id;
create or replace temp table entities_changed as
select * from entities_built
except
select * from entities;
delete from entities
where entity_id not in (select entity_id from entities_built)
   or entity_id in (select entity_id from entities_changed);
insert into entities select * from entities_changed;
drop table entities_built;
drop table entities_changed;
