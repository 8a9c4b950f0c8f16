-- Mentions the latest enrichment run wrote whose offsets do not cut their surface out of the article: must return no rows.
-- Earlier runs' rows were checked when they were written, and an article's title and text never
-- change in place (a new body is a new article); the whole table took 4 s at 100,000 articles.
select m.article_id, m.start_char, m.end_char, m.surface
from mentions m
join articles a using (article_id)
where m.article_id in (select article_id from axnews_state.last_enriched)
  and substr(case m.field when 'title' then a.title else a.text end,
             m.start_char + 1, m.end_char - m.start_char) <> m.surface;
