# Loket: `make test` (everything CI checks) and `make run` (the app) on a fresh Debian/Ubuntu machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.loket-installed

.PHONY: all setup system-deps lint typecheck unit test run server bench dist clean powerloss

all: test

system-deps:
	bash installers/debian-deps.sh

$(STAMP): pyproject.toml installers/debian-deps.sh
	bash installers/debian-deps.sh
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	# The OCR models of the card reader (app/cardread); --no-deps: see the onnxruntime note in pyproject.toml.
	$(PY) -m pip install --quiet --no-deps 'rapidocr-onnxruntime==1.4.4'
	touch $(STAMP)

setup: $(STAMP)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy

unit: setup
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest -q -p no:cacheprovider

test: lint typecheck unit

# The app against a local Dinas server with demo data (.loket-dev/, made on the first run).
run: setup
	$(PY) installers/run_local.py

# A local Dinas server alone (SQLite in .loket-dev/server), on 127.0.0.1:8765.
server: setup
	mkdir -p .loket-dev/server
	$(VENV)/bin/loket-server serve --database sqlite:///$(CURDIR)/.loket-dev/server/loket-server.db \
		--storage .loket-dev/server/documents --host 127.0.0.1 --port 8765

# Power cuts on the laptop's store: 1,000 cuts on a FUSE filesystem that loses unflushed data
# (the suite runs 100); LOKET_POWERLOSS_CUTS=N for another count. See docs/durability.md.
powerloss: setup
	LOKET_POWERLOSS_CUTS=$${LOKET_POWERLOSS_CUTS:-1000} $(VENV)/bin/pytest -q -s -p no:cacheprovider \
		-o faulthandler_timeout=7200 tests/reliability/test_power_loss.py

bench: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.bench.run

# The Linux one-folder bundle (PyInstaller), smoke-tested, with its size printed.
dist: setup
	$(VENV)/bin/pip install --quiet -e '.[dist]'
	$(PY) installers/build.py

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache
