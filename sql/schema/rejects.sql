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

comment on table rejects is 'Pages or articles a stage refused, with a reason code (see README, reject reasons).';
comment on column rejects.page_id is 'pages.page_id';
comment on column rejects.source is 'sources.name';
comment on column rejects.url is 'URL of the page';
comment on column rejects.stage is 'fetch | extract | clean | dedupe …: the stage that refused it';
comment on column rejects.reason is 'reason code (not_article, error_page, http_404 …)';
comment on column rejects.detail is 'the reason in words';
comment on column rejects.text is 'the extracted text of a page the quality gate refused, kept so nothing is lost (blank otherwise)';
