# Every target sets itself up: a fresh clone needs only `make demo` or `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# Set for demo and ui only: tests use ephemeral Dagster instances.
DAGSTER_HOME := $(CURDIR)/data/dagster
SCALE ?= 2000
# make bench REAL=1 SCALE=2000: copies of ../shared/data's real pages, 5 % of them re-using an
# earlier copy's URL (SHARED_URLS; the pages load keeps one row per URL).
REAL ?=
SHARED_URLS ?= 0.05
BENCH_ARGS ?=

.PHONY: setup demo test ui bench eval eval-real eval-domain bench-domain eval-ner model sql clean

setup: $(STAMP)

# pip is upgraded first: the machine's pip 23 cannot resolve trafilatura's lxml extra.
# --compile-bytecode: this machine sets PYTHONDONTWRITEBYTECODE, so without .pyc files written at
# install every process (each pool worker, each test subprocess) compiles dagster & co again (~2.5 s).
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -U pip uv
	$(VENV)/bin/uv pip install -q --compile-bytecode --python $(PY) -e '.[dev]'
	touch $(STAMP)

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $@

demo: $(STAMP) $(DAGSTER_HOME)/dagster.yaml
	DAGSTER_HOME=$(DAGSTER_HOME) $(VENV)/bin/axnews run

test: $(STAMP)
	$(PY) -m pytest -q

ui: $(STAMP) $(DAGSTER_HOME)/dagster.yaml
	DAGSTER_HOME=$(DAGSTER_HOME) $(VENV)/bin/dagster dev -m pipeline.definitions -h 127.0.0.1 -p 3000

# Bytecode compiled once: with PYTHONDONTWRITEBYTECODE set, every worker would compile its imports.
bench: $(STAMP)
	$(PY) -m compileall -q pipeline
	$(PY) -m pipeline.bench --pages $(SCALE) $(if $(REAL),--real --shared-url-rate $(SHARED_URLS)) $(BENCH_ARGS)

eval: $(STAMP)
	$(PY) tests/eval_extraction.py
	$(PY) tests/eval_stories.py
	$(PY) tests/eval_entities.py --set all
	$(PY) tests/eval_events.py --set all

# Real third-party pages (../shared/data): ours vs plain trafilatura; skips when the data is absent.
eval-real: $(STAMP)
	$(PY) scripts/eval_real.py --check

# Entities and events on real government press releases (../shared/data/gov_press/gold), beside
# the self-written gold; prints a note and exits 0 when ../shared is absent.
eval-domain: $(STAMP)
	$(PY) tests/eval_domain.py

# Entities and events over all 2,534 real releases: time per release and memory (one process).
bench-domain: $(STAMP)
	$(PY) -m compileall -q pipeline
	$(PY) scripts/bench_domain.py

# The PERSON/ORG/LOCATION CRF from ../shared/data/klue-ner (seeded; 2 cores, a few minutes).
model: $(STAMP)
	nice -n 10 $(PY) -m pipeline.ner.train

# 5-fold cross-validation of the CRF against the rules and a Kiwi baseline (docs/quality-ner.md).
eval-ner: $(STAMP)
	nice -n 10 $(PY) -m pipeline.ner.evaluate
	$(PY) tests/eval_gov_press.py

# Times shown in Korean time; while a run writes the file (it holds DuckDB's lock), wait for it.
sql: $(STAMP)
	@until $(VENV)/bin/duckdb -readonly data/warehouse.duckdb -c "select 1" >/dev/null 2>&1; do \
		echo "warehouse busy (a run is writing it); waiting..."; sleep 2; done
	$(VENV)/bin/duckdb -readonly -cmd "set TimeZone = 'Asia/Seoul'" data/warehouse.duckdb

clean:
	rm -rf data/warehouse.duckdb data/warehouse.duckdb.wal data/raw data/reports data/dagster data/tmp data/bench
