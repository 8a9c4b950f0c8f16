"""Property tests: generated folders, URL lists, feeds, sitemaps and WARC files full of repeated
and nearly repeated URLs and broken bytes, run through the pipeline's steps in-process.

Whatever the input: no step raises, every input is an article or a row with a reason, no key
repeats, and a re-run changes no row count. Examples are derandomized, so CI sees the same ones.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import parallel, steps
from pipeline.models import Source
from pipeline.stages.discover import parse_feed, parse_sitemap, parse_url_list
from pipeline.warehouse import connect
from tests.conftest import make_settings
from tests.fuzz_inputs import (
    PageSpec,
    assert_keys_unique,
    claimed_url,
    modified_at,
    page_specs,
    render,
    row_counts,
    rss,
    sitemap,
    unaccounted,
    warc,
)
from tests.http_server import start_server

FETCH = """[fetch]
per_domain_delay = 0.0
max_retries = 0
connect_timeout = 2.0
read_timeout = 5.0
max_bytes = 2000000
"""
PROPERTY = settings(max_examples=10, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])
FOLDER_BASE = "https://news.example.kr"


@pytest.fixture(scope="module")
def server():
    srv = start_server()
    yield srv
    srv.close()


def run_steps(root: Path, sources: list[Source], batch: int, monkeypatch) -> dict[str, int]:
    """sources → pages → articles on a fresh or existing warehouse under root; row counts."""
    sources_file = root / "sources.toml"
    sources_file.write_text(FETCH, encoding="utf-8")
    config = make_settings(root, sources_file=sources_file, allow_private=True)
    monkeypatch.setattr(parallel, "PAGE_BATCH", batch)  # batch boundaries inside small inputs
    con = connect(config.warehouse)
    try:
        steps.load_sources_step(con, config, extra=sources, only_extra=True)
        steps.ingest_pages_step(con, config)
        steps.build_articles_step(con, config)
        assert_keys_unique(con)
        return row_counts(con)
    finally:
        con.close()


def check(root: Path, sources: list[Source], inputs: list[str], batch: int, monkeypatch) -> None:
    """Run twice: every input accounted for, keys unique, the second run changes no count."""
    first = run_steps(root, sources, batch, monkeypatch)
    con = connect(root / "warehouse.duckdb", read_only=True)
    try:
        assert unaccounted(con, inputs) == []
    finally:
        con.close()
    assert run_steps(root, sources, batch, monkeypatch) == first


def write_folder(folder: Path, specs: list[PageSpec]) -> list[str]:
    """Write one file per spec (claiming a URL of the pool); returns their file URIs."""
    folder.mkdir(parents=True)
    uris = []
    for i, spec in enumerate(specs):
        path = folder / f"{i:02d}-{spec.kind}.{'htm' if i % 3 == 2 else 'html'}"
        path.write_bytes(render(spec, claimed_url(FOLDER_BASE, spec)))
        os.utime(path, (modified_at(spec), modified_at(spec)))
        uris.append(path.resolve().as_uri())
    return uris


@PROPERTY
@given(specs=st.lists(page_specs, min_size=1, max_size=10), batch=st.integers(1, 4))
def test_any_folder_of_saved_pages_is_accounted_for(specs, batch, monkeypatch):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        uris = write_folder(root / "pages", specs)
        source = Source("drop", "html_dir", str(root / "pages"))
        check(root, [source], uris, batch, monkeypatch)


def serve_specs(server, specs: list[PageSpec], prefix: str) -> list[str]:
    """Serve each spec's body at its URL's path (the last spec of a path wins); the URLs."""
    urls = []
    for spec in specs:
        url = claimed_url(server.url(f"/gen/{prefix}"), spec)
        path = url.split("/gen/", 1)[1].split("?")[0].split("#")[0]
        server.serve(path, render(spec, url))
        urls.append(url)
    return urls


@PROPERTY
@given(specs=st.lists(page_specs, min_size=1, max_size=8), batch=st.integers(1, 3),
       kind=st.sampled_from(["urls", "feed", "sitemap"]))
def test_any_url_list_feed_or_sitemap_is_accounted_for(server, specs, batch, kind, monkeypatch):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        prefix = f"{kind}{abs(hash(tuple(specs))) % 10**8}"  # its own paths: the server is shared
        urls = serve_specs(server, specs, prefix)
        if kind == "urls":
            (root / "list.txt").write_text("\n".join(urls) + "\n", encoding="utf-8")
            location = str(root / "list.txt")
        else:
            document = rss(urls) if kind == "feed" else sitemap(urls)
            location = server.serve(f"{prefix}.xml", document, "application/xml")
        source = Source("remote", kind, location, allow_private=True)
        check(root, [source], urls, batch, monkeypatch)


@PROPERTY
@given(kind=st.sampled_from(["feed", "sitemap", "urls"]), seed=st.integers(0, 3),
       document=st.sampled_from(["empty", "junk", "nul", "html", "truncated"]))
def test_a_broken_feed_sitemap_or_list_is_a_row_with_a_reason(server, kind, seed, document,
                                                               monkeypatch):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        body = {"empty": b"", "junk": bytes(range(256)) * (1 + seed),
                "nul": b"<rss>\x00\x00</rss>", "html": b"<html><body>no feed</body></html>",
                "truncated": sitemap([server.url("/gen/x/1")])[:60 + seed]}[document]
        location = server.serve(f"broken-{kind}-{document}-{seed}", body, "application/xml")
        if kind == "urls":  # every line is an input; junk lines are not http(s) URLs
            inputs = parse_url_list(body.decode("utf-8-sig", errors="replace"))
        else:  # a document that is no feed (sitemap) is one row; one that is, its entries
            found = parse_feed(body, location) if kind == "feed" else parse_sitemap(body, location)
            entries = found if kind == "feed" else (found or [[]])[0]
            inputs = [location] if found is None else [url for url, _ in entries]
        source = Source("broken", kind, location, allow_private=True)
        check(root, [source], inputs, 2, monkeypatch)


@PROPERTY
@given(specs=st.lists(page_specs, min_size=1, max_size=10), batch=st.integers(1, 4),
       offsets=st.lists(st.integers(0, 3), min_size=10, max_size=10))
def test_any_warc_archive_is_accounted_for(specs, batch, offsets, monkeypatch):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        records = [(claimed_url(FOLDER_BASE, spec), render(spec, claimed_url(FOLDER_BASE, spec)),
                    offset) for spec, offset in zip(specs, offsets)]
        (root / "crawl.warc.gz").write_bytes(warc(records))
        source = Source("crawl", "warc", str(root / "crawl.warc.gz"))
        check(root, [source], [url for url, _, _ in records], batch, monkeypatch)


# ---------------------------------------------------------------- shrunk failing examples
# What hypothesis shrank the properties above to on the code before issue 15's fix.

TWIN = PageSpec(kind="article", url_index=0, variant=0, seed=0, age_minutes=0)


@pytest.mark.parametrize("batch", [1, 2])  # one batch (crashed), two batches (lost a copy)
def test_two_saved_copies_of_one_url_within_and_across_batches(batch, tmp_path, monkeypatch):
    older = PageSpec(kind="article", url_index=0, variant=1, seed=1, age_minutes=3)
    uris = write_folder(tmp_path / "pages", [older, TWIN])
    check(tmp_path, [Source("drop", "html_dir", str(tmp_path / "pages"))], uris, batch,
          monkeypatch)


def test_one_url_listed_four_ways_in_batches_of_one(server, tmp_path, monkeypatch):
    specs = [PageSpec("article", 0, variant, 0, 0) for variant in range(4)]
    urls = serve_specs(server, specs, "shrunk")
    (tmp_path / "list.txt").write_text("\n".join(urls) + "\n", encoding="utf-8")
    check(tmp_path, [Source("remote", "urls", str(tmp_path / "list.txt"), allow_private=True)],
          urls, 1, monkeypatch)
