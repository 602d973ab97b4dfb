# The two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SEEDS := samples/reports
OUT := out
PG_URL := postgres://postgres@127.0.0.1:5432/test
export DJANGO_SETTINGS_MODULE := fazhi_web.settings

.PHONY: install run analyze test test-sqlite test-postgres test-other-python lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Migrates the embedded SQLite database (var/), loads the demo data, prints the
# demo accounts and serves the platform with gunicorn on http://127.0.0.1:8000/
# (FAZHI_BIND, FAZHI_PORT, FAZHI_WORKERS; docs/部署.md). Static files are hashed and
# compressed by collectstatic and served by WhiteNoise.
run: install
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py collectstatic --noinput -v0
	@echo "平台地址：http://$${FAZHI_BIND:-127.0.0.1}:$${FAZHI_PORT:-8000}/"
	$(BIN)/gunicorn -c gunicorn.conf.py

# The engine alone: review the seed reports in the terminal and write the
# review page and summary sheet. fazhi exits 1 when a report has error findings.
analyze: install
	mkdir -p $(OUT)
	$(BIN)/fazhi analyze $(SEEDS) --html $(OUT)/seeds.html --xlsx $(OUT)/seeds.xlsx || [ $$? -eq 1 ]

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Every test on SQLite (browser tests included), then on PostgreSQL, then on a
# second admitted Python when the machine has one.
test: lint test-sqlite test-postgres test-other-python

test-sqlite: install
	scripts/ensure-chromium.sh
	scripts/ensure-redis.sh
	scripts/ensure-libreoffice.sh
	$(BIN)/pytest -n auto

test-postgres: install
	scripts/ensure-postgres.sh
	scripts/ensure-redis.sh
	scripts/ensure-libreoffice.sh
	DATABASE_URL=$(PG_URL) FAZHI_DB_CONN_MAX_AGE=0 $(BIN)/pytest -n auto src/fazhi_web

test-other-python: install
	scripts/test-other-python.sh

bench: install
	$(BIN)/python bench/analyze.py
	$(BIN)/python bench/accuracy.py
	$(BIN)/python bench/review.py
	$(BIN)/python bench/compare.py
	$(BIN)/python bench/followup.py --quiet

# Deadline day: 500 submissions, 50 at a time, through a real gunicorn server on
# SQLite and on PostgreSQL (bench/load.py).
.PHONY: bench-load
bench-load: install
	scripts/ensure-postgres.sh
	$(BIN)/python bench/load.py --db both

clean:
	rm -rf $(VENV) .venv-py* $(OUT) .mypy_cache .ruff_cache .pytest_cache .hypothesis
