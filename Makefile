# Two commands on a fresh machine with Python 3.11 and a Rust toolchain (cargo): `make dataset` and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
RAW    ?= raw
OUT    ?= dist/medqa

.PHONY: dataset test release clean

# `make dataset` installs what a build needs (requirements.lock, with the maturin that compiles the Rust
# core in rust/); `make test` adds the test toolchain.
$(VENV)/.runtime: pyproject.toml requirements.lock rust/Cargo.toml rust/Cargo.lock $(wildcard rust/src/*.rs rust/src/*/*.rs)
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed: $(VENV)/.runtime requirements-test.lock
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-test.lock
	touch $@

dataset: $(VENV)/.runtime  ## build raw/ into a loadable dataset folder (dist/medqa)
	$(VENV)/bin/medqa-ds build $(RAW) --out $(OUT)
	$(VENV)/bin/medqa-ds validate $(OUT)

test: $(VENV)/.installed  ## run the whole test suite (the Rust core's own tests first)
	$(VENV)/bin/ruff check medqa_ds tests benchmarks
	$(VENV)/bin/ruff format --check medqa_ds tests benchmarks
	$(VENV)/bin/mypy
	cargo fmt --check --manifest-path rust/Cargo.toml
	PYO3_PYTHON=$(abspath $(VENV))/bin/python cargo clippy --quiet --manifest-path rust/Cargo.toml --all-targets -- -D warnings
	PYO3_PYTHON=$(abspath $(VENV))/bin/python cargo test --quiet --manifest-path rust/Cargo.toml
	$(VENV)/bin/python -m pytest

release: $(VENV)/.runtime  ## make release REPO=org/name VERSION=X.Y.Z [ARGS=--dry-run]
	@test -n "$(REPO)" -a -n "$(VERSION)" || { echo "usage: make release REPO=org/name VERSION=X.Y.Z"; exit 2; }
	$(VENV)/bin/medqa-ds release $(RAW) --repo $(REPO) --version $(VERSION) $(ARGS)

clean:
	rm -rf $(VENV) dist
