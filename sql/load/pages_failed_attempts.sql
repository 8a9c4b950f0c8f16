-- URLs that failed, with their attempts so far: the fetcher gives up after the limit.
select canonical_url, attempts from pages where not ok;
