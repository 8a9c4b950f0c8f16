"""The inbox: URL lists and saved pages dropped into data/inbox/ are ingested once each.

A file moves inbox → inbox/processing/<batch>/ when a run is requested for it, then to
inbox/done/ or inbox/failed/ (with a <name>.reason.txt) when that run ends. Pure file moves,
no Dagster, so the sensor stays thin and this is tested alone.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from pipeline.models import Source

ACCEPTED = {".html": "html_dir", ".htm": "html_dir", ".txt": "urls"}


def pending_files(inbox: Path) -> list[Path]:
    """Files waiting in the inbox, oldest first (partial uploads ending in .part are skipped)."""
    if not inbox.is_dir():
        return []
    files = [p for p in inbox.iterdir() if p.is_file() and not p.name.startswith(".")
             and not p.name.endswith(".part")]
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


def claim_batch(inbox: Path, now: datetime | None = None) -> Path | None:
    """Move pending files into a new processing batch folder; unsupported ones go to failed/."""
    files = pending_files(inbox)
    if not files:
        return None
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%f")
    batch = inbox / "processing" / f"batch-{stamp}"
    batch.mkdir(parents=True)
    claimed = 0
    for path in files:
        if path.suffix.lower() in ACCEPTED:
            shutil.move(path, batch / path.name)
            claimed += 1
        else:
            fail_file(inbox, path, f"unsupported file type {path.suffix or '(none)'}; "
                                   "drop .html/.htm pages or .txt URL lists")
    if claimed == 0:
        batch.rmdir()
        return None
    return batch


def batch_sources(batch: Path, allow_private: bool = False) -> list[Source]:
    """The one-off sources a batch folder stands for: its pages and each URL list."""
    sources = []
    if any(p.suffix.lower() in (".html", ".htm") for p in batch.iterdir()):
        sources.append(Source(name=f"inbox:{batch.name}", kind="html_dir",
                              location=str(batch), outlet="inbox", allow_private=allow_private))
    for urls in sorted(batch.glob("*.txt")):
        sources.append(Source(name=f"inbox:{batch.name}:{urls.name}", kind="urls",
                              location=str(urls), outlet="inbox", allow_private=allow_private))
    return sources


def fail_file(inbox: Path, path: Path, reason: str) -> Path:
    """Move one file to failed/ and write its reason beside it."""
    failed = inbox / "failed"
    failed.mkdir(parents=True, exist_ok=True)
    target = failed / path.name
    shutil.move(path, target)
    (failed / f"{path.name}.reason.txt").write_text(reason + "\n", encoding="utf-8")
    return target


def finish_batch(inbox: Path, batch: Path, ok: bool, reason: str = "") -> list[Path]:
    """Move a batch's files to done/ (run succeeded) or failed/ (with the run's reason)."""
    if not batch.is_dir():
        return []
    moved = []
    for path in sorted(batch.iterdir()):
        if ok:
            done = inbox / "done"
            done.mkdir(parents=True, exist_ok=True)
            moved.append(Path(shutil.move(path, done / path.name)))
        else:
            moved.append(fail_file(inbox, path, reason or "the ingest run failed"))
    batch.rmdir()
    return moved
