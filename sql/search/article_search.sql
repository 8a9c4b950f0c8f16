-- The search table: one row per article, title and body as Kiwi morphemes (rebuilt whole).
create or replace table article_search (
    article_id varchar primary key,
    title varchar not null,
    search_text varchar not null
);
