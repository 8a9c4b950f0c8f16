-- A new version of the extraction code: everything made from pages goes, to be made again.
delete from axnews_state.processed where stage = 'articles';
delete from articles;
delete from article_urls;
delete from stories;
delete from axnews_state.article_signatures;
delete from axnews_state.article_bands;
delete from rejects where stage <> 'fetch';
