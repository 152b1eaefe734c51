# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Links in emails and calendar files follow the port `make run` serves on, unless SITE_URL is set.
SITE_URL ?= http://127.0.0.1:$(PORT)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run serve worker beat test lint bench bench-scale install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

## make run: laptop mode. SQLite under var/, tasks in-process, email to var/mail/.
run: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "Harrow Innovation Pipeline: http://127.0.0.1:$(PORT)/  (demo password: innovate-harrow)"
	@echo ""
	SITE_URL='$(SITE_URL)' $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## make serve: the production-like stack (gunicorn, a Celery worker, Celery beat).
## Needs DATABASE_URL (PostgreSQL), REDIS_URL, SECRET_KEY, ALLOWED_HOSTS and SITE_URL (https) in the environment.
serve: install
	DJANGO_SETTINGS_MODULE=harrow_innovation.settings.production $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=harrow_innovation.settings.production $(BIN)/python manage.py collectstatic --noinput -v0
	@# One process group: stopping gunicorn (Ctrl-C) stops the worker and beat too.
	trap 'kill $$(jobs -p) 2>/dev/null' EXIT INT TERM; \
	export DJANGO_SETTINGS_MODULE=harrow_innovation.settings.production; \
	$(BIN)/celery -A harrow_innovation worker -l info --concurrency 2 & \
	$(BIN)/celery -A harrow_innovation beat -l info --scheduler django_celery_beat.schedulers:DatabaseScheduler & \
	$(BIN)/gunicorn harrow_innovation.wsgi --bind 0.0.0.0:$(PORT) --workers 3 --access-logfile -

worker: install
	$(BIN)/celery -A harrow_innovation worker -l info

beat: install
	$(BIN)/celery -A harrow_innovation beat -l info --scheduler django_celery_beat.schedulers:DatabaseScheduler

## make test: the import contracts (pyproject.toml), then the whole suite (PostgreSQL, Redis, a Celery worker, Chromium).
test: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports

## make bench: benchmarks on PostgreSQL, one line per figure.
bench: install-dev
	$(BIN)/python -m benchmarks

## make bench-scale: the pages at 20,000 and 200,000 ideas, with ratios (minutes; not part of make bench).
bench-scale: install-dev
	$(BIN)/python -m benchmarks.scale

clean:
	rm -rf $(VENV) var/db.sqlite3 var/static var/test-media
