# Clearance — `make run` (demo server) and `make test` (the whole suite). Both set everything up first.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
DEB_PACKAGES := fonts-noto-cjk fonts-noto-core libharfbuzz-subset0 poppler-utils chromium libpango-1.0-0 libpangoft2-1.0-0
HOST ?= 127.0.0.1
PORT ?= 8000

# The embedded default: debug on, SQLite file, Celery in-process. Override any of these in the environment.
export DEBUG ?= 1

.PHONY: run test fuzz setup system-packages venv migrate lint clean

# Links in e-mails (and the inbox's) point at the address this serves, unless SITE_URL says otherwise.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: setup migrate
	$(PY) manage.py seed_demo
	@echo "Clearance is serving on http://$(HOST):$(PORT)/ (health: http://$(HOST):$(PORT)/healthz)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup test-provider test-litellm
	$(VENV)/bin/pytest

setup: system-packages venv

# The OpenID Connect provider the single sign-on tests run against (Node.js, tests/e2e/oidc_provider).
PROVIDER_DIR := tests/e2e/oidc_provider
.PHONY: test-provider
test-provider: $(PROVIDER_DIR)/node_modules/.installed

$(PROVIDER_DIR)/node_modules/.installed: $(PROVIDER_DIR)/package-lock.json
	@command -v npm >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends nodejs npm; }
	npm ci --prefix $(PROVIDER_DIR) --no-audit --no-fund --loglevel=error
	touch $@

# The LiteLLM proxy the gateway integration test starts (tests/integrations), in a virtualenv of its own so
# the app's requirements stay clean. Both CI legs may ask for it at once: the lock makes the second wait.
LITELLM_VENV := .venv-litellm
LITELLM_REQUIREMENTS := integrations/litellm/requirements.txt
.PHONY: test-litellm
test-litellm: $(LITELLM_VENV)/.installed

$(LITELLM_VENV)/.installed: $(LITELLM_REQUIREMENTS)
	flock $(LITELLM_REQUIREMENTS) bash -c 'set -e; [ -f $@ ] && [ $@ -nt $(LITELLM_REQUIREMENTS) ] && exit 0; \
		rm -rf $(LITELLM_VENV); $(PYTHON) -m venv $(LITELLM_VENV); echo "*" > $(LITELLM_VENV)/.gitignore; \
		$(LITELLM_VENV)/bin/pip install --quiet --disable-pip-version-check -r $(LITELLM_REQUIREMENTS); touch $@'

system-packages:
	@missing=""; \
	for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	touch $@

migrate:
	$(PY) manage.py migrate --no-input

# The property-based fuzz tests with the large profile (2,000 examples per page instead of CI's 140);
# FUZZ_EXAMPLES=N sets another number. On PostgreSQL too: set DATABASE_URL as for `make test`.
fuzz: setup
	HYPOTHESIS_PROFILE=fuzz $(VENV)/bin/pytest -p no:cacheprovider tests/test_fuzz.py

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) $(LITELLM_VENV) staticfiles .pytest_cache

# Document benchmark: seeds a throwaway SQLite database under /tmp (demo data, then up to 10,000 use cases)
# and prints render times and peak memory of the approval record, the report PDF and the CSV.
BENCH_ENV := DEBUG=1 LOG_LEVEL=WARNING DATABASE_URL=sqlite:////tmp/clearance-bench.sqlite3 MEDIA_ROOT=/tmp/clearance-bench-media REDIS_URL=
.PHONY: bench-pdf
bench-pdf: setup
	rm -rf /tmp/clearance-bench.sqlite3 /tmp/clearance-bench.sqlite3-wal /tmp/clearance-bench.sqlite3-shm /tmp/clearance-bench-media
	$(BENCH_ENV) $(PY) manage.py migrate --no-input -v0
	$(BENCH_ENV) $(PY) bench/bench_documents.py

# Decision benchmark: seeds a throwaway SQLite database under /tmp with 10,000 use cases and the gateway's
# names for them, then sends 2,000 decision questions (allowed and denied) through the whole Django stack as
# a gateway's token and prints p50/p95/p99 and the queries per question (BENCH_DECISIONS=N: another number).
.PHONY: bench-evaluations
# Imports of evaluation result files of 50,000 samples (Inspect .eval and JSON, promptfoo), each in a process of its
# own on a throwaway SQLite database: seconds, memory added at the peak, and queries against a 100-sample file.
bench-evaluations: setup
	$(PY) bench/bench_evaluations.py

.PHONY: bench-decision
# Production settings (DEBUG off, persistent database connections as a gunicorn worker keeps them), over SQLite;
# `make bench-decision DECISION_DB=postgres://postgres@127.0.0.1:5432/clearance_bench` measures PostgreSQL (a
# database of its own: seeded once up to 10,000 use cases, then reused).
DECISION_DB ?= sqlite:////tmp/clearance-bench-decision.sqlite3
DECISION_BENCH_ENV := DEBUG=0 SECRET_KEY=bench-decision-only-not-a-production-secret-0123456789 \
	ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0 SESSION_COOKIE_SECURE=0 \
	CSRF_COOKIE_SECURE=0 DB_CONN_MAX_AGE=60 LOG_LEVEL=WARNING \
	DATABASE_URL=$(DECISION_DB) REDIS_URL=
bench-decision: setup
	rm -f /tmp/clearance-bench-decision.sqlite3 /tmp/clearance-bench-decision.sqlite3-wal /tmp/clearance-bench-decision.sqlite3-shm
	$(DECISION_BENCH_ENV) $(PY) manage.py migrate --no-input -v0
	$(DECISION_BENCH_ENV) $(PY) bench/bench_decision.py

# Web benchmark: seeds one database per size (SQLite under /tmp, and PostgreSQL when DATABASE_URL is a
# postgres:// URL: the URL's database name with the size appended), serves it with gunicorn in production
# settings and prints each page's median, p95 and ratios to the admin changelist and a one-query floor,
# each page's first request on a fresh worker, the growth from the smallest size to the largest, and a
# 50-user load test on PostgreSQL at 10,000 use cases. Databases are seeded once and reused (RESEED=1
# starts over). BACKENDS="sqlite" (or "postgres") runs one backend only; PAGES="queue" measures only the
# pages whose names contain that word (beside the admin changelist and the floor).
SIZES ?= 100 10000 100000
REQUESTS ?= 15
BACKENDS ?=
RESEED ?=
PAGES ?=
.PHONY: bench-web
bench-web: setup
	BENCH_SIZES="$(SIZES)" BENCH_ROUNDS=$(REQUESTS) BENCH_BACKENDS="$(BACKENDS)" BENCH_RESEED=$(RESEED) \
		BENCH_PAGES="$(PAGES)" $(PY) bench/bench_web.py
