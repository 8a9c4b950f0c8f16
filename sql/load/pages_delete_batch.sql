-- Before a batch of pages is written: its page ids' rows ($ids), which it replaces.
delete from pages where page_id in (select unnest($ids::varchar[]));
