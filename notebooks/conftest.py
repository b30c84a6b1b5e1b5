"""Notebook tests (`pytest --nbmake notebooks`) run the notebooks at the small size."""

import os

from experiments.present.explore import SMALL_ENV


def pytest_configure() -> None:
    """Ask the notebooks' kernels (children of this process) for the small size."""
    os.environ.setdefault(SMALL_ENV, "1")
