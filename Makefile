# One command set for developers, pre-commit and CI (.ci/run calls `make ci`).
# `make help` lists the targets.

VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
WHEELS := target/wheels-dev

.PHONY: help venv install wheelhouse-new wheelhouse-migrate wheelhouse-publish bench-migrate lint test test-rust test-python fuzz docs demo bench bench-build bench-new bench-next bench-publish status-screenshot ci

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

venv:  ## Create the virtual environment with the test, lint and docs tools
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements-dev.txt

# A direct `maturin build` needs the native `packkit` executable staged first: pip and
# `python -m build` go through build_backend/packkit_build_backend.py, which does it.
STAGE_CLI := $(PY) build_backend/packkit_build_backend.py

install: venv  ## Build packkit's wheel (dev profile) and install it into the venv
	rm -rf $(WHEELS)
	$(STAGE_CLI) --profile dev
	$(VENV)/bin/maturin build --profile dev --out $(WHEELS)
	$(PIP) install -q --force-reinstall --no-deps $(WHEELS)/packkit-*.whl

# What the projects `packkit new` makes need for their own tests, docs, nox sessions, pre-commit
# hooks and notebook, downloaded once so that the tests installing them into fresh venvs
# (tests/test_new.py) run offline. The hook versions are the revs the generated
# .pre-commit-config.yaml pins (ruff's is requirements-dev.txt's); setuptools builds the local
# replicas of the hook repositories that pre-commit installs.
NEW_WHEELHOUSE := target/wheelhouse-new
RUFF_PIN := $(shell grep -o '^ruff==[0-9.]*' requirements-dev.txt)
wheelhouse-new: venv  ## Download the wheels the generated-project tests install (pytest, Sphinx, nox, pre-commit, ...)
	$(PIP) download -q --only-binary :all: -d $(NEW_WHEELHOUSE) "pytest>=8" "sphinx>=7" \
		nox pre-commit "$(RUFF_PIN)" pre-commit-hooks==6.0.0 nbstripout==0.9.1 \
		nbclient ipykernel setuptools

# devpi-server, devpi-client, twine and pip for the end-to-end publishing test
# (tests/test_publish_devpi.py), which installs them offline into a fresh venv.
PUBLISH_WHEELHOUSE := target/wheelhouse-publish
wheelhouse-publish: venv  ## Download the wheels of the devpi publishing test (devpi-server, devpi-client, twine, pip)
	$(PIP) download -q --only-binary :all: -d $(PUBLISH_WHEELHOUSE) devpi-server devpi-client twine pip

# The pinned real projects and backends of tests/migrate_projects.toml (packkit migrate's
# real-project test), downloaded once, hash-checked; the test itself runs offline.
MIGRATE_WHEELHOUSE := target/wheelhouse-migrate
wheelhouse-migrate: venv  ## Download the sdists and backends for tests/test_migrate_real.py
	$(PY) scripts/wheelhouse_migrate.py $(MIGRATE_WHEELHOUSE)

lint: venv  ## rustfmt, clippy -D warnings, ruff, mypy --strict, stubtest
	cargo fmt --check
	cargo clippy --all-targets --features python -- -D warnings
	$(VENV)/bin/ruff check python tests benchmarks build_backend
	$(VENV)/bin/ruff format --check python tests benchmarks build_backend
	$(VENV)/bin/mypy --strict python build_backend
	cd $(VENV) && bin/python -m mypy.stubtest packkit._packkit

test-rust:  ## cargo test (the engine without Python)
	cargo test

PROPTEST_CASES ?= 100000
fuzz:  ## The property tests of src/properties.rs with $(PROPTEST_CASES) cases each
	PROPTEST_CASES=$(PROPTEST_CASES) cargo test --lib properties:: -- --test-threads=2

test-python:  ## pytest against the installed wheel: every test (a plain `pytest` runs the fast ones)
	$(PY) -m pytest -q -m ""

docs: venv  ## Build the Sphinx docs, warnings are errors
	$(VENV)/bin/sphinx-build -W -q -b html docs target/docs

test: install wheelhouse-new wheelhouse-migrate wheelhouse-publish test-rust test-python  ## Build, install and run every test

demo:  ## Build packkit and show it on a sample project
	bash scripts/demo.sh

bench: venv  ## Benchmarks against the peers (not a test), on a release build
	$(STAGE_CLI) --profile release
	$(VENV)/bin/maturin build --release --out target/wheels-release
	$(PIP) install -q --force-reinstall --no-deps target/wheels-release/packkit-*.whl
	$(PIP) install -q versioningit dunamai
	$(PY) benchmarks/bench_version.py

BENCH_VENV ?= target/bench-build-venv
bench-build: venv  ## Build backend against its peers (not a test), on a release build
	$(STAGE_CLI) --profile release
	$(VENV)/bin/maturin build --release --out target/wheels-release
	test -x $(BENCH_VENV)/bin/python || python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install -q -U pyproject_hooks hatchling flit_core setuptools wheel pdm-backend uv==0.13.6 uv_build==0.13.6
	$(BENCH_VENV)/bin/pip install -q --force-reinstall --no-deps target/wheels-release/packkit-*.whl
	$(BENCH_VENV)/bin/python benchmarks/bench_build.py

BENCH_NEW_VENV ?= target/bench-new-venv
bench-new: venv  ## packkit new against uv init --lib and PyScaffold's putup (not a test), installed packkit
	test -x $(BENCH_NEW_VENV)/bin/python || python3 -m venv $(BENCH_NEW_VENV)
	$(BENCH_NEW_VENV)/bin/pip install -q pyscaffold
	$(PY) benchmarks/bench_new.py --putup $(BENCH_NEW_VENV)/bin/putup

status-screenshot:  ## Render packkit.status() in headless Chromium into docs/_static/status.png
	$(PY) scripts/status_screenshot.py docs/_static/status.png

bench-migrate: wheelhouse-migrate  ## packkit migrate on the real projects, median times (not a test)
	$(PY) benchmarks/bench_migrate.py

BENCH_NEXT_VENV ?= target/bench-next-venv
bench-next: venv  ## packkit next against cz bump --get-next and semantic-release (not a test), installed packkit
	test -x $(BENCH_NEXT_VENV)/bin/python || python3 -m venv $(BENCH_NEXT_VENV)
	$(BENCH_NEXT_VENV)/bin/pip install -q commitizen==4.19.3 python-semantic-release==10.7.0
	$(PY) benchmarks/bench_next.py --cz $(BENCH_NEXT_VENV)/bin/cz --psr $(BENCH_NEXT_VENV)/bin/semantic-release

BENCH_PUBLISH_VENV ?= target/bench-publish-venv
bench-publish: wheelhouse-publish  ## packkit publish against twine upload to one devpi index (not a test), installed packkit
	test -x $(BENCH_PUBLISH_VENV)/bin/python || python3 -m venv $(BENCH_PUBLISH_VENV)
	$(BENCH_PUBLISH_VENV)/bin/pip install -q --no-index --find-links $(PUBLISH_WHEELHOUSE) devpi-server devpi-client twine
	$(PY) benchmarks/bench_publish.py --devpi-venv $(BENCH_PUBLISH_VENV)

ci: install wheelhouse-new wheelhouse-migrate wheelhouse-publish lint test-rust test-python docs  ## Everything CI runs
