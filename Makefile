# The two commands of the README: `make demo` and `make test`. Each installs what it needs into
# .venv first (Python 3.11: spyne 2.14 does not import on 3.12+).
PYTHON ?= $(shell command -v python3.11 || echo python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test upgrade-db wsdl schema clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required (spyne 2.14); set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/lkk demo

test: $(STAMP)
	$(BIN)/python -m pytest

# Bring an existing database to the newest schema (Alembic), e.g. a kept demo database:
#   make upgrade-db LKK_DATABASE_URL=sqlite:///var/demo.sqlite3
upgrade-db: $(STAMP)
	$(BIN)/lkk upgrade-db

# Regenerate the committed contract files after changing the SOAP types or the models.
wsdl: $(STAMP)
	$(BIN)/lkk wsdl
schema: $(STAMP)
	$(BIN)/lkk schema-sql

clean:
	rm -rf $(VENV) var .pytest_cache
