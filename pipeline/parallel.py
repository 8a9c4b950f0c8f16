"""A process pool that keeps input order and loads heavy models once per worker."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

# Imported once by the fork server (no Kiwi instance, no threads are created by importing them).
PRELOAD = ["pipeline.steps", "pipeline.stages.clean", "pipeline.stages.enrich",
           "pipeline.stages.events", "trafilatura", "kiwipiepy"]

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

    def __enter__(self) -> WorkerPool:
        if self.workers <= 1:
            if self._initializer is not None:
                self._initializer(*self._initargs)
        else:
            # forkserver, not fork: the parent may hold Kiwi's thread pool (search, CLI), and a
            # forked copy of a live thread pool deadlocks. The server preloads the heavy imports
            # once, so each worker starts in well under a second.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=context,
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
