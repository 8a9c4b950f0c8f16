"""The sources file: which outlets, feeds, folders and archives to ingest."""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime
from pathlib import Path

from pipeline.models import Source

SOURCE_KINDS = ("html_dir", "urls", "feed", "sitemap", "warc")
_KNOWN_KEYS = {"name", "kind", "location", "outlet", "allow_private"}
# Options each kind accepts (see pipeline/stages/discover.py for their meaning).
KIND_OPTIONS: dict[str, frozenset[str]] = {
    "html_dir": frozenset(),
    "urls": frozenset({"pattern", "max_bytes"}),
    "feed": frozenset({"pattern", "since", "max_urls", "max_bytes"}),
    "sitemap": frozenset({"pattern", "since", "max_urls", "max_bytes"}),
    "warc": frozenset({"pattern", "since", "max_bytes"}),
}


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
        check_options(str(entry["name"]), entry["kind"], options)
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


def _check_option(key: str, value: object) -> str | None:
    """A complaint about one option value, or None when it is valid."""
    if key == "pattern":
        if not isinstance(value, str):
            return "pattern must be a string"
        try:
            re.compile(value)
        except re.error as exc:
            return f"pattern is not a valid regex: {exc}"
    elif key == "since":
        if isinstance(value, str):
            try:
                datetime.fromisoformat(value)
            except ValueError:
                return f"since must be an ISO date, got {value!r}"
        elif not isinstance(value, date):
            return "since must be a date"
    elif key in ("max_urls", "max_bytes") and (
        isinstance(value, bool) or not isinstance(value, int) or value <= 0
    ):
        return f"{key} must be a positive integer"
    return None


def check_options(name: str, kind: str, options: dict) -> None:
    """Raise SourcesError for an option the kind does not accept or a malformed value."""
    unknown = sorted(set(options) - KIND_OPTIONS[kind])
    if unknown:
        allowed = ", ".join(sorted(KIND_OPTIONS[kind])) or "none"
        raise SourcesError(
            f"source {name!r}: kind {kind} does not accept {', '.join(unknown)} (allowed: {allowed})"
        )
    for key, value in options.items():
        complaint = _check_option(key, value)
        if complaint:
            raise SourcesError(f"source {name!r}: {complaint}")


def load_sources(path: Path) -> list[Source]:
    """Read and parse a sources file."""
    if not path.is_file():
        raise SourcesError(f"sources file not found: {path}")
    return parse_sources(path.read_text(encoding="utf-8"), path.parent.resolve())


def parse_fetch_policy(text: str):
    """The `[fetch]` table of a sources file as a FetchPolicy (user agent, timeouts, politeness)."""
    from dataclasses import fields, replace

    from pipeline.stages.fetch import FetchPolicy

    table = tomllib.loads(text).get("fetch", {})
    known = {f.name: f.type for f in fields(FetchPolicy)}
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise SourcesError(f"[fetch] has unknown keys: {', '.join(unknown)}; "
                           f"known: {', '.join(sorted(known))}")
    return replace(FetchPolicy(), **table)


def load_fetch_policy(path: Path):
    """The fetch policy of a sources file (defaults when the file has no `[fetch]` table)."""
    from pipeline.stages.fetch import FetchPolicy

    if not path.is_file():
        return FetchPolicy()
    return parse_fetch_policy(path.read_text(encoding="utf-8"))
