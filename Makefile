# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app ethics
INSTALLED := $(VENV)/.installed
ASSETS := static/vendor/.built
PO_FILES := $(wildcard translations/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test test-sqlite test-postgresql lint lock install assets translations messages migrate clean bench bench-quick bench-national screenshots

run: install assets translations
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	$(FLASK) worker & worker=$$!; trap 'kill -TERM $$worker; wait $$worker' EXIT INT TERM; \
		$(FLASK) run --host 127.0.0.1 --port 5000

# With PostgreSQL configured, both engines run at once (two cores: the suite's time, not twice it).
# Each run has its own temporary folder and, when Redis is configured, its own Redis database
# (the URL's last number, minus one for PostgreSQL), so their throttles and queues never meet.
test: install assets translations
	@if [ -n "$$ETHICS_TEST_DATABASE_URL" ]; then $(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgresql; \
	else $(MAKE) --no-print-directory test-sqlite; echo "ETHICS_TEST_DATABASE_URL is not set: the PostgreSQL run is left out"; fi

# The browser journeys run on SQLite only: they test the screens, which do not change with the engine
# (PostgreSQL's concurrency has tests of its own); `make test-postgresql POSTGRESQL_MARKS=` runs them too.
POSTGRESQL_MARKS ?= not e2e

test-sqlite:
	$(BIN)/python -m pytest --basetemp="$${TMPDIR:-/tmp}/ethics-tests-sqlite" $(PYTEST_ARGS)

test-postgresql:
	url="$$ETHICS_TEST_REDIS_URL"; \
	ETHICS_TEST_REDIS_URL="$${url:+$${url%/*}/$$(( $${url##*/} - 1 ))}" ETHICS_TEST_BACKEND=postgresql \
		$(BIN)/python -m pytest --basetemp="$${TMPDIR:-/tmp}/ethics-tests-postgresql" -m "$(POSTGRESQL_MARKS)" $(PYTEST_ARGS)

# docs/screenshots: each role's home, a session, the scoring sheet, the survey and the plan dashboard at
# 1366 and 390 px, taken by the browser test that checks them (WCAG, no sideways scrolling) on the demo data.
screenshots: install assets translations
	ETHICS_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/e2e/test_look.py -k photographed $(PYTEST_ARGS)

# Benchmarks (not part of `make test` or CI): SQLite, plus PostgreSQL when ETHICS_TEST_DATABASE_URL is set.
bench: install
	$(BIN)/python -m bench.run --scale province

bench-quick: install
	$(BIN)/python -m bench.run --scale quick

bench-national: install
	$(BIN)/python -m bench.run --scale national

install: $(INSTALLED)

# Every dependency at the version and hashes of requirements.lock; then the project itself.
$(INSTALLED): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# Refresh the lock after changing dependencies in pyproject.toml (any Python 3.11+, any platform).
lock: install
	$(BIN)/uv pip compile pyproject.toml --extra test --extra dev --universal --generate-hashes \
		--python-version 3.11 --quiet -o requirements.lock

lint: install
	$(BIN)/ruff check ethics bench tests
	$(BIN)/mypy

assets: $(ASSETS)

$(ASSETS): package.json package-lock.json scripts/copy-vendor.mjs
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
	touch $@

translations: $(MO_FILES)

%.mo: %.po $(INSTALLED)
	$(BIN)/pybabel compile -i $< -o $@

# Re-extract the messages after changing texts, then translate the new ones in the .po file.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

migrate: install
	$(FLASK) db upgrade

clean:
	rm -rf $(VENV) node_modules static/vendor instance .pytest_cache
	find translations -name '*.mo' -delete
