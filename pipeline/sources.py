"""The sources file: which outlets, feeds, folders and archives to ingest."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pipeline.models import Source

SOURCE_KINDS = ("html_dir", "urls", "feed", "sitemap", "warc")
_KNOWN_KEYS = {"name", "kind", "location", "outlet", "allow_private"}


class SourcesError(ValueError):
    """The sources file is missing, malformed or names an unknown kind."""


def parse_sources(text: str, base_dir: Path) -> list[Source]:
    """Parse a sources TOML text; relative local locations resolve against base_dir."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"sources file is not valid TOML: {exc}") from exc
    sources = []
    for i, entry in enumerate(doc.get("source", [])):
        missing = {"name", "kind", "location"} - entry.keys()
        if missing:
            raise SourcesError(f"source #{i + 1} lacks {', '.join(sorted(missing))}")
        if entry["kind"] not in SOURCE_KINDS:
            raise SourcesError(f"source {entry['name']!r}: unknown kind {entry['kind']!r}")
        location = str(entry["location"])
        if "://" not in location:
            location = str((base_dir / location).resolve())
        options = {k: v for k, v in entry.items() if k not in _KNOWN_KEYS}
        sources.append(
            Source(
                name=str(entry["name"]),
                kind=entry["kind"],
                location=location,
                outlet=str(entry.get("outlet", entry["name"])),
                allow_private=bool(entry.get("allow_private", False)),
                options=options,
            )
        )
    names = [s.name for s in sources]
    if len(names) != len(set(names)):
        raise SourcesError("source names must be unique")
    return sources


def load_sources(path: Path) -> list[Source]:
    """Read and parse a sources file."""
    if not path.is_file():
        raise SourcesError(f"sources file not found: {path}")
    return parse_sources(path.read_text(encoding="utf-8"), path.parent.resolve())
