-- Names of renamed bodies and regions (pipeline/reference/renames.tsv) with the lineage's last
-- name, current_canonical: 산업통상자원부 -> 산업통상부, 강원도 -> 강원특별자치도. Reports join it
-- on (label, canonical) to see a body's years under its former names too. Rewritten with the
-- entities.
create table if not exists entity_lineage (
    label varchar not null,
    canonical varchar not null,
    current_canonical varchar not null
);

comment on table entity_lineage is 'Renamed bodies and regions: each former or current name with the name in force today (from pipeline/reference/renames.tsv).';
comment on column entity_lineage.label is 'ORG | LOCATION';
comment on column entity_lineage.canonical is 'a name the body or region had (as in entities.canonical)';
comment on column entity_lineage.current_canonical is 'the name in force today: group by it to see a body''s whole history';
