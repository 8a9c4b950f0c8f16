-- Every URL at which an article was found, duplicates included.
create table if not exists article_urls (
    article_id varchar not null,
    url varchar not null,
    page_id varchar not null,
    source varchar
);
