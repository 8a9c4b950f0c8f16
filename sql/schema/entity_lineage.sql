-- Names of renamed bodies and regions (pipeline/reference/renames.tsv) and the lineage's last
-- name: 산업통상자원부 -> 산업통상부, 강원도 -> 강원특별자치도. Rewritten with the entities.
create table if not exists entity_lineage (
    label varchar not null,
    canonical varchar not null,
    current_canonical varchar not null
);

-- Entities with the name their lineage goes by today (their own name when never renamed):
-- reports that group by current_canonical see a body's years under its former names too.
create or replace view entities_current as
select e.*, coalesce(l.current_canonical, e.canonical) as current_canonical
from entities as e
left join entity_lineage as l on l.label = e.label and l.canonical = e.canonical;
