-- One page of the naive script, inserted as such a script would: a row at a time.
insert into naive values (?, ?, ?);
