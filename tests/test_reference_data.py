"""Integrity checks for the curated reference data in pipeline/reference/*.tsv.

The files are parsed here with the csv module only (not with the package loader), so these
tests pin the on-disk format described in pipeline/reference/README.md.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

REF_DIR = Path(__file__).resolve().parents[1] / "pipeline" / "reference"

HEADERS = {
    "regions.tsv": ["name", "level", "parent", "aliases"],
    "organizations.tsv": ["canonical", "type", "aliases", "region"],
    "technologies.tsv": ["canonical", "category", "aliases"],
    "laws.tsv": ["canonical", "kind", "aliases"],
    "titles.tsv": ["title", "kind", "english"],
}

LEVELS = {"country", "province", "city", "county", "district"}
ORG_TYPES = {
    "ministry",
    "agency",
    "technopark",
    "institute",
    "association",
    "company",
    "university",
    "party",
    "court",
    "police",
    "international",
    "government",
    "legislature",
    "media",
}
LAW_KINDS = {"law", "decree", "ordinance", "policy", "programme"}
TITLE_KINDS = {"government", "business", "academic", "politics", "sports", "legal", "media"}
TECH_CATEGORIES = {
    "ai",
    "semiconductor",
    "manufacturing",
    "mobility",
    "infrastructure",
    "data",
    "network",
    "security",
    "robotics",
    "energy",
    "bio",
    "computing",
    "content",
}

PROVINCES = [
    "서울특별시",
    "부산광역시",
    "대구광역시",
    "인천광역시",
    "광주광역시",
    "대전광역시",
    "울산광역시",
    "세종특별자치시",
    "경기도",
    "강원특별자치도",
    "충청북도",
    "충청남도",
    "전북특별자치도",
    "전라남도",
    "경상북도",
    "경상남도",
    "제주특별자치도",
]

MINIMUM_ROWS = {
    "regions.tsv": 17 + 226 + 60 + 40,
    "organizations.tsv": 400,
    "technologies.tsv": 50,
    "laws.tsv": 40,
    "titles.tsv": 80,
}


def read_raw_lines(name: str) -> list[str]:
    return (REF_DIR / name).read_text(encoding="utf-8").splitlines()


def read_rows(name: str) -> tuple[list[str], list[dict[str, str]]]:
    lines = [ln for ln in read_raw_lines(name) if ln.strip() and not ln.startswith("#")]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader)
    rows = []
    for lineno, fields in enumerate(reader, start=2):
        assert len(fields) == len(header), (
            f"{name}: data line {lineno} has {len(fields)} fields: {fields}"
        )
        rows.append(dict(zip(header, fields, strict=True)))
    return header, rows


def region_sections() -> dict[tuple[str, str], str]:
    """(name, parent) -> the '# section: …' comment that precedes the row in regions.tsv."""
    section, out = "", {}
    for line in read_raw_lines("regions.tsv"):
        if line.startswith("# section:"):
            section = line.removeprefix("# section:").strip()
        elif line and not line.startswith("#"):
            name, _level, parent, *_ = line.split("\t")
            out[(name, parent)] = section
    return out


def aliases(value: str) -> list[str]:
    return [a for a in value.split(";") if a]


@pytest.fixture(scope="module")
def tables() -> dict[str, list[dict[str, str]]]:
    return {name: read_rows(name)[1] for name in HEADERS}


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_header(name: str) -> None:
    header, _ = read_rows(name)
    assert header == HEADERS[name]


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_format_is_clean(name: str) -> None:
    raw = (REF_DIR / name).read_bytes()
    raw.decode("utf-8")  # strict UTF-8
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    assert b"\r" not in raw, "LF line endings only"
    for i, line in enumerate(read_raw_lines(name), start=1):
        if line.startswith("#") or not line:
            continue
        assert line == line.rstrip(" "), f"{name}:{i}: trailing space"
        for field in line.split("\t"):
            assert field == field.strip(), f"{name}:{i}: field {field!r} has surrounding spaces"
            for alias in field.split(";") if ";" in field else []:
                assert alias == alias.strip(), f"{name}:{i}: alias {alias!r} has surrounding spaces"
                assert alias, f"{name}:{i}: empty item in ;-list {field!r}"


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_minimum_rows(name: str, tables) -> None:
    assert len(tables[name]) >= MINIMUM_ROWS[name]


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_no_empty_key(name: str, tables) -> None:
    key = HEADERS[name][0]
    assert all(row[key] for row in tables[name])


@pytest.mark.parametrize(
    "name", ["organizations.tsv", "technologies.tsv", "laws.tsv", "titles.tsv"]
)
def test_unique_canonical(name: str, tables) -> None:
    key = HEADERS[name][0]
    seen: dict[str, int] = defaultdict(int)
    for row in tables[name]:
        seen[row[key]] += 1
    assert not {k: n for k, n in seen.items() if n > 1}


def test_regions_unique_per_parent(tables) -> None:
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for row in tables["regions.tsv"]:
        seen[(row["name"], row["parent"])] += 1
    assert not {k: n for k, n in seen.items() if n > 1}


@pytest.mark.parametrize("name", ["organizations.tsv", "technologies.tsv", "laws.tsv"])
def test_alias_not_shared(name: str, tables) -> None:
    """An alias (or canonical) may point to one canonical only within a file."""
    key = HEADERS[name][0]
    owner: dict[str, set[str]] = defaultdict(set)
    for row in tables[name]:
        owner[row[key].casefold()].add(row[key])
        for alias in aliases(row["aliases"]):
            owner[alias.casefold()].add(row[key])
    shared = {a: sorted(c) for a, c in owner.items() if len(c) > 1}
    assert not shared


@pytest.mark.parametrize(
    "name", ["organizations.tsv", "technologies.tsv", "laws.tsv", "regions.tsv"]
)
def test_alias_differs_from_own_name(name: str, tables) -> None:
    key = HEADERS[name][0]
    for row in tables[name]:
        items = aliases(row["aliases"])
        assert row[key] not in items, row
        assert len(items) == len(set(items)), f"duplicate alias in {row}"


def test_enumerations(tables) -> None:
    assert {r["level"] for r in tables["regions.tsv"]} <= LEVELS
    assert {r["type"] for r in tables["organizations.tsv"]} <= ORG_TYPES
    assert {r["kind"] for r in tables["laws.tsv"]} <= LAW_KINDS
    assert {r["kind"] for r in tables["titles.tsv"]} <= TITLE_KINDS
    assert {r["category"] for r in tables["technologies.tsv"]} <= TECH_CATEGORIES


def test_region_parents_exist(tables) -> None:
    names = {r["name"] for r in tables["regions.tsv"]}
    missing = {
        r["parent"] for r in tables["regions.tsv"] if r["parent"] and r["parent"] not in names
    }
    assert not missing


def test_region_parent_levels(tables) -> None:
    rows = tables["regions.tsv"]
    sections = region_sections()
    levels_by_name: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        levels_by_name[r["name"]].add(r["level"])
    for r in rows:
        if r["level"] == "country":
            assert r["parent"] == "", r
        elif r["level"] == "province" and r["parent"]:
            # foreign states (캘리포니아주, 광둥성): parent is a country
            assert levels_by_name[r["parent"]] == {"country"}, r
        elif r["parent"] and not sections[(r["name"], r["parent"])].startswith("named areas"):
            # administrative units sit under a province/city; named areas may sit under any level
            assert levels_by_name[r["parent"]] & {"country", "province", "city"}, r


def test_seventeen_provinces(tables) -> None:
    provinces = [
        r["name"] for r in tables["regions.tsv"] if r["level"] == "province" and not r["parent"]
    ]
    assert sorted(provinces) == sorted(PROVINCES)


def test_basic_local_governments(tables) -> None:
    """The 226 autonomous 시·군·구 (section 'basic local governments' of regions.tsv)."""
    sections = region_sections()
    rows = [
        r
        for r in tables["regions.tsv"]
        if sections[(r["name"], r["parent"])].startswith("basic local governments")
    ]
    assert all(r["parent"] in PROVINCES for r in rows)
    assert len(rows) == 226
    assert not [r for r in rows if r["parent"] in {"세종특별자치시", "제주특별자치도"}]
    per_province = defaultdict(int)
    for r in rows:
        per_province[r["parent"]] += 1
    assert per_province["경기도"] == 31
    assert per_province["서울특별시"] == 25
    gunwi = [r for r in rows if r["name"] == "군위군"]
    assert [r["parent"] for r in gunwi] == ["대구광역시"]  # moved from 경북 in 2023


def test_countries_and_foreign_cities(tables) -> None:
    rows = tables["regions.tsv"]
    countries = {r["name"] for r in rows if r["level"] == "country"}
    assert len(countries) >= 60
    assert {"대한민국", "미국", "중국", "일본"} <= countries
    foreign_cities = [r for r in rows if r["level"] == "city" and r["parent"] in countries]
    assert len(foreign_cities) >= 40
    korea = next(r for r in rows if r["name"] == "대한민국")
    assert {"한국", "Korea", "South Korea"} <= set(aliases(korea["aliases"]))


def test_technoparks_have_province_region(tables) -> None:
    tps = [r for r in tables["organizations.tsv"] if r["type"] == "technopark"]
    assert len(tps) >= 19
    for r in tps:
        assert r["region"] in PROVINCES, r
        for alias in aliases(r["aliases"]):
            assert alias.upper() not in {"TP", "AI"}, r
    gg = next(r for r in tps if r["canonical"] == "경기테크노파크")
    assert {"경기TP", "경기 테크노파크", "Gyeonggi Techno Park"} <= set(aliases(gg["aliases"]))


def test_organization_regions_are_provinces(tables) -> None:
    for r in tables["organizations.tsv"]:
        assert r["region"] == "" or r["region"] in PROVINCES, r


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("과기정통부", "과학기술정보통신부"),
        ("과기부", "과학기술정보통신부"),
        ("MSIT", "과학기술정보통신부"),
        ("산업부", "산업통상자원부"),
        ("중기부", "중소벤처기업부"),
        ("ETRI", "한국전자통신연구원"),
        ("카이스트", "한국과학기술원"),
        ("한은", "한국은행"),
        ("포스텍", "포항공과대학교"),
        ("NVIDIA", "엔비디아"),
        ("민주당", "더불어민주당"),
        ("헌재", "헌법재판소"),
        ("유엔", "국제연합"),
    ],
)
def test_known_organization_aliases(alias: str, canonical: str, tables) -> None:
    matches = [
        r["canonical"] for r in tables["organizations.tsv"] if alias in aliases(r["aliases"])
    ]
    assert matches == [canonical]


def test_known_technology_and_law_aliases(tables) -> None:
    tech = {a: r["canonical"] for r in tables["technologies.tsv"] for a in aliases(r["aliases"])}
    assert tech["온디바이스AI"] == "온디바이스 AI"
    assert tech["피지컬AI"] == "피지컬 AI"
    assert tech["AI반도체"] == "AI 반도체"
    laws = {a: r["canonical"] for r in tables["laws.tsv"] for a in aliases(r["aliases"])}
    assert laws["AI 기본법"] == "인공지능 발전과 신뢰 기반 조성 등에 관한 기본법"
    assert laws["SW진흥법"] == "소프트웨어진흥법"


def test_titles(tables) -> None:
    titles = {r["title"] for r in tables["titles.tsv"]}
    assert {"원장", "장관", "도지사", "대표이사", "교수", "기자", "CEO"} <= titles
