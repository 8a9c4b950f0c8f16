"""A process pool that keeps input order and loads heavy models once per worker."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


class WorkerPool:
    """Ordered map over batches; in-process when workers <= 1 (tests, tiny inputs)."""

    def __init__(self, workers: int, initializer: Callable[..., None] | None = None,
                 initargs: tuple = ()):
        self.workers = workers
        self._initializer = initializer
        self._initargs = initargs
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> "WorkerPool":
        if self.workers <= 1:
            if self._initializer is not None:
                self._initializer(*self._initargs)
        else:
            # fork: workers inherit imported modules, so start-up re-imports nothing.
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("fork"),
                initializer=self._initializer, initargs=self._initargs,
            )
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def map(self, fn: Callable[[T], R], items: Sequence[T], chunksize: int = 4) -> list[R]:
        """Apply fn to every item, results in input order."""
        if self._pool is None:
            return [fn(item) for item in items]
        return list(self._pool.map(fn, items, chunksize=chunksize))


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Yield lists of at most `size` items."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
