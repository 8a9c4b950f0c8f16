"""A process pool that keeps input order and loads heavy models once per worker."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

# Imported once by the fork server (no Kiwi instance, no threads are created by importing them).
# Not pipeline.stages.dedupe: the scipy that datasketch imports would save each article worker
# 0.3 s, but every worker would then map it, enrichment's too: +120 MB of RSS summed over the tree.
PRELOAD = ["pipeline.workers", "pipeline.stages.clean", "pipeline.stages.enrich",
           "pipeline.stages.events", "trafilatura", "kiwipiepy"]
# Below this many items a pool costs more to start (fork server imports, one model load per
# worker: 2-3 s) than it saves, so small increments run in the calling process.
MIN_ITEMS_FOR_POOL = 200
PAGE_BATCH = 500  # pages (or articles) held in memory at once while fetching, extracting, enriching

T = TypeVar("T")
R = TypeVar("R")


def workers_for(n_items: int, workers: int, weight: float = 1.0) -> int:
    """The worker count worth starting for n_items (1 means in-process).

    `weight` is an item's cost relative to extracting a page: heavier items (enrichment, about
    2.3 times with Kiwi, which the calling process would otherwise load too) repay a pool sooner.
    """
    return workers if n_items * weight >= MIN_ITEMS_FOR_POOL else 1


def start_fork_server() -> None:
    """Start the fork server now: its imports (about 2 s) then overlap the caller's own work
    instead of delaying the first pool. Returns at once; a no-op when it already runs."""
    from multiprocessing import forkserver

    _forkserver_context()
    forkserver.ensure_running()


def _forkserver_context() -> multiprocessing.context.BaseContext:
    """The fork-server context, preloading the heavy imports."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def _apply(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    return [fn(item) for item in items]


class WorkerPool:
    """Ordered map over batches; in-process when workers <= 1 (tests, tiny inputs)."""

    def __init__(self, workers: int, initializer: Callable[..., None] | None = None,
                 initargs: tuple = ()):
        self.workers = workers
        self._initializer = initializer
        self._initargs = initargs
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> WorkerPool:
        if self.workers > 1:
            # forkserver, not fork: the parent may hold Kiwi's thread pool (search, CLI), and a
            # forked copy of a live thread pool deadlocks. The server preloads the heavy imports
            # once, so each worker starts in well under a second.
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=_forkserver_context(),
                initializer=self._initializer, initargs=self._initargs,
            )
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def _init_in_process(self) -> None:
        """In-process, the initializer runs before the first item, not on entering: a run with
        nothing to do then does not load Kiwi and the rules (0.3 s and ~200 MB) for nothing."""
        if self._initializer is not None:
            self._initializer(*self._initargs)
            self._initializer = None

    def map(self, fn: Callable[[T], R], items: Sequence[T], chunksize: int = 4) -> list[R]:
        """Apply fn to every item, results in input order."""
        if self._pool is None:
            if items:
                self._init_in_process()
            return [fn(item) for item in items]
        return list(self._pool.map(fn, items, chunksize=chunksize))

    def map_batches(self, fn: Callable[[T], R], batches: Iterable[Sequence[T]],
                    chunksize: int = 4) -> Iterator[tuple[Sequence[T], list[R]]]:
        """(batch, results) for each batch, in order.

        The next batch is already with the workers while the caller handles the current one
        (loads it into the warehouse), so workers do not idle between batches; at most two
        batches are in flight, so memory stays bounded.
        """
        if self._pool is None:
            for batch in batches:
                self._init_in_process()
                yield batch, [fn(item) for item in batch]
            return
        pool = self._pool
        in_flight: deque[tuple[Sequence[T], list[Future]]] = deque()

        def submit(batch: Sequence[T]) -> None:
            futures = [pool.submit(_apply, fn, batch[i : i + chunksize])
                       for i in range(0, len(batch), chunksize)]
            in_flight.append((batch, futures))

        source = iter(batches)
        for batch in source:
            submit(batch)
            if len(in_flight) < 2:
                continue
            done, futures = in_flight.popleft()
            yield done, [r for f in futures for r in f.result()]
        while in_flight:
            done, futures = in_flight.popleft()
            yield done, [r for f in futures for r in f.result()]


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
