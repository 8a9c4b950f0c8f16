-- Technologies each article is about, from its TECH mentions.
create table if not exists article_topics (
    article_id varchar not null,
    topic varchar not null,
    n_mentions integer not null
);

comment on table article_topics is 'Technologies each article is about, from its TECH mentions.';
comment on column article_topics.article_id is 'articles.article_id';
comment on column article_topics.topic is 'technology (technologies reference canonical name)';
comment on column article_topics.n_mentions is 'mentions of it in the article';
