"""The worker pool: ordered results, batches overlapped but bounded, small inputs in-process."""

from __future__ import annotations

import os
import time
from pathlib import Path

from pipeline.parallel import MIN_ITEMS_FOR_POOL, WorkerPool, workers_for


def _square_with_pid(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def _square_once_two_workers_met(item: tuple[int, str]) -> tuple[int, int]:
    """Square x, after checking in under `folder` and waiting (up to 20 s) until two
    processes have: with a single worker process the wait times out."""
    x, folder = item
    Path(folder, str(os.getpid())).touch()
    gave_up = Path(folder).parent / "gave_up"
    deadline = time.monotonic() + 20
    while len(os.listdir(folder)) < 2 and not gave_up.exists():
        if time.monotonic() > deadline:
            gave_up.touch()  # the others need not wait as well
        time.sleep(0.01)
    return x * x, os.getpid()


def test_map_batches_keeps_order_across_two_worker_processes(tmp_path):
    (tmp_path / "pids").mkdir()
    items = [(x, str(tmp_path / "pids")) for x in range(70)]
    batches = [items[i:i + 7] for i in range(0, 70, 7)]
    with WorkerPool(2) as pool:
        out = list(pool.map_batches(_square_once_two_workers_met, iter(batches), chunksize=3))
    assert [b for b, _ in out] == batches
    assert [r for _, rs in out for r, _pid in rs] == [x * x for x in range(70)]
    pids = {pid for _, rs in out for _r, pid in rs}
    assert os.getpid() not in pids
    assert len(pids) == 2, "two workers: both must have squared some numbers"
    assert {int(name) for name in os.listdir(tmp_path / "pids")} == pids


def test_map_batches_pulls_at_most_one_batch_ahead_of_the_caller():
    pulled: list[int] = []

    def source():
        for i in range(6):
            pulled.append(i)
            yield [i, i + 100]

    with WorkerPool(2) as pool:
        for k, (batch, results) in enumerate(pool.map_batches(_square_with_pid, source())):
            assert batch[0] == k and [r for r, _ in results] == [k * k, (k + 100) ** 2]
            # while the caller holds batch k, only batch k+1 has been handed to the workers
            assert max(pulled) == min(k + 1, 5)


def test_in_process_pool_gives_the_same_results():
    batches = [[1, 2, 3], [4, 5]]
    with WorkerPool(1) as pool:
        out = list(pool.map_batches(_square_with_pid, batches))
    assert [[r for r, _ in rs] for _, rs in out] == [[1, 4, 9], [16, 25]]
    assert {pid for _, rs in out for _r, pid in rs} == {os.getpid()}


def test_in_process_pool_initializes_only_when_it_gets_items():
    calls = []
    with WorkerPool(1, calls.append, ("init",)) as pool:
        assert list(pool.map_batches(_square_with_pid, [])) == [] and pool.map(abs, []) == []
    assert calls == []  # nothing to do: the initializer (Kiwi and the rules) never ran
    with WorkerPool(1, calls.append, ("init",)) as pool:
        assert pool.map(abs, [-1]) == [1]
        assert [r for _, rs in pool.map_batches(abs, [[-2], [-3]]) for r in rs] == [2, 3]
    assert calls == ["init"]


def test_small_inputs_run_in_process():
    assert workers_for(MIN_ITEMS_FOR_POOL - 1, 2) == 1
    assert workers_for(MIN_ITEMS_FOR_POOL, 2) == 2
    assert workers_for(10_000, 1) == 1


def test_heavier_items_get_a_pool_sooner():
    """Enrichment (Kiwi + rules) costs about twice an extraction: half as many items repay a pool."""
    from pipeline.steps.enrichment import ENRICH_WEIGHT

    half = MIN_ITEMS_FOR_POOL // 2
    assert workers_for(half, 2) == 1
    assert workers_for(half, 2, ENRICH_WEIGHT) == 2
    assert workers_for(half - 1, 2, ENRICH_WEIGHT) == 1
