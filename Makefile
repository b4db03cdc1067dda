# The commands of the README: `make demo` (`make demo-large`), `make test` (and `make test-fast`, `make lint` while
# working). Each installs what it needs into .venv first, with the newest supported Python that
# runs here: 3.13, 3.12, then 3.11 (`make … PYTHON=/path/to/python` chooses another).
SUPPORTED := import sys; sys.exit(not (3, 11) <= sys.version_info[:2] < (3, 14))
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	$$p -c '$(SUPPORTED)' 2>/dev/null && { command -v $$p; break; }; done)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo demo-large test test-fast lint upgrade-db wsdl schema clean

$(STAMP): setup.cfg pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11–3.13 is required: none of python3.13, python3.12, python3.11 runs here; set PYTHON=/path/to/python3.x"; exit 1; }
	@$(PYTHON) -c '$(SUPPORTED)' || { echo "$(PYTHON) is not Python 3.11–3.13"; exit 1; }
	@echo "Installing into $(VENV) with $(PYTHON) ($$($(PYTHON) --version))"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/lkk demo

# The demo plus an organization of 20,224 meters in 79 houses and var/large_readings.xlsx, its
# template with 19,000 rows filled (about 1,200 wrong): the period's last evening at full size.
demo-large: $(STAMP)
	$(BIN)/lkk demo-large

test: $(STAMP)
	$(BIN)/python -m pytest

# The unit layer alone (tests/unit: no database, no network), in seconds.
test-fast: $(STAMP)
	$(BIN)/python -m pytest tests/unit

# ruff over every Python file the project keeps (rules in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check .

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
