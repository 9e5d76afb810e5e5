# digiskills. `make run` for the demo, `make test` for the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.PHONY: install run test worker lint fmt messages screenshots e2e-deps clean backup restore bench

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the locked dependencies

run: $(STAMP)  ## the demo on SQLite at BASE_URL (default http://127.0.0.1:8000)
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) serve

test: $(STAMP)  ## the whole suite (SQLite, or DATABASE_URL / REDIS_URL when set)
	$(BIN)/pytest

worker: $(STAMP)  ## Celery worker + beat against REDIS_URL
	@test -n "$$REDIS_URL" || (echo "Set REDIS_URL, e.g. redis://127.0.0.1:6379/0"; exit 2)
	$(BIN)/celery -A config worker --beat --loglevel=INFO --scheduler django_celery_beat.schedulers:DatabaseScheduler

backup: $(STAMP)  ## one dated archive of the database, media and private files (BACKUP_DIR)
	$(MANAGE) backup

restore: $(STAMP)  ## make restore FILE=backups/digiskills-….tar.gz [REPLACE=1]
	@test -n "$(FILE)" || (echo "Which backup? make restore FILE=backups/digiskills-YYYYmmdd-HHMMSS.tar.gz"; exit 2)
	$(MANAGE) restore "$(FILE)" $(if $(REPLACE),--replace)

bench: $(STAMP)  ## every benchmark, results appended to docs/benchmarks.md (QUICK=1, ONLY=a,b)
	$(BIN)/python bench/run_all.py $(if $(QUICK),--quick) $(if $(ONLY),--only $(ONLY)) $(ARGS)

lint: $(STAMP)  ## ruff, formatting, import contracts, types (mypy: services, selectors, pure modules)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(STAMP)  ## refresh and compile the vi/en translation catalogues
	$(MANAGE) makemessages -l vi -l en --ignore=.venv --ignore=tests --ignore=bench \
		--ignore=site/templates/wagtailadmin  # copies of Wagtail's: their strings are in vendor
	$(MANAGE) vendor_messages  # Wagtail's, Django's… messages into site/locale/vendor
	$(MANAGE) compilemessages --ignore=.venv

screenshots: $(STAMP)  ## refresh docs/screenshots/ from the phone journeys (Chromium)
	rm -f docs/screenshots/*.png
	DOCS_SCREENSHOTS=1 $(BIN)/pytest -q tests/e2e/test_member_journey.py::test_member_journey_on_a_phone tests/e2e/test_keyboard_and_grants.py::test_an_administrator_grants_an_extra_attempt

clean:
	rm -rf $(VENV) staticfiles .test-media test-db.sqlite3*
