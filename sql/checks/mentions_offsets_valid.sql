-- Mentions whose offsets do not cut their surface out of the article: must return no rows.
select m.article_id, m.start_char, m.end_char, m.surface
from mentions m
join articles a using (article_id)
where substr(case m.field when 'title' then a.title else a.text end,
             m.start_char + 1, m.end_char - m.start_char) <> m.surface;
