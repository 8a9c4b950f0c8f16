-- Every URL at which an article was found, duplicates included.
create table if not exists article_urls (
    article_id varchar not null,
    url varchar not null,
    page_id varchar not null,
    source varchar
);

comment on table article_urls is 'Every URL at which an article was found, syndicated duplicates included.';
comment on column article_urls.article_id is 'articles.article_id';
comment on column article_urls.url is 'URL of the copy';
comment on column article_urls.page_id is 'pages.page_id of the copy';
comment on column article_urls.source is 'sources.name of the copy';
