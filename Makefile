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
	# charts (issue 11): Vega, Vega-Lite, vega-embed (BSD-3-Clause); vega-interpreter is an ES module
	# only, bundled into one classic script so the CSP needs no 'unsafe-eval' and no import map
	cp node_modules/vega/build/vega.min.js node_modules/vega-lite/build/vega-lite.min.js $(VENDOR)/
	cp node_modules/vega-embed/build/vega-embed.min.js $(VENDOR)/
	node_modules/.bin/esbuild node_modules/vega-interpreter/build/vega-interpreter.js --bundle --minify \
		--format=iife --global-name=vegaInterpreter --log-level=warning --outfile=$(VENDOR)/vega-interpreter.min.js
	# the map: Leaflet (BSD-2-Clause), topojson-client and world-atlas (ISC; Natural Earth, public domain)
	mkdir -p $(VENDOR)/leaflet
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images $(VENDOR)/leaflet/
	cp node_modules/topojson-client/dist/topojson-client.min.js $(VENDOR)/
	cp node_modules/world-atlas/countries-110m.json $(VENDOR)/world-countries-110m.json
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
