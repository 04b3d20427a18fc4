# Shenpi: `make run` serves the platform, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
PORT ?= 8000
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.8
VENV := .venv
PY := $(VENV)/bin/python
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run serve install deps static migrate seed test test-fast test-e2e bench bench-extended bench-smoke lint format clean

# The tool that installs from the lock file, in its own small environment.
$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# Python packages from uv.lock, npm packages from package-lock.json.
$(VENV)/.installed: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

deps: $(VENV)/.installed node_modules/.installed

install: deps static

# Static assets (vendored from npm, hashed by whitenoise) and translations.
static: deps
	mkdir -p var
	if ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0; fi
	$(PY) manage.py collectstatic --noinput -v 0

migrate: deps
	mkdir -p var
	$(PY) manage.py migrate --noinput -v 1

seed: migrate
	$(PY) manage.py signing_ca
	$(PY) manage.py seed_demo

# Serve with gunicorn (a real WSGI server) and the scheduler for periodic jobs.
run: export SHENPI_DEMO ?= 1
# The address printed in QR codes and links on notices and licences: this server's own.
run: export SHENPI_PUBLIC_URL ?= http://127.0.0.1:$(PORT)
run: install seed
	@echo "宁夏回族自治区网上审批平台：http://127.0.0.1:$(PORT)/  （Ctrl-C 停止）"
	@$(PY) manage.py run_scheduler & SCHED=$$!; \
	trap 'kill $$SCHED 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn config.wsgi:application -c config/gunicorn.conf.py \
		--bind 127.0.0.1:$(PORT) --access-logfile -

# The whole suite: unit, service, API and browser journeys.
test: deps static
	$(PY) -m pytest -q

# Everything but the browser journeys (about a minute).
test-fast: deps
	$(PY) -m pytest -q -m "not e2e"

test-e2e: deps static
	$(PY) -m pytest -q -m e2e

# The benchmark against PostgreSQL (BENCH_DATABASE_URL, by default a database
# shenpi_bench on the local server, dropped and made again): 20–30 minutes here.
bench: deps static
	$(PY) -m bench.run

# The mixed day (every kind of request at once, Poisson arrivals, the scan beside them) at
# 1×, 2×, 4× … the region's peak-hour load, five minutes a step, at 100,000 cases.
bench-extended: deps static
	$(PY) -m bench.run --extended

# The same harness with a few thousand cases and short phases, no targets (CI).
bench-smoke: deps static
	$(PY) -m bench.run --smoke

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: deps
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf var test-artifacts
