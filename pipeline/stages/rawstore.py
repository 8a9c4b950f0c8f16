"""Content-addressed store of raw page bodies: gzip files named by the sha256 of the body."""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import tempfile
from pathlib import Path

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
SUFFIX = ".gz"
GZIP_LEVEL = 6


class RawStore:
    """Raw bodies under root/ab/cd/<sha256>.gz, written atomically and only once."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._dirs: set[Path] = set()

    def path(self, sha: str) -> Path:
        """Where the body with this sha256 hex digest lives."""
        if not SHA256_HEX.match(sha):
            raise ValueError(f"not a sha256 hex digest: {sha!r}")
        return self.root / sha[:2] / sha[2:4] / f"{sha}{SUFFIX}"

    def has(self, sha: str) -> bool:
        """True when the body is stored."""
        return self.path(sha).is_file()

    def put(self, body: bytes) -> str:
        """Store a body (no-op when already stored); return its sha256 hex digest."""
        sha = hashlib.sha256(body).hexdigest()
        target = self.path(sha)
        if target.is_file():
            return sha
        if target.parent not in self._dirs:  # one mkdir per shard, not per page
            target.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(target.parent)
        data = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=SUFFIX)
        try:
            with os.fdopen(fd, "wb") as raw:
                raw.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha

    def get(self, sha: str) -> bytes:
        """The stored body; KeyError when absent, ValueError when the file is corrupt."""
        target = self.path(sha)
        try:
            body = gzip.decompress(target.read_bytes())
        except FileNotFoundError:
            raise KeyError(sha) from None
        except (OSError, EOFError) as exc:
            raise ValueError(f"corrupt raw body {sha}: {exc}") from exc
        if hashlib.sha256(body).hexdigest() != sha:
            raise ValueError(f"raw body {sha} does not match its digest")
        return body
