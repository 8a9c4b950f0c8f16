"""The one way the pipeline groups statements: `with transaction(con): ...`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All statements of the block or none: commit at its end, roll back on any error."""
    con.execute("begin transaction")
    try:
        yield con
        con.execute("commit")
    except BaseException:
        try:
            con.execute("rollback")
        except duckdb.TransactionException:
            pass  # the failed statement was the commit: already rolled back
        raise
