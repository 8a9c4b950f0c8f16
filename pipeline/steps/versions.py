"""The version of the code a step's rows come from: a rule change re-runs the step."""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path

# Modules or packages (every .py file below a package counts, so splitting a module keeps it
# covered) whose source decides the articles, and the enrichment.
EXTRACTION_MODULES = ("pipeline.stages.extract", "pipeline.stages.clean", "pipeline.stages.residue",
                      "pipeline.stages.dates", "pipeline.stages.dedupe", "pipeline.stages.stories",
                      "pipeline.stages.script_data", "pipeline.stages.titles")
ENRICH_MODULES = ("pipeline.stages.enrich", "pipeline.stages.entities", "pipeline.stages.events",
                  "pipeline.stages.event_rules", "pipeline.search", "pipeline.ner")


def _source_files(name: str) -> list[Path]:
    module = importlib.import_module(name)
    folders = getattr(module, "__path__", None)
    if folders is None:
        return [Path(module.__file__)]
    return sorted(path for folder in folders for path in Path(folder).rglob("*.py"))


def code_version(*modules: str) -> str:
    """A short hash of the source files of some modules or packages: a rule change means a new
    version."""
    digest = hashlib.sha256()
    for name in modules:
        for path in _source_files(name):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
