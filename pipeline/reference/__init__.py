"""Curated reference data (regions, organizations, technologies, laws, titles) and its loader.

The packaged TSV files sit next to this module. A user folder (argument or the
``AXNEWS_REFERENCE_DIR`` env var) may hold files with the same names whose rows add to or
override the packaged rows, keyed by each file's first column (regions: name and parent).
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ENV_DIR = "AXNEWS_REFERENCE_DIR"
FILES = ("regions", "organizations", "technologies", "laws", "titles", "tech_usage", "renames")
# Expected columns per file; missing trailing cells read as "".
COLUMNS: dict[str, tuple[str, ...]] = {
    "regions": ("name", "level", "parent", "aliases"),
    "organizations": ("canonical", "type", "aliases", "region"),
    "technologies": ("canonical", "category", "aliases"),
    "laws": ("canonical", "kind", "aliases"),
    "titles": ("title", "kind", "english"),
    "tech_usage": ("term", "use"),
    "renames": ("name", "label", "successor", "valid_from"),
}
MULTI_SEP = ";"
# The rules' vocabulary (suffixes, cue words, stop lists): one named list per row group.
WORD_LIST_COLUMNS = ("list", "word")


@dataclass(frozen=True)
class Region:
    """A place: country, province, city, county or district."""

    name: str
    level: str
    parent: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Organization:
    """A known organization with its aliases (abbreviations, English names)."""

    canonical: str
    type: str = ""
    aliases: tuple[str, ...] = ()
    region: str = ""


@dataclass(frozen=True)
class Technology:
    """A technology term of the taxonomy."""

    canonical: str
    category: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Law:
    """A law, decree, ordinance or named programme."""

    canonical: str
    kind: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Title:
    """A job title or role word (원장, 장관, CEO) that marks a person."""

    title: str
    kind: str = ""
    english: tuple[str, ...] = ()


@dataclass(frozen=True)
class TechUsage:
    """How a taxonomy term is used in text: 'field' (never a mention alone) or 'head' (its
    glued compounds are kinds of it: 제조로봇, 전력반도체)."""

    term: str
    use: str


@dataclass(frozen=True)
class Rename:
    """A body or region renamed (or merged into another) on a date: name -> successor."""

    name: str
    label: str
    successor: str
    valid_from: str  # YYYY-MM-DD, the first day of the successor's name


@dataclass(frozen=True)
class Reference:
    """All reference tables plus a version hash of the files they came from."""

    regions: tuple[Region, ...] = ()
    organizations: tuple[Organization, ...] = ()
    technologies: tuple[Technology, ...] = ()
    laws: tuple[Law, ...] = ()
    titles: tuple[Title, ...] = ()
    tech_usage: tuple[TechUsage, ...] = ()
    renames: tuple[Rename, ...] = ()
    version: str = ""
    sources: tuple[str, ...] = ()  # files read, in order


def normalize(text: str) -> str:
    """NFC-normalize and collapse whitespace."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _split_multi(cell: str) -> tuple[str, ...]:
    """Split a multi-value cell on ';', dropping empties and duplicates."""
    seen: dict[str, None] = {}
    for part in cell.split(MULTI_SEP):
        value = normalize(part)
        if value:
            seen.setdefault(value, None)
    return tuple(seen)


def _is_header(cells: list[str]) -> bool:
    """True when a line names columns rather than holding data."""
    known = {name for cols in COLUMNS.values() for name in cols} | set(WORD_LIST_COLUMNS)
    return any(cell.lower().lstrip("#").strip() in known for cell in cells[:2])


