# Every target creates what it needs (virtual environment, installed project) when missing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# the optional `ray` extra, installed only by the targets that use it
RAY_STAMP := $(VENV)/.installed-ray

RAW ?= data/raw
WAREHOUSE ?= data/warehouse/warehouse.duckdb
# where documents are read: local (forked processes) or ray (a local Ray instance, or the
# cluster RAY_ADDRESS names)
ENGINE ?= local
ENGINE_STAMP := $(if $(filter ray,$(ENGINE)),$(RAY_STAMP))

.DEFAULT_GOAL := help
CORPUS ?=
BENCH_DOCS ?= 500
SCALE ?= 1000
.PHONY: help build test lint docs eval bench bench-scale fonts browser report clean sql export dictionary golden fingerprint seeds
# The SQL shell is DuckDB's 1.x CLI in an environment of its own: the warehouse is written in a
# storage version 1.x reads, and this shell proves it on every machine that uses it.
CLI_VENV := .venv-cli
CLI_STAMP := $(CLI_VENV)/.installed

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,bi]'
	touch $(STAMP)

$(RAY_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bi,ray]'
	touch $(RAY_STAMP)

$(CLI_STAMP):
	test -x $(CLI_VENV)/bin/python || $(PYTHON) -m venv $(CLI_VENV)
	$(CLI_VENV)/bin/python -m pip install --quiet 'duckdb-cli>=1.4,<2'
	touch $(CLI_STAMP)

sql: $(CLI_STAMP) ## read-only SQL shell on WAREHOUSE (DuckDB's CLI, installed on first use)
	@test -f "$(WAREHOUSE)" || { echo "error: $(WAREHOUSE) does not exist; run make build first" >&2; exit 1; }
	@$(CLI_VENV)/bin/duckdb -readonly "$(WAREHOUSE)"

FORMAT ?= csv
export: $(STAMP) ## TABLE= or QUERY= of WAREHOUSE as FORMAT=csv|xlsx|parquet to OUT=; DOCUMENT= its tables as printed (xlsx)
	$(PY) -m pipeline.export --warehouse "$(WAREHOUSE)" --format "$(FORMAT)" $(if $(TABLE),--table "$(TABLE)") \
	  $(if $(QUERY),--query "$(QUERY)") $(if $(DOCUMENT),--document "$(DOCUMENT)") $(if $(OUT),--out "$(OUT)")

dictionary: $(STAMP) ## the data dictionary of WAREHOUSE (every table and column, zh + en): OUT= folder, CSV and XLSX
	$(PY) -m pipeline.dictionary --warehouse "$(WAREHOUSE)" $(if $(OUT),--out "$(OUT)")

build: $(STAMP) $(ENGINE_STAMP) ## nightly refresh: read RAW (default data/raw), publish WAREHOUSE (default data/warehouse/warehouse.duckdb); ENGINE=ray reads on Ray
	$(PY) -m pipeline.build --raw "$(RAW)" --warehouse "$(WAREHOUSE)" --engine "$(ENGINE)"

test: $(STAMP) $(RAY_STAMP) fonts browser ## run the whole test suite (unit tests and an end-to-end build)
	$(PY) -m pytest

lint: $(STAMP) ## ruff and mypy
	$(VENV)/bin/ruff check ingest pipeline expectations tests
	$(VENV)/bin/mypy ingest pipeline expectations

eval: $(STAMP) ## evaluate the ingest on CORPUS (default ../shared/corpus): data/eval/eval.csv, eval.md
	$(PY) -m pipeline.evaluate $(if $(CORPUS),--corpus "$(CORPUS)")

bench: $(STAMP) fonts ## measure ingest speed and build times on BENCH_DOCS generated documents: data/bench/bench.md
	$(PY) -m pipeline.bench --docs $(BENCH_DOCS)

bench-scale: $(STAMP) $(ENGINE_STAMP) fonts ## ingest throughput, build times, storage and README query latency at SCALE documents (ENGINE=ray: on Ray; LANDING=generated: builds from a landing generated from the references, docs/scale.md): data/bench/scale-*.md
	$(PY) -m pipeline.bench_scale --scale $(SCALE) --engine "$(ENGINE)" $(if $(LANDING),--landing "$(LANDING)") $(if $(SCALE_SAMPLE),--sample $(SCALE_SAMPLE))

seeds: $(STAMP) ## export the catalogue's template roles (ingest/templates.toml) as the dbt seed template_roles
	$(PY) -m pipeline.template_seed

golden: $(STAMP) fonts ## rewrite the readers' golden files (tests/golden/); review with git diff tests/golden
	$(PY) -m tests.golden

fingerprint: $(STAMP) ## every landed record of CORPUS (default RAW) without dbt, to FINGERPRINT (default data/fingerprint.tsv)
	$(PY) -m pipeline.fingerprint --corpus "$(or $(CORPUS),$(RAW))" --out "$(or $(FINGERPRINT),data/fingerprint.tsv)"

report: $(STAMP) ## the audit report of WAREHOUSE (pages from RAW): <warehouse>.report/index.html, one page per document
	$(PY) -m pipeline.report --warehouse "$(WAREHOUSE)" --raw "$(RAW)"

docs: $(STAMP) ## the dbt docs site of the warehouse at WAREHOUSE: <warehouse>.docs/static_index.html
	$(PY) -m pipeline.docs --warehouse "$(WAREHOUSE)"

# Test PDFs are drawn with WenQuanYi Micro Hei: fpdf2 embeds it so pdfplumber reads it back
# (Noto CJK embeds without a usable text layer). Installed from Debian's packages when missing.
fonts:
	@fc-list 2>/dev/null | grep -qi 'wqy' || ls /usr/share/fonts/truetype/wqy/wqy-microhei.ttc >/dev/null 2>&1 || \
	  { echo "installing fonts-wqy-microhei"; \
	    if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq fonts-wqy-microhei >/dev/null; }

# Two tests open pages in headless Chromium (the offline validation report, the audit report):
# Debian's chromium, installed when missing; the tests skip, saying why, where it cannot be.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { echo "installing chromium"; \
	    if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null || \
	    echo "chromium could not be installed: the browser tests will be skipped"; }

clean: ## remove build outputs (the venv stays)
	rm -rf data/warehouse/*.duckdb* data/warehouse/*.landing data/warehouse/*.gx data/eval data/bench dbt_project/target dbt_project/logs
