"""The sources file: which outlets, feeds, folders and archives to ingest."""

from __future__ import annotations

import difflib
import re
import tomllib
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

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


TOP_LEVEL_TABLES = ("source", "fetch")
# Locations that are read from disk, by kind: a folder, or a file (URLs may replace a file).
LOCAL_FOLDER_KINDS = frozenset({"html_dir"})
WEB_SCHEMES = frozenset({"http", "https"})
URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:/")  # `htps:/x.kr`: meant as a URL, not a path


class SourcesError(ValueError):
    """The sources file is missing, malformed or names an unknown kind."""


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def schema_problems(doc: dict) -> list[str]:
    """Every way a parsed sources document breaks the schema, one short sentence each.

    The schema: optional `[fetch]`, then `[[source]]` tables with name, kind, location,
    optional outlet and allow_private, and the options their kind accepts (KIND_OPTIONS).
    """
    problems = []
    for table in doc:
        if table not in TOP_LEVEL_TABLES:
            problems.append(f"unknown table [{table}]{_did_you_mean(table, TOP_LEVEL_TABLES)};"
                            " expected [[source]] or [fetch]")
    entries = doc.get("source", [])
    if not isinstance(entries, list):
        return [*problems, "`source` must be an array of tables: write [[source]], not [source]"]
    for i, entry in enumerate(entries):
        label = f"source #{i + 1}" + (f" ({entry['name']!r})" if "name" in entry else "")
        missing = sorted({"name", "kind", "location"} - entry.keys())
        if missing:
            problems.append(f"{label}: missing key {', '.join(missing)}")
        kind = entry.get("kind")
        if kind is not None and kind not in SOURCE_KINDS:
            problems.append(f"{label}: kind = {kind!r} is not one of {', '.join(SOURCE_KINDS)}"
                            f"{_did_you_mean(kind, SOURCE_KINDS)}")
            continue
        allowed = _KNOWN_KEYS | (KIND_OPTIONS[kind] if kind else set())
        for key in sorted(set(entry) - allowed):
            problems.append(f"{label}: unknown key {key!r}{_did_you_mean(key, allowed)}; "
                            f"allowed: {', '.join(sorted(allowed))}")
        for key in sorted(set(entry) & (allowed - _KNOWN_KEYS)):
            complaint = _check_option(key, entry[key])
            if complaint:
                problems.append(f"{label}: {complaint}")
    names = [e.get("name") for e in entries if isinstance(e, dict)]
    if len(names) != len(set(names)):
        problems.append("source names must be unique")
    return problems


def location_problem(kind: str, location: str, base_dir: Path) -> str | None:
    """What is wrong with a source's location (a URL or a local path), or None."""
    if "://" in location or URL_LIKE.match(location) or location.startswith("www."):
        parts = urlsplit(location)
        if parts.scheme == "file":
            return location_problem(kind, parts.path, base_dir)
        if parts.scheme not in WEB_SCHEMES or not parts.hostname or "://" not in location:
            return f"location {location!r} is not an http(s) URL like https://host/path"
        if kind in LOCAL_FOLDER_KINDS:
            return f"kind {kind} reads a local folder, not a URL ({location!r})"
        return None
    path = (base_dir / location).resolve()
    if kind in LOCAL_FOLDER_KINDS:
        return None if path.is_dir() else f"folder not found: {path}"
    return None if path.is_file() else f"file not found: {path}"


def validate_sources_file(path: Path, check_locations: bool = True) -> list[str]:
    """Every problem of a sources file, each naming the file and the table or key at fault.

    Cheap (no network, no Dagster): `axnews run` calls it before starting anything.
    """
    if not path.is_file():
        return [f"{path}: sources file not found" + (" (it is a folder)" if path.is_dir() else "")]
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        return [f"{path}: not valid TOML: {exc}"]
    except UnicodeDecodeError:
        return [f"{path}: not UTF-8 text"]
    problems = schema_problems(doc)
    if not problems and check_locations:
        for i, entry in enumerate(doc.get("source", [])):
            problem = location_problem(entry["kind"], str(entry["location"]), path.parent)
            if problem:
                problems.append(f"source #{i + 1} ({entry['name']!r}): {problem}")
    if not problems and "fetch" in doc:
        try:
            parse_fetch_policy(path.read_text(encoding="utf-8"))
        except (SourcesError, TypeError) as exc:
            problems.append(f"[fetch]: {exc}")
    return [p if p.startswith(str(path)) else f"{path}: {p}" for p in problems]


def parse_sources(text: str, base_dir: Path) -> list[Source]:
    """Parse a sources TOML text; relative local locations resolve against base_dir."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"sources file is not valid TOML: {exc}") from exc
    for table in doc:
        if table not in TOP_LEVEL_TABLES:  # `[[sourse]]` would otherwise ingest nothing, silently
            raise SourcesError(f"unknown table [{table}]{_did_you_mean(table, TOP_LEVEL_TABLES)};"
                               " expected [[source]] or [fetch]")
    sources = []
    for i, entry in enumerate(doc.get("source", [])):
        missing = {"name", "kind", "location"} - entry.keys()
        if missing:
            raise SourcesError(f"source #{i + 1} lacks {', '.join(sorted(missing))}")
        if entry["kind"] not in SOURCE_KINDS:
            raise SourcesError(f"source {entry['name']!r}: unknown kind {entry['kind']!r}"
                               f"{_did_you_mean(entry['kind'], SOURCE_KINDS)}")
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
