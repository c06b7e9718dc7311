# patientguide — every set-up step lives here; `make serve` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: serve site brands handouts review-packets screenshots check lint test test-fast bench clean help

help:
	@echo "make serve   build and serve the site at http://127.0.0.1:8000 (BRAND=<id>: that brand)"
	@echo "make site    static build into site/ (swapped in only on success; BRAND=<id>: into build/brands/<id>/;"
	@echo "             ENGINE=zensical: built with Zensical)"
	@echo "make brands  build every clinic brand (brands/*/mkdocs.yml) into build/brands/<brand>/"
	@echo "make handouts  print every page of every brand to PDF in build/handouts/<brand>/"
	@echo "make review-packets  a clinician's review packet per page (HTML and PDF) in build/review-packets/"
	@echo "make check   check citations, references, pages and links, as CI does (patientguide check --strict; BRAND=<id>: that brand)"
	@echo "make lint    ruff and mypy on the package (make test runs it first)"
	@echo "make test    run every test (lint, unit, scenario and browser tests)"
	@echo "make bench   run the benchmarks (slow; not part of make test)"
	@echo "make page-weight  bytes each page downloads, raw and gzipped (not part of make test)"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,handouts,zensical]'
	touch $(STAMP)

BRANDS := $(notdir $(patsubst %/,%,$(dir $(wildcard brands/*/mkdocs.yml))))

# BRAND=<id>: serve, site and check use brands/<id>/mkdocs.yml; the site goes into
# build/brands/<id>/ (where `make brands` puts it), never into site/, which only ever holds the
# root site. An unknown brand stops make before anything runs.
ifneq ($(BRAND),)
ifneq ($(words $(BRAND))$(findstring %,$(BRAND)),1)
$(error BRAND must be one brand id, got '$(BRAND)')
endif
ifeq ($(filter $(BRAND),$(BRANDS)),)
$(error unknown brand '$(BRAND)': the brands are $(BRANDS) (brands/<id>/mkdocs.yml); \
  '.venv/bin/patientguide new-brand <id>' starts a new one)
endif
CONFIG   := brands/$(BRAND)/mkdocs.yml
SITE_DIR := build/brands/$(BRAND)
else
CONFIG   := mkdocs.yml
SITE_DIR := site
endif

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --config-file $(CONFIG)

# ENGINE=zensical: patientguide zensical-build (the checks, then zensical build, then the output checks)
ENGINE ?= mkdocs
ifeq ($(filter $(ENGINE),mkdocs zensical),)
$(error ENGINE must be mkdocs or zensical, got '$(ENGINE)')
endif

site: $(STAMP)
	$(BIN)/python scripts/build-site $(if $(filter zensical,$(ENGINE)),--engine zensical )$(CONFIG) $(SITE_DIR)

brands: $(STAMP)
	@for b in $(BRANDS); do $(BIN)/python scripts/build-site brands/$$b/mkdocs.yml build/brands/$$b || exit 1; done

# headless Chromium prints the PDFs: Debian's chromium package (scripts/system-deps installs it)
handouts: $(STAMP)
	scripts/system-deps
	$(BIN)/python scripts/handouts

# clinicians' review packets: per page, HTML (always) and PDF (with Debian's chromium, which
# scripts/system-deps installs when it can) in build/review-packets/ (BRAND=<id>: .../<id>/)
review-packets: $(STAMP)
	scripts/system-deps --if-possible
	$(BIN)/patientguide review-packet --config-file $(CONFIG) --out build/review-packets$(if $(BRAND),/$(BRAND))

# README images: each brand at desktop and phone widths, and one handout page
screenshots: $(STAMP)
	scripts/system-deps
	$(BIN)/python scripts/screenshots

check: $(STAMP)
	$(BIN)/patientguide check --strict --config-file $(CONFIG)
	$(BIN)/codespell --ignore-words .codespell-words.txt content/ blocks/ references/

AXE := tests/browser/node_modules/axe-core/axe.min.js

# axe-core for the accessibility tests, from the npm registry (skipped where npm is missing;
# the tests then skip too, unless PG_REQUIRE_BROWSER=1 makes that a failure)
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then cd tests/browser && npm ci --no-audit --no-fund --silent; \
	else echo "npm not found: accessibility tests will be skipped"; fi

# the package's code: ruff (style, imports, likely bugs) and mypy (types), both configured in pyproject.toml
lint: $(STAMP)
	$(BIN)/ruff check src
	$(BIN)/mypy

# every test: lint, then the unit and scenario tests on every core (one test file per worker, so a
# file's shared builds are made once), then the browser tests in one process (they share servers)
test: $(STAMP) $(AXE) lint
	scripts/system-deps --if-possible
	$(BIN)/python -m pytest -q -m "not browser" -n auto --dist loadfile
	$(BIN)/python -m pytest -q -m browser

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not browser" -n auto --dist loadfile

bench: $(STAMP)
	$(BIN)/python scripts/bench --peers --in-turns

# what a browser downloads per page (HTML + its CSS and JS, raw and gzip -6); --readme updates README.md
.PHONY: page-weight
page-weight: $(STAMP)
	$(BIN)/python scripts/page-weight

clean:
	rm -rf site .site-* build .pytest_cache
