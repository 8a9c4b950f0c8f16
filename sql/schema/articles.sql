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

comment on table articles is 'Clean articles: one per distinct normalized body; the analyst''s main table.';
comment on column articles.article_id is 'stable id of the article (hash of its normalized body)';
comment on column articles.page_id is 'pages.page_id of the first page that gave this body';
comment on column articles.source is 'sources.name of that page';
comment on column articles.url is 'the article''s URL (as fetched)';
comment on column articles.canonical_url is 'the URL the page declares canonical';
comment on column articles.title is 'headline';
comment on column articles.subtitle is 'sub-headline, when the page has one';
comment on column articles.text is 'body text, cleaned of bylines, captions and boilerplate; mentions index it';
comment on column articles.language is 'ISO 639-1 language code (ko, en)';
comment on column articles.published_at is 'publication time (timestamptz; shown in Asia/Seoul)';
comment on column articles.updated_at is 'last update time stated by the page';
comment on column articles.authors is 'reporters named in the byline';
comment on column articles.author_emails is 'reporters'' e-mail addresses';
comment on column articles.site_name is 'site name the page declares';
comment on column articles.section is 'section of the outlet (경제, 지역 …)';
comment on column articles.tags is 'keywords the page declares';
comment on column articles.captions is 'photo captions removed from the body';
comment on column articles.body_source is 'which extractor produced the body';
comment on column articles.content_hash is 'hash of the normalized body';
comment on column articles.n_chars is 'characters in text';
comment on column articles.story_id is 'stories.story_id: the group of near-duplicate copies it belongs to';
