"""Views for an analyst's common questions (sql/views), and the reference entities they join."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline.settings import SQL_DIR
from pipeline.warehouse.comments import apply_comments, split_comments
from pipeline.warehouse.db import replace_table

REFERENCE_ENTITIES = pa.schema([("entity_id", pa.string()), ("label", pa.string()),
                                ("canonical", pa.string()), ("type", pa.string()),
                                ("region", pa.string())])

VIEWS_DIR = SQL_DIR / "views"
# Created in this order: a view may read the ones before it.
VIEW_ORDER = ("entity_directory", "weekly_entity_mentions", "quotes_with_speakers",
              "events_with_parties")


COMMENTS_DIR = SQL_DIR / "comments"


def apply_comment_file(con: duckdb.DuckDBPyConnection, name: str) -> int:
    """Apply sql/comments/<name>.sql (comments of a table another stage creates)."""
    _, comments = split_comments((COMMENTS_DIR / f"{name}.sql").read_text(encoding="utf-8"))
    return apply_comments(con, comments)


def apply_views(con: duckdb.DuckDBPyConnection, views_dir: Path = VIEWS_DIR) -> list[str]:
    """(Re)create every view with its comment; returns their names."""
    names = [*VIEW_ORDER, *sorted(p.stem for p in views_dir.glob("*.sql")
                                  if p.stem not in VIEW_ORDER)]
    comments = []
    for name in names:
        ddl, found = split_comments((views_dir / f"{name}.sql").read_text(encoding="utf-8"))
        con.execute(ddl)
        comments += found
    apply_comments(con, comments)
    return names


def _provinces(regions) -> dict[str, str | None]:
    """Region name → its province (None when the name is abroad or names places in two)."""
    by_name: dict[str, list] = {}
    for region in regions:
        by_name.setdefault(region.name, []).append(region)

    def province(region, depth: int = 0) -> str | None:
        if region.level == "province":
            return region.name
        parents = by_name.get(region.parent, [])
        if region.level == "country" or len(parents) != 1 or depth > 3:
            return None
        return province(parents[0], depth + 1)

    out: dict[str, str | None] = {}
    for name, same in by_name.items():
        found = {province(r) for r in same}
        out[name] = found.pop() if len(found) == 1 else None
    return out


def reference_entity_rows(reference) -> list[dict]:
    """One row per reference organization, place, technology and law (first one wins)."""
    from pipeline.stages.enrich import entity_id

    provinces = _provinces(reference.regions)
    rows: dict[str, dict] = {}

    def add(label: str, canonical: str, kind: str, region: str | None) -> None:
        key = entity_id(label, canonical)
        rows.setdefault(key, {"entity_id": key, "label": label, "canonical": canonical,
                              "type": kind or None, "region": region or None})

    for org in reference.organizations:
        add("ORG", org.canonical, org.type, provinces.get(org.region, org.region) or None)
    for region in reference.regions:
        add("LOCATION", region.name, region.level, provinces.get(region.name))
    for tech in reference.technologies:
        add("TECH", tech.canonical, tech.category, None)
    for law in reference.laws:
        add("LAW", law.canonical, law.kind, None)
    return list(rows.values())


def load_reference_entities(con: duckdb.DuckDBPyConnection, reference_dir: Path | None) -> int:
    """Replace `reference_entities` with the reference data in use; returns its rows."""
    from pipeline.reference import load_reference

    rows = reference_entity_rows(load_reference(reference_dir))
    return replace_table(con, "reference_entities",
                         pa.Table.from_pylist(rows, schema=REFERENCE_ENTITIES))
