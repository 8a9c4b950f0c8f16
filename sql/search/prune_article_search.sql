-- Drop index rows whose article is gone or changed (or was tokenized by another version).
delete from article_search as s
where not exists (
    select 1
    from articles as a
    where a.article_id = s.article_id
      and md5($version || chr(10) || a.title || chr(10) || a.text) = s.text_hash
);