def read_tsv(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Read one reference TSV by column position; header, '#' comments and blanks skipped."""
    rows: list[dict[str, str]] = []
    first = True
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [normalize(c) for c in line.split("\t")]
        if first:
            first = False
            if _is_header(cells):
                continue
        row = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(columns)}
        if row[columns[0]]:
            rows.append(row)
    return rows


def _row_key(kind: str, row: dict[str, str]) -> tuple[str, ...]:
    """Key under which a user row overrides a packaged row."""
    if kind == "renames":
        return (row["name"], row["label"])
    if kind == "regions":
        # Many districts share a name (중구, 동구): the parent tells them apart.
        return (row["name"], row["parent"])
    return (row[COLUMNS[kind][0]],)


def _build(kind: str, row: dict[str, str]) -> object:
    """Turn one TSV row into its record type."""
    if kind == "regions":
        return Region(row["name"], row["level"], row["parent"], _split_multi(row["aliases"]))
    if kind == "organizations":
        return Organization(
            row["canonical"], row["type"], _split_multi(row["aliases"]), row["region"]
        )
    if kind == "technologies":
        return Technology(row["canonical"], row["category"], _split_multi(row["aliases"]))
    if kind == "laws":
        return Law(row["canonical"], row["kind"], _split_multi(row["aliases"]))
    if kind == "tech_usage":
        return TechUsage(row["term"], row["use"])
    if kind == "renames":
        return Rename(row["name"], row["label"], row["successor"], row["valid_from"])
    return Title(row["title"], row["kind"], _split_multi(row["english"]))


def _reference_dirs(extra_dir: Path | None) -> list[Path]:
    """The packaged folder, then the user's folder when one is given or set in the env."""
    dirs = [PACKAGE_DIR]
    chosen = extra_dir if extra_dir is not None else os.environ.get(ENV_DIR) or None
    if chosen is not None:
        dirs.append(Path(chosen).expanduser())
    return dirs


def load_reference(extra_dir: Path | None = None) -> Reference:
    """Load the packaged reference files, overlaid by extra_dir (or $AXNEWS_REFERENCE_DIR)."""
    digest = hashlib.sha256()
    merged: dict[str, dict[tuple[str, ...], dict[str, str]]] = {kind: {} for kind in FILES}
    sources: list[str] = []
    for folder in _reference_dirs(extra_dir):
        for kind in FILES:
            path = folder / f"{kind}.tsv"
            if not path.is_file():
                continue
            raw = path.read_bytes()
            digest.update(f"{kind}\0{len(raw)}\0".encode())
            digest.update(raw)
            sources.append(str(path))
            for row in read_tsv(path, COLUMNS[kind]):
                merged[kind][_row_key(kind, row)] = row
    for name in word_list_files():  # the rules' vocabulary: a change re-runs the enrichment too
        raw = (PACKAGE_DIR / f"{name}.tsv").read_bytes()
        digest.update(f"{name}\0{len(raw)}\0".encode())
        digest.update(raw)
    built = {kind: tuple(_build(kind, row) for row in merged[kind].values()) for kind in FILES}
    return Reference(
        regions=built["regions"],  # type: ignore[arg-type]
        organizations=built["organizations"],  # type: ignore[arg-type]
        technologies=built["technologies"],  # type: ignore[arg-type]
        laws=built["laws"],  # type: ignore[arg-type]
        titles=built["titles"],  # type: ignore[arg-type]
        tech_usage=built["tech_usage"],  # type: ignore[arg-type]
        renames=built["renames"],  # type: ignore[arg-type]
        version=digest.hexdigest()[:16],
        sources=tuple(sources),
    )


def word_list_files() -> tuple[str, ...]:
    """Stems of the packaged word-list files: every packaged TSV that is not an entity table."""
    return tuple(sorted(p.stem for p in PACKAGE_DIR.glob("*.tsv") if p.stem not in FILES))


@cache
def word_lists(name: str) -> dict[str, tuple[str, ...]]:
    """The named word lists of the packaged file <name>.tsv (columns list, word), in file order.

    These are the rules' own vocabulary, so the packaged file alone counts: a user folder
    overlays the curated entities above, not the rules. The reference version covers these
    files, so that a changed list re-runs the enrichment.
    """
    if name not in word_list_files():
        raise ValueError(f"{name!r} is not one of the word-list files {word_list_files()}")
    lists: dict[str, list[str]] = {}
    for row in read_tsv(PACKAGE_DIR / f"{name}.tsv", WORD_LIST_COLUMNS):
        lists.setdefault(row["list"], []).append(row["word"])
    return {key: tuple(words) for key, words in lists.items()}


def alternation(words: tuple[str, ...]) -> str:
    """A regex group matching any of words: '(?:a|b|c)'."""
    return "(?:" + "|".join(re.escape(w) for w in words) + ")"
