# Civicmeter: every set-up step a fresh machine needs lives here, so `make demo` and `make test`
# are the only two commands a new user runs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
VENDOR := src/civicmeter/web/static/vendor

.PHONY: setup system-packages assets messages demo test test-fast lint bench clean

setup: $(VENV)/.installed assets system-packages messages

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,pdf]'
	touch $@

# Chromium drives the browser tests; pango renders PDFs. Installed from Debian when we are root.
system-packages:
	@bash scripts/system-packages.sh

assets: $(VENDOR)/.built

$(VENDOR)/.built: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	touch $@

# Compiled translations (.mo) are build output; the .po catalogues are the source.
messages: system-packages $(VENV)/.installed
	cd src/civicmeter/web && CIVICMETER_TESTING=1 CIVICMETER_HOME=$(CURDIR)/var \
		$(CURDIR)/$(BIN)/django-admin compilemessages --settings=civicmeter.web.settings -v 0

demo: setup
	$(BIN)/civicmeter demo

test: setup
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not browser"

lint: setup
	$(BIN)/ruff check src tests benchmarks

bench: setup
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) node_modules var $(VENDOR)
