-- One clean article per distinct normalized body.
create table if not exists articles (
    article_id varchar primary key,
    page_id varchar not null,
    source varchar not null,
    url varchar not null,
    canonical_url varchar,
    title varchar not null,
    subtitle varchar,
    text varchar not null,
    language varchar not null,
    published_at timestamptz,
    updated_at timestamptz,
    authors varchar[],
    author_emails varchar[],
    site_name varchar,
    section varchar,
    tags varchar[],
    captions varchar[],
    body_source varchar,
    content_hash varchar,
    n_chars integer,
    story_id varchar
);
