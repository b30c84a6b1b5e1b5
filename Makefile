# The two set-up commands: `make run` and `make test`. Both create .venv when
# it is missing and install the project with its dev extras.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: run test notebook app lint bench clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/downline run claims.toml
	$(BIN)/downline report results/claims

# --nbmake also executes every notebook in notebooks/ (at the small size, see notebooks/conftest.py)
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --nbmake --nbmake-timeout=120 $(PYTEST_ARGS)

notebook: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks

app: $(STAMP)
	$(BIN)/downline app

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_model.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
