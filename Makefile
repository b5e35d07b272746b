# The two commands of the README: `make run` (the demo site on embedded PostgreSQL and Redis) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
PO := $(wildcard locale/*/LC_MESSAGES/django.po locale_thirdparty/*/LC_MESSAGES/django.po)
MO := $(PO:.po=.mo)
PORT ?= 8000
DEMO_HOUSEHOLDS ?= 3000

.PHONY: run test bench lint system-deps-run system-deps-test clean

run: system-deps-run $(STAMP) $(MO)
	PORT=$(PORT) DEMO_HOUSEHOLDS=$(DEMO_HOUSEHOLDS) $(BIN)/python -m scripts.stack run

test: system-deps-test $(STAMP) $(MO) lint
	$(BIN)/python -m scripts.stack exec -- $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: system-deps-run $(STAMP) $(MO)
	$(BIN)/python -m scripts.stack exec -- $(BIN)/python -m tests.benchmarks $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

system-deps-run:
	./scripts/system-deps.sh run

system-deps-test:
	./scripts/system-deps.sh test

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[embedded,dev]"
	rm -f $(VENV)/.installed-*
	touch $@

%.mo: %.po
	msgfmt --check -o $@ $<

clean:
	rm -rf $(VENV) .data
