"""RawStore: content-addressed, gzip-compressed, atomic and idempotent."""

from __future__ import annotations

import hashlib

import pytest

from pipeline.stages.rawstore import RawStore

BODY = "<p>지역 AI 전환</p>".encode() * 50


def test_put_returns_sha256_and_get_returns_the_same_bytes(tmp_path):
    store = RawStore(tmp_path)
    sha = store.put(BODY)
    assert sha == hashlib.sha256(BODY).hexdigest()
    assert store.has(sha)
    assert store.get(sha) == BODY


def test_bodies_are_sharded_and_gzip_compressed(tmp_path):
    store = RawStore(tmp_path)
    sha = store.put(BODY)
    path = tmp_path / sha[:2] / sha[2:4] / f"{sha}.gz"
    assert path.is_file()
    assert path.read_bytes()[:2] == b"\x1f\x8b"
    assert path.stat().st_size < len(BODY)


def test_putting_the_same_body_twice_keeps_one_file_and_no_temp_files(tmp_path):
    store = RawStore(tmp_path)
    first = store.put(BODY)
    mtime = store.path(first).stat().st_mtime_ns
    assert store.put(BODY) == first
    assert store.path(first).stat().st_mtime_ns == mtime
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files == [store.path(first)]


def test_missing_body_raises_key_error_and_bad_digest_value_error(tmp_path):
    store = RawStore(tmp_path)
    assert not store.has("0" * 64)
    with pytest.raises(KeyError):
        store.get("0" * 64)
    with pytest.raises(ValueError):
        store.get("../../etc/passwd")


def test_corrupt_file_is_reported_not_returned(tmp_path):
    store = RawStore(tmp_path)
    sha = store.put(BODY)
    store.path(sha).write_bytes(b"not gzip")
    with pytest.raises(ValueError):
        store.get(sha)
