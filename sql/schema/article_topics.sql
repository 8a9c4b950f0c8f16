-- Technologies each article is about, from its TECH mentions.
create table if not exists article_topics (
    article_id varchar not null,
    topic varchar not null,
    n_mentions integer not null
);
