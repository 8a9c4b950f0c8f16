"""Every runnable README example prints what the README says it prints (demo warehouse)."""

from __future__ import annotations

import re

import pytest

from tests.readme_examples import README, examples, run

TEXT = README.read_text(encoding="utf-8")
EXAMPLES = examples(TEXT)


def test_readme_has_the_tour_examples_each_with_its_output():
    kinds = [e.kind for e in EXAMPLES]
    assert kinds.count("sql") >= 5 and kinds.count("sh") >= 2
    assert all(e.expected for e in EXAMPLES), "an example without its ```text output block"


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_readme_example_prints_what_the_readme_says(demo_run, index):
    example = EXAMPLES[index]
    assert run(example, demo_run.warehouse) == example.expected, (
        f"README example {index + 1} ({example.code.strip()[:60]!r}) prints something else; "
        "if the change is intended: python -m tests.readme_examples --update data/warehouse.duckdb")


def test_readme_links_point_to_files_that_exist():
    from pipeline.settings import PROJECT_DIR

    for target in re.findall(r"\]\(((?:docs|data)/[^)#]+)\)", TEXT):
        assert (PROJECT_DIR / target).exists(), target


def test_readme_is_for_users_and_the_design_notes_live_in_docs():
    assert len(TEXT.splitlines()) < 300
    assert "## Quality on real data" in TEXT and "docs/failure-behaviour.md" in TEXT
    assert "## Benchmark" not in TEXT
    from pipeline.settings import PROJECT_DIR

    assert "## Benchmark" in (PROJECT_DIR / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    assert "## Stages" in (PROJECT_DIR / "docs" / "design.md").read_text(encoding="utf-8")
