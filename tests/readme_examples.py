"""Run the README's examples and compare what they print with what the README says they print.

A block opened with ```sh example or ```sql example is run against the demo warehouse; the
```text block right after it is its expected output. `python -m tests.readme_examples --update
WAREHOUSE` rewrites those text blocks from a fresh run (after a change that moves the figures).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from pipeline.settings import PROJECT_DIR

README = PROJECT_DIR / "README.md"
BLOCK = re.compile(r"```(\w+)([^\n]*)\n(.*?)```", re.DOTALL)


@dataclass
class Example:
    kind: str  # sh | sql
    code: str
    expected: str | None
    expected_span: tuple[int, int] | None  # where the expected text sits in the README


def examples(text: str) -> list[Example]:
    """The runnable examples of a README text, each with the output block that follows it."""
    blocks = list(BLOCK.finditer(text))
    found = []
    for i, block in enumerate(blocks):
        if block.group(2).strip() != "example":
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        follows = nxt is not None and nxt.group(1) == "text" and \
            not text[block.end():nxt.start()].strip()
        found.append(Example(block.group(1), block.group(3),
                             nxt.group(3) if follows else None,
                             (nxt.start(3), nxt.end(3)) if follows else None))
    return found


def _normalize(output: str) -> str:
    output = output.replace(PROJECT_DIR.as_uri(), "file://<repo>").replace(str(PROJECT_DIR), "<repo>")
    return "\n".join(line.rstrip() for line in output.strip("\n").splitlines()) + "\n"


def run(example: Example, warehouse: Path) -> str:
    """What an example prints against the warehouse, normalized (repo path as <repo>)."""
    if example.kind == "sql":
        from pipeline.formatting import render_table
        from pipeline.warehouse import connect

        with connect(warehouse, read_only=True) as con:
            return _normalize(render_table(con.execute(example.code).df()))
    command = re.sub(r"(?<![\w/])\.venv/bin/(axnews|python)\b",
                     lambda m: sys.executable + (" -m pipeline" if m[1] == "axnews" else ""),
                     example.code)
    env = {**os.environ, "AXNEWS_WAREHOUSE": str(warehouse), "AXNEWS_PROGRESS": "0"}
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=PROJECT_DIR, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    if proc.returncode not in (0, 141):  # 141: `| head` closed the pipe
        raise RuntimeError(f"{example.code!r} failed ({proc.returncode}): {proc.stderr}")
    return _normalize(proc.stdout)


def update(warehouse: Path) -> int:
    """Rewrite every expected-output block of the README from a run; returns how many changed."""
    text = README.read_text(encoding="utf-8")
    changed = 0
    for example in reversed(examples(text)):
        if example.expected_span is None:
            continue
        actual = run(example, warehouse)
        start, end = example.expected_span
        if text[start:end] != actual:
            text = text[:start] + actual + text[end:]
            changed += 1
    README.write_text(text, encoding="utf-8")
    return changed


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--update", type=Path, metavar="WAREHOUSE", required=True)
    print(f"{update(parser.parse_args().update)} output blocks rewritten")
