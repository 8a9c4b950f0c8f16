-- Every stored article id: a new page with one of these bodies is a duplicate.
select article_id from articles;
