-- The sources as the last `sources` load left them, by name.
select name, kind, location, outlet, allow_private, options_json
from sources
order by name;
