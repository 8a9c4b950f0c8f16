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

from pipeline import steps
from pipeline.models import Source
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
PROPERTY = settings(max_examples=12, deadline=None, derandomize=True, database=None,
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
    monkeypatch.setattr(steps, "PAGE_BATCH", batch)  # batch boundaries inside small inputs
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
