# The README's two commands: `make run` and `make test`. Everything else is their plumbing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := planner

.PHONY: run test install catalogs translations a11y-tools lock

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "planner needs Python 3.11 or newer (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Compiled message catalogs are build output: made here, never committed.
catalogs: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d planner/translations

install: $(VENV)/.installed catalogs

# The background worker (it delivers the e-mail) runs beside the web server and stops with it:
# Ctrl+C returns once both have exited.
run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	@echo "Serving planner on http://127.0.0.1:5000 with the background worker (Ctrl+C stops both)"
	@trap 'kill $$worker $$web 2>/dev/null; wait $$worker $$web 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/flask worker & worker=$$!; \
	  $(BIN)/flask run --host 127.0.0.1 --port 5000 & web=$$!; \
	  wait $$web

test: install a11y-tools
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/pytest

# axe-core for the accessibility checks; without npm those checks are skipped (and say so).
a11y-tools:
	@if command -v npm >/dev/null; then \
	  [ -d tests/a11y/node_modules ] || npm ci --prefix tests/a11y --silent --no-audit --no-fund; \
	else echo "npm not found: the accessibility checks will be skipped"; fi

# For developers: collect new messages from the code and templates into the .po files.
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k _ln:1,2 -o planner/translations/messages.pot --no-location --sort-output --no-wrap .
	$(BIN)/pybabel update -i planner/translations/messages.pot -d planner/translations --no-fuzzy-matching --ignore-obsolete --no-wrap

# For developers: pin every dependency (with hashes) for servers; pyproject.toml keeps ranges.
# Compile on the servers' Python (Debian 12's 3.11.2) or keep what it needs: redis needs
# async-timeout below 3.11.3, and a lock made on a newer Python leaves it out.
lock: $(VENV)/.installed
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

# For developers: refresh the check-in scanner's browser libraries in static/vendor/ from the
# npm registry (see static/vendor/README). The copies are committed: `make run` needs no npm.
JSQR_VERSION := 1.4.0
IDB_VERSION := 8.0.4
.PHONY: vendor
vendor:
	@command -v npm >/dev/null || { echo "make vendor needs npm"; exit 1; }
	rm -rf build/vendor && mkdir -p build/vendor/jsqr build/vendor/idb static/vendor
	cd build/vendor && npm pack --silent jsqr@$(JSQR_VERSION) idb@$(IDB_VERSION) >/dev/null
	tar xzf build/vendor/jsqr-$(JSQR_VERSION).tgz -C build/vendor/jsqr
	tar xzf build/vendor/idb-$(IDB_VERSION).tgz -C build/vendor/idb
	cp build/vendor/jsqr/package/dist/jsQR.js static/vendor/jsQR.js
	cp build/vendor/jsqr/package/LICENSE static/vendor/jsQR.LICENSE
	cp build/vendor/idb/package/build/umd.js static/vendor/idb.umd.js
	cp build/vendor/idb/package/LICENSE static/vendor/idb.LICENSE
	sed -i -e 's/^jsqr .*/jsqr $(JSQR_VERSION)/' -e 's/^idb .*/idb $(IDB_VERSION)/' static/vendor/README
	rm -rf build/vendor

# For developers: refresh the region list (planner/regions/data/) from the npm package
# idn-area-data. The copies are committed: nothing at run time needs npm.
IDN_AREA_DATA := 4.0.1
.PHONY: regions
regions:
	@command -v npm >/dev/null || { echo "make regions needs npm"; exit 1; }
	rm -rf build/regions && mkdir -p build/regions
	cd build/regions && npm pack --silent idn-area-data@$(IDN_AREA_DATA) >/dev/null
	tar xzf build/regions/idn-area-data-$(IDN_AREA_DATA).tgz -C build/regions
	cp build/regions/package/data/provinces.csv build/regions/package/data/regencies.csv \
	  build/regions/package/data/LICENSE.md planner/regions/data/
	sed -i 's/idn-area-data`](\(.*\)) [0-9.]*/idn-area-data`](\1) $(IDN_AREA_DATA)/' planner/regions/data/README.md
	rm -rf build/regions
