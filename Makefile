# Casefile's interface: `make demo` and `make test` are all a new developer needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
DEMO_DB := casefile-demo.sqlite3

.PHONY: demo demo-serve test test-sqlite test-postgres test-system lint assets bench clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Re-install whenever a lock file changes.
$(VENV)/.base-installed: requirements/base.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-virtualenv -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/base.txt requirements/dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-virtualenv -r requirements/base.txt -r requirements/dev.txt
	touch $(VENV)/.base-installed $@

demo: $(VENV)/.base-installed
	CASEFILE_DEMO=1 DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(PY) manage.py migrate --no-input -v 0
	CASEFILE_DEMO=1 DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(PY) manage.py simulate_la --size small --seed 1
	CASEFILE_DEMO=1 DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(PY) manage.py seed_demo
	$(MAKE) --no-print-directory demo-serve

# The server with a background worker beside it (police imports and long PDFs run there, ADR 0011); stopping the
# server (Ctrl+C) stops the worker too.
demo-serve:
	CASEFILE_DEMO=1 DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) scripts/with-worker $(PY) manage.py runserver 127.0.0.1:8000

# The whole suite on SQLite, then again on PostgreSQL when a server is reachable.
test: $(VENV)/.dev-installed
	scripts/ensure-system-packages
	$(MAKE) --no-print-directory test-sqlite
	@if $(PY) scripts/postgres_reachable.py "$(PG_URL)"; then \
		$(MAKE) --no-print-directory test-postgres; \
	else echo "PostgreSQL is not reachable at $(PG_URL): suite ran on SQLite only."; fi

test-sqlite: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run --settings=config.settings_test
	$(PY) -m pytest -n 2 --dist loadgroup -q

test-postgres: $(VENV)/.dev-installed
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -n 2 --dist loadgroup -q

test-system: $(VENV)/.dev-installed
	$(PY) -m pytest -m system -q

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .

# Benchmarks: simulate a large authority on SQLite, then time the child record page; figures go to bench/results.md.
bench: $(VENV)/.dev-installed
	$(PY) bench/simulate_large.py
	$(PY) bench/child_record.py
	$(PY) bench/police_import.py
	$(PY) bench/police_import_task.py
	$(PY) bench/front_door.py

# Rebuild the committed CSS/JS from the pinned npm packages (needs node; running and testing do not).
assets:
	npm ci --no-audit --no-fund
	npm run build

clean:
	rm -rf $(VENV) staticfiles $(DEMO_DB)*
