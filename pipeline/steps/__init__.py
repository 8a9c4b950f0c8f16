"""One function per asset: read the input tables, call the stages, load the output tables.

They know the warehouse and the stages but not Dagster, so the CLI, the benchmark and the tests
run exactly what the assets run. Every step is idempotent: it replaces the rows it owns. The SQL
they run is in sql/load (through pipeline/warehouse); the work of a pool worker in
pipeline/workers.py.
"""

from pipeline.steps.articles import build_articles_step
from pipeline.steps.enrichment import enrich_step
from pipeline.steps.pages import ingest_pages_step
from pipeline.steps.reports import chart_report_step, reports_step
from pipeline.steps.result import StepResult
from pipeline.steps.sources import load_sources_step

__all__ = ["StepResult", "build_articles_step", "chart_report_step", "enrich_step",
           "ingest_pages_step", "load_sources_step", "reports_step"]
