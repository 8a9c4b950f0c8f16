-- Pages or articles a stage refused, with a reason code (see pipeline/models.py REASONS).
create table if not exists rejects (
    page_id varchar not null,
    source varchar,
    url varchar,
    stage varchar not null,
    reason varchar not null,
    detail varchar,
    text varchar  -- the extracted text of a page the quality gate refused (null otherwise)
);
-- warehouses created before the column existed
alter table rejects add column if not exists text varchar;
