-- Articles an increment removes from and adds to the postings (both 0: nothing to do).
select (select count(*) from search_gone), (select count(*) from search_new);
