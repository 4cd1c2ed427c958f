# Loket: `make test` (everything CI checks) and `make run` (the app) on a fresh Debian/Ubuntu machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.loket-installed
# Every Python package's exact version, for Linux and Windows (made by `make lock` from pyproject.toml).
CONSTRAINTS := constraints.txt
LOCK := $(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--extra dev --extra dist --extra server --custom-compile-command "make lock" -o $(CONSTRAINTS)

.PHONY: all setup system-deps lint typecheck unit test run server bench dist clean powerloss soak lock lock-upgrade

all: test

system-deps:
	bash installers/debian-deps.sh

$(STAMP): pyproject.toml $(CONSTRAINTS) installers/debian-deps.sh
	bash installers/debian-deps.sh
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e '.[dev]'
	# The OCR models of the card reader (app/cardread); --no-deps: see the onnxruntime note in pyproject.toml.
	$(PY) -m pip install --quiet --no-deps 'rapidocr-onnxruntime==1.4.4'
	touch $(STAMP)

setup: $(STAMP)

# constraints.txt again after a dependency changed in pyproject.toml: pins that still fit are kept,
# new packages get their newest fitting release. `make lock-upgrade` moves every pin to the newest.
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	test -x $(VENV)/bin/uv || $(PY) -m pip install --quiet -c $(CONSTRAINTS) uv
	$(LOCK)

lock-upgrade:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	test -x $(VENV)/bin/uv || $(PY) -m pip install --quiet -c $(CONSTRAINTS) uv
	$(LOCK) --upgrade

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml

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

# A kabupaten's week: 236 outposts, 20,000 applications, 100,000 pages through faulty links, on PostgreSQL,
# 2 replicas behind HAProxy and S3 (the suite runs a small week); LOKET_SOAK_SCALE=0.1 for a tenth.
soak: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.soak.run_soak --scale $${LOKET_SOAK_SCALE:-1}

bench: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.bench.run

# The Linux one-folder bundle (PyInstaller), smoke-tested, with its size printed. The region search
# index is prebuilt into resources/regions first (app/regions/prebuilt.py): the bundle carries it.
dist: setup
	$(VENV)/bin/pip install --quiet -c $(CONSTRAINTS) -e '.[dist,server]'
	$(PY) -m app.regions.prebuilt
	$(PY) installers/build.py

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache
