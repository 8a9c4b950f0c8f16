-- Mentions the latest enrichment run wrote whose offsets do not cut their surface out of the article: must return no rows.
-- The enrichment refuses an article with such offsets before writing (an enrich_error reject),
-- earlier runs' rows were checked here when written, and an article's title and text never
-- change in place (a new body is a new article). The whole table took 4 s at 100,000 articles,
-- a run's 1 % takes 0.3 s (starting from the short list: 0.5 s with `in (select ...)`).
select m.article_id, m.start_char, m.end_char, m.surface
from axnews_state.last_enriched l
join mentions m using (article_id)
join articles a using (article_id)
where substr(case m.field when 'title' then a.title else a.text end,
             m.start_char + 1, m.end_char - m.start_char) <> m.surface;
