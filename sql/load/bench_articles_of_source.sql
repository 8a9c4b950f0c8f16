-- Pages of one source ($source) and the articles made from them (the bench's increments).
select (select count(*) from pages where source = $source),
       (select count(*) from articles where source = $source);
