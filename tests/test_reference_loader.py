"""The reference-data loader: packaged files, user overrides, version hash."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.reference import ENV_DIR, PACKAGE_DIR, load_reference, read_tsv


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_packaged_reference_loads_every_table():
    ref = load_reference()
    assert ref.organizations and ref.regions and ref.technologies
    assert len(ref.version) == 16
    assert all(isinstance(a, str) for o in ref.organizations for a in o.aliases)


def test_reading_skips_comments_header_and_splits_aliases(tmp_path):
    _write(tmp_path, "laws.tsv", "# note\ncanonical\tkind\taliases\n\n가법\tlaw\t가 법; 가법률 ;\n")
    rows = read_tsv(tmp_path / "laws.tsv", ("canonical", "kind", "aliases"))
    assert rows == [{"canonical": "가법", "kind": "law", "aliases": "가 법; 가법률 ;"}]
    ref = load_reference(tmp_path)
    law = next(x for x in ref.laws if x.canonical == "가법")
    assert law.aliases == ("가 법", "가법률")


def test_user_rows_add_and_override_packaged_rows(tmp_path):
    base = load_reference()
    _write(
        tmp_path,
        "organizations.tsv",
        "canonical\ttype\taliases\tregion\n"
        "경기테크노파크\ttechnopark\t경기TP;새별칭\t경기도\n"
        "가상의연구소\tinstitute\tGVL\t\n",
    )
    ref = load_reference(tmp_path)
    orgs = {o.canonical: o for o in ref.organizations}
    assert "새별칭" in orgs["경기테크노파크"].aliases
    assert "가상의연구소" in orgs
    assert len(ref.organizations) == len(base.organizations) + 1
    assert ref.version != base.version


def test_env_var_names_the_user_folder(tmp_path, monkeypatch):
    _write(
        tmp_path, "technologies.tsv", "canonical\tcategory\taliases\n양자센싱\tquantum\t퀀텀센싱\n"
    )
    monkeypatch.setenv(ENV_DIR, str(tmp_path))
    assert any(t.canonical == "양자센싱" for t in load_reference().technologies)
    monkeypatch.delenv(ENV_DIR)
    assert not any(t.canonical == "양자센싱" for t in load_reference().technologies)


def _copy_reference(target: Path) -> Path:
    """A copy of the packaged reference files in target."""
    target.mkdir(parents=True, exist_ok=True)
    for path in PACKAGE_DIR.glob("*.tsv"):
        shutil.copyfile(path, target / path.name)
    return target


def test_version_is_stable_for_equal_copies_and_changes_with_one_row(tmp_path):
    same_a = load_reference(_copy_reference(tmp_path / "a")).version
    same_b = load_reference(_copy_reference(tmp_path / "b")).version
    assert same_a == same_b  # the same bytes in another folder give the same version
    changed = _copy_reference(tmp_path / "c")
    orgs = changed / "organizations.tsv"
    lines = orgs.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if line.startswith("경기테크노파크\t"))
    lines[row] = lines[row].replace("경기TP;", "경기TP;경기 TP 본부;", 1)
    orgs.write_text("".join(lines), encoding="utf-8")
    edited = load_reference(changed)
    assert edited.version != same_a
    assert "경기 TP 본부" in next(o for o in edited.organizations
                                 if o.canonical == "경기테크노파크").aliases
