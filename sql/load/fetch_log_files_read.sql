-- Files of one source ($source) read OK, with the last time: an unmodified file is not read again.
-- From the log, not `pages`: a copy that lost to another with its URL was read all the same.
select final_url, epoch(max(fetched_at))  -- seconds: 100,000 zoned timestamps cost ~2 s to convert
from axnews_state.fetch_log
where ok and source = $source
group by 1;
