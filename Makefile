# ideation — make run | make test | make lint | make bench
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run test lint format audit reliability bench bench-full bench-smoke clean translations screenshots

# Functions whose string arguments are German texts to translate (ideation.domain.errors.msg,
# N_ for labels, the errors' messages and the labels passed to the domain's guards).
MESSAGE_KEYWORDS := -k _l -k msg -k N_ -k DomainError -k IllegalTransition -k InvalidValue:2 \
	-k NotFound -k PermissionDenied -k ApplicationError -k InvalidRequest -k AlreadyInitialised \
	-k PasswordRejected -k ReasonRequired -k check_reason:2 -k check_text:3 \
	-k check_optional_text:3 -k check_int_range:3 -k check_date:3 -k check_stage:2 \
	-k check_running:2 -k check_active:2

# Refresh the message catalogue after changing visible strings, then translate the .po file.
translations: install
	$(BIN)/pybabel extract -F babel.cfg $(MESSAGE_KEYWORDS) -o web/translations/messages.pot .
	$(BIN)/pybabel update -i web/translations/messages.pot -d web/translations
	$(BIN)/pybabel compile -d web/translations

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/pybabel compile -d web/translations
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/ideation serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/lint-imports
	$(BIN)/bandit --recursive src --quiet --severity-level high

format: install
	$(BIN)/ruff check --fix src tests benchmarks scripts
	$(BIN)/ruff format src tests benchmarks scripts

# Two worker processes, a test file per worker at a time (its fixtures stay together).
test: lint
	$(BIN)/pytest -n 2 --dist loadfile --durations=25

# Known vulnerabilities in the dependency set the tests ran with (catalogue SEC-14): the venv's
# pinned versions (pip freeze, our own package excluded) against the PyPI advisory service. It
# needs the internet; .ci/run calls it when the service answers (docs/reliability.md).
audit: install
	$(BIN)/python -m pip install --quiet -e '.[audit]'
	$(BIN)/python -m pip freeze --exclude-editable > $(VENV)/audited-requirements.txt
	$(BIN)/pip-audit --strict --no-deps --disable-pip -r $(VENV)/audited-requirements.txt

# The reliability and security suite's long variants (issue 10; docs/reliability.md): higher
# counts and durations than `make test`, the `slow` tests too, one process so that every test's
# figures line is printed; the figures are collected at the end from reliability.log.
RELIABILITY_TESTS := tests/reliability tests/integration/test_concurrency.py \
	tests/integration/test_atomicity.py tests/integration/test_rebuild.py \
	tests/integration/test_storage.py tests/functional/test_security_sweeps.py \
	tests/functional/test_authorization_matrix.py tests/e2e/test_xss.py

reliability: install
	set -o pipefail; IDEATION_LONG_RELIABILITY=1 $(BIN)/pytest -s \
		-m 'slow or not slow' --timeout=3600 $(RELIABILITY_TESTS) 2>&1 | tee reliability.log
	@echo "--- figures of this run ---"
	@grep -aE '^(ES|SEC|GDPR|LOAD)-[0-9]+' reliability.log || true

# The README's screenshots of the demo city's flagship quick win (needs Debian's chromium).
screenshots: install
	$(BIN)/python scripts/screenshots.py

# Benchmarks B1–B4, B6, B7 (issue 9; docs/benchmarks.md). The first run generates the cities
# (minutes at 1k, longer at 10k) and caches them in benchmarks/.cache/ by script digest.
bench: install
	$(BIN)/python benchmarks/run.py --scales 1k,10k --backends sqlite,postgres

bench-full: install
	$(BIN)/python benchmarks/run.py --scales 1k,10k,100k --backends sqlite,postgres

# CI's smoke check (.ci/run): the smallest city, one round, no figures; the result file goes to
# the temporary folder so that no smoke run lands among the committed results.
bench-smoke: install
	$(BIN)/python benchmarks/run.py --smoke --scales 20 --backends sqlite,postgres \
		--out "$${TMPDIR:-/tmp}/ideation-bench-smoke.json"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist
