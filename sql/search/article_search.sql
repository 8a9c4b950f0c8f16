-- The search table: one row per article, title and body as Kiwi morphemes. text_hash is the md5
-- of the tokenizer version, title and text, so unchanged articles are not tokenized again.
create table if not exists article_search (
    article_id varchar not null,
    title varchar not null,
    search_text varchar not null,
    text_hash varchar not null
);
