# Casefile's interface: `make demo` and `make test` are all a new developer needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
DEMO_DB ?= casefile-demo.sqlite3
DEMO_PORT ?= 8000
DEMO_ENV = CASEFILE_DEMO=1 DATABASE_URL=sqlite:///$(abspath $(DEMO_DB))

.PHONY: demo demo-data demo-smoke test test-sqlite test-postgres test-hostile-clock test-system lint assets bench bench-load bench-oversight bench-insight bench-cin clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Re-install whenever a lock file changes.
$(VENV)/.base-installed: requirements/base.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-virtualenv -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/base.txt requirements/dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-virtualenv -r requirements/base.txt -r requirements/dev.txt
	touch $(VENV)/.base-installed $@

demo: demo-data
	$(DEMO_ENV) scripts/demo-serve $(PY) 127.0.0.1:$(DEMO_PORT)

# The demo authority in $(DEMO_DB), with the runtime dependencies only: a small authority simulated up to
# today, and the demo logins given cases from it. Each step does nothing the second time.
demo-data: $(VENV)/.base-installed
	$(DEMO_ENV) $(PY) manage.py migrate --no-input -v 0
	$(DEMO_ENV) $(PY) manage.py simulate_la --size small --seed 1
	$(DEMO_ENV) $(PY) manage.py seed_demo

# From a clean clone, a venv with requirements/base.txt only builds the demo and serves the sign-in page.
demo-smoke:
	scripts/demo-smoke

# The whole suite on SQLite as it is now, then again on PostgreSQL, when a server is reachable, as if it were the
# hostile moment below (without PostgreSQL, the non-browser suite runs on SQLite a second time at that moment):
# each database and each moment is covered in two runs, not three, which keeps .ci/run inside its 30 minutes.
# The community CIN validator is built first (its own venv, .venv-cin-oracle) and required: the parity tests
# cannot skip here.
CIN_ORACLE = CASEFILE_REQUIRE_CIN_ORACLE=1 CASEFILE_CIN_ORACLE_VENV=$${CASEFILE_CIN_ORACLE_VENV:-$(abspath .venv-cin-oracle)}
test: $(VENV)/.dev-installed
	scripts/ensure-system-packages
	scripts/cin-oracle
	$(MAKE) --no-print-directory test-sqlite
	@if $(PY) scripts/postgres_reachable.py "$(PG_URL)"; then \
		CASEFILE_TEST_CLOCK=$(HOSTILE_CLOCK) $(MAKE) --no-print-directory test-postgres; \
	else echo "PostgreSQL is not reachable at $(PG_URL): SQLite again, at $(HOSTILE_CLOCK)."; \
		$(MAKE) --no-print-directory test-hostile-clock; fi

test-sqlite: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run --settings=config.settings_test
	$(CIN_ORACLE) $(PY) -m pytest -n 2 --dist loadgroup -q

# On PostgreSQL: everything that touches the database. Not the rules in casefile/rules, which import no Django
# (rules/tests/test_no_django.py) and so give the same answer on any database, and only the browser tests whose
# point is the database (marked every_database: two people saving at once, the task worker); the other browser
# tests drive the same views the suite has just run on PostgreSQL. Keeps .ci/run inside its 30 minutes.
test-postgres: $(VENV)/.dev-installed
	$(CIN_ORACLE) DATABASE_URL=$(PG_URL) $(PY) -m pytest -n 2 --dist loadgroup -q --ignore=casefile/rules \
		-m "not system or every_database"

# The hostile moment: 00:30 BST on the Tuesday after Easter Monday 2027. The UTC date is still the bank holiday,
# three non-working days lie behind, the clocks went forward on Sunday, the year ends the next day and 10am is
# hours away (docs/testing.md). Another moment: HOSTILE_CLOCK=... `make test` runs PostgreSQL's suite at it;
# this target runs the non-browser suite on SQLite at it (what `make test` does without PostgreSQL).
# casefile/rules is left out: nothing in it reads the clock (rules/tests/test_no_django.py), so no moment changes it.
HOSTILE_CLOCK ?= 2027-03-30T00:30:00+01:00
test-hostile-clock: $(VENV)/.dev-installed
	scripts/cin-oracle
	$(CIN_ORACLE) CASEFILE_TEST_CLOCK=$(HOSTILE_CLOCK) $(PY) -m pytest -n 2 --dist loadgroup -m "not system" -q \
		--ignore=casefile/rules

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
	$(PY) bench/signals.py --size large
	$(PY) bench/oversight_pages.py
	$(PY) bench/insight_pages.py

# Quality and performance on `large` (after bench/simulate_large.py): the clinic, the children behind a figure,
# the journeys and the QA home page, ten years of indicators and the clinic PDF; BENCH_POSTGRES=URL repeats it on
# PostgreSQL.
bench-insight: $(VENV)/.dev-installed
	$(PY) bench/insight_pages.py --refresh
	$(PY) bench/clinic_pdf.py
	if [ -n "$(BENCH_POSTGRES)" ]; then $(PY) bench/insight_pages.py --refresh --postgres $(BENCH_POSTGRES) && \
		$(PY) bench/clinic_pdf.py --postgres $(BENCH_POSTGRES); fi

# Oversight on `large` (after bench/simulate_large.py): every signal for the whole authority, then the manager's
# queue, team and practice-quality pages; with BENCH_POSTGRES=postgres://... the same on PostgreSQL too.
bench-oversight: $(VENV)/.dev-installed
	$(PY) bench/signals.py --size large
	$(PY) bench/oversight_pages.py
	if [ -n "$(BENCH_POSTGRES)" ]; then $(PY) bench/signals.py --size large --postgres $(BENCH_POSTGRES) && \
		$(PY) bench/oversight_pages.py --postgres $(BENCH_POSTGRES); fi

# CIN census export and validate at 1,000, 10,000 and 50,000 children; ours against the community validator at
# 5,000 and 20,000 (theirs takes about 20 minutes there); census_for_year on a simulated year (built once);
# figures to bench/results.md.
bench-cin: $(VENV)/.dev-installed
	scripts/cin-oracle
	CASEFILE_CIN_ORACLE_VENV=$${CASEFILE_CIN_ORACLE_VENV:-$(abspath .venv-cin-oracle)} $(PY) bench/cin_validator.py

# Load: gunicorn serving 50 signed-in staff on SQLite and PostgreSQL (an empty database of its own,
# LOAD_POSTGRES_URL, default casefile_load); figures to bench/results.md. Run it on a machine doing nothing else.
bench-load: $(VENV)/.dev-installed
	$(PY) bench/load.py --rounds 3

# Rebuild the committed CSS/JS from the pinned npm packages (needs node; running and testing do not).
assets:
	npm ci --no-audit --no-fund
	npm run build

clean:
	rm -rf $(VENV) staticfiles $(abspath $(DEMO_DB))*
