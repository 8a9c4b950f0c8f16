"""The work alone, for `make bench`: the reference script's (trafilatura + Kiwi per page, in a
pool), the naive one-process script's, and our pool stages' per page on one core."""

from __future__ import annotations

import time
from pathlib import Path

from pipeline.parallel import WorkerPool, batched
from pipeline.settings import Settings

# ------------------------------------------------------------------ reference work

_KIWI = None


def _init_reference() -> None:
    global _KIWI
    from kiwipiepy import Kiwi

    _KIWI = Kiwi()


def _reference_one(path: str) -> int:
    """The least work: extract text and metadata (trafilatura's cheapest settings), tokenize once."""
    import trafilatura

    from pipeline.stages.extract import DATE_PARAMS

    html = Path(path).read_bytes()
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                      fast=True, date_extraction_params=DATE_PARAMS)
    text = (doc.text if doc is not None else "") or ""
    return len(_KIWI.tokenize(text)) if text else 0


def run_reference(paths: list[str], workers: int) -> float:
    """Seconds for the reference work over all pages."""
    started = time.perf_counter()
    with WorkerPool(workers, _init_reference) as pool:
        for batch in batched(paths, 256):
            pool.map(_reference_one, batch, chunksize=8)
    return time.perf_counter() - started


def run_naive(paths: list[str], warehouse: Path) -> float:
    """Seconds for the one-process script: extract, Kiwi nouns, executemany into DuckDB."""
    import trafilatura
    from kiwipiepy import Kiwi

    from pipeline.warehouse.naive import insert_naive_row, open_naive_table

    started = time.perf_counter()
    kiwi = Kiwi()
    con = open_naive_table(warehouse)
    for path in paths:
        text = trafilatura.extract(Path(path).read_bytes(), include_comments=False) or ""
        nouns = " ".join(t.form for t in kiwi.tokenize(text) if t.tag.startswith("NN"))
        insert_naive_row(con, path, text, nouns)
    con.close()
    return time.perf_counter() - started


# ------------------------------------------------------------------ stage throughput


def _read_page(path: str):
    from pipeline.models import PageRef
    from pipeline.stages.fetch import read_page_file

    return read_page_file(PageRef(source="bench", url=Path(path).as_uri(), path=path))


def _extract_one(path: str) -> int:
    from pipeline.stages.clean import process_page

    process_page(_read_page(path))
    return 1


def extraction_rate(paths: list[str], workers: int) -> float:
    """Pages/s of read + extract + clean with a pool of `workers`."""
    with WorkerPool(workers) as pool:
        pool.map(_extract_one, paths[: 2 * workers], chunksize=1)  # start the workers first
        started = time.perf_counter()
        for _batch in pool.map_batches(_extract_one, batched(paths, 200), chunksize=8):
            pass  # the pipeline's way: the next batch is with the workers meanwhile
        return len(paths) / (time.perf_counter() - started)


def entity_rate(texts: list[str]) -> float:
    """Characters/s of the entity extractor on one core, batched through Kiwi."""
    from pipeline.stages.enrich import EntityExtractor, get_kiwi

    extractor = EntityExtractor(kiwi=get_kiwi(num_workers=1))
    extractor.extract_many(texts[:5])  # warm-up: model load
    started = time.perf_counter()
    for batch in batched(texts, 50):
        extractor.extract_many(batch)
    return sum(map(len, texts)) / (time.perf_counter() - started)


def work_per_page(paths: list[str], settings: Settings, repeats: int = 2,
                  barrier=None) -> dict[str, float]:
    """Milliseconds per page on one core, in this process, for each piece of work: the
    reference's two (trafilatura, Kiwi) and our two pool stages' (extract + clean + MinHash;
    Kiwi + entity/event rules + rows). Their sums bound the ratio from below: no orchestration
    can make ours cheaper than its own work. Each piece is timed `repeats` times and the fastest
    kept: the first pass over the pages ran up to 30 % slower than the next ones (caches warming),
    which made the work look dearer and the overhead over it smaller than it is. With a barrier
    (`work_per_page_at_once`), every pass starts when the other processes' does."""
    import trafilatura

    from pipeline import workers
    from pipeline.models import Article
    from pipeline.stages.extract import DATE_PARAMS

    _init_reference()
    pages = [_read_page(p) for p in paths]
    timed: dict[str, float] = {}

    def clock(name: str, fn, items) -> list:
        fn(items[0])  # warm-up: lazy imports, model caches
        fastest = float("inf")
        for _ in range(max(1, repeats)):
            if barrier is not None:
                barrier.wait()
            started = time.perf_counter()
            out = [fn(item) for item in items]
            fastest = min(fastest, time.perf_counter() - started)
        timed[name] = 1000 * fastest / len(paths)
        return out

    docs = clock("reference extract", lambda page: trafilatura.bare_extraction(
        page.html, with_metadata=True, include_comments=False, fast=True,
        date_extraction_params=DATE_PARAMS), pages)
    texts = [(d.text or "") if d is not None else "" for d in docs]
    clock("reference Kiwi", lambda text: _KIWI.tokenize(text) if text else None, texts)
    results = clock("ours extract + clean + MinHash", workers.extract_and_sign, pages)
    articles = [a for a, _ in results if isinstance(a, Article)]
    workers.init_extractor(settings.reference_dir, settings.ner_model, settings.ner_label_map)
    groups = list(batched(articles, workers.ENRICH_GROUP))
    clock("ours enrichment (Kiwi + rules + rows)", workers.enrich_many, groups)
    return timed


def _work_in_process(paths: list[str], settings: Settings, repeats: int, barrier, out) -> None:
    out.put(work_per_page(paths, settings, repeats, barrier))


def work_per_page_at_once(paths: list[str], settings: Settings, workers: int,
                          repeats: int = 2) -> dict[str, float]:
    """`work_per_page` in `workers` processes at once, each pass started together: ms per page
    in each process while the others do the same work (mean over the processes). This is what
    a pool worker's own work costs when every worker is busy: two cores do not give twice one
    core's speed (shared caches and memory bandwidth), and that is not orchestration."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(workers), ctx.Queue()
    procs = [ctx.Process(target=_work_in_process, args=(paths, settings, repeats, barrier, out))
             for _ in range(workers)]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    return {k: sum(r[k] for r in results) / len(results) for k in results[0]}
