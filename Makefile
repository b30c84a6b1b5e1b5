# The two set-up commands: `make run` and `make test`. Both create .venv when
# it is missing and install the project with its dev extras.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: run test notebook app lint bench mutants clean venv

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

# Mutation testing of model/ and the claims rules (docs/testing.md); not in CI: hours on 2 cores.
# One worker, so the machine stays usable; MUTANTS="model.model*" limits the run to some mutants.
MUTANTS ?=
mutants: $(STAMP)
	$(BIN)/mutmut run --max-children 1 $(MUTANTS)
	$(BIN)/python tools/mutants_report.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis mutants
