"""Where things live: the one place that knows the project's folders.

Notebooks, the CLI and the tests import these names instead of spelling
paths out. Folders hang off the checkout this package lives in (an editable
install, the normal case), or off the working directory for a copy installed
into site-packages.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT = PACKAGE_DIR.parent
PROJECT_ROOT = _CHECKOUT if (_CHECKOUT / "pyproject.toml").is_file() else Path.cwd()
"""The checkout holding this package, or the working directory for an installed copy."""
CONFIG_DIR = PACKAGE_DIR
"""Experiment configs shipped with the package (`experiments/*.toml`)."""
RESULTS_DIR = PROJECT_ROOT / "results"
"""The checkout's results folder (`make run` writes `results/claims/` here); never committed.

`downline run` writes to `default_output(name)` under the working directory,
which is this folder when run from the checkout."""
SAMPLES_DIR = RESULTS_DIR / "samples"
"""Small committed result folders that notebooks, docs and tests read."""
DOCS_DIR = PROJECT_ROOT / "docs"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
SEEDS_DIR = PROJECT_ROOT.parent / "shared" / "seeds"
"""The five articles whose claims the project tests (outside the repository)."""


def config_path(name: str) -> Path:
    """The shipped experiment config called `name` (e.g. "claims" -> experiments/claims.toml)."""
    return CONFIG_DIR / f"{name}.toml"


def results_path(experiment: str) -> Path:
    """An experiment's folder in the checkout's results folder: results/<experiment>/."""
    return RESULTS_DIR / experiment


def default_output(experiment: str) -> Path:
    """Where `downline run` writes by default: ./results/<experiment> in the working directory."""
    return Path.cwd() / "results" / experiment
