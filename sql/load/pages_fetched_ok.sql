-- URLs read OK before: the fetcher skips them (unless a refetch is asked for).
select canonical_url from pages where ok;
