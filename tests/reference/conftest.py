"""The docking samples, simulated once per test session (per xdist worker)."""

from __future__ import annotations

import pytest

from tests.reference.docking import Samples


@pytest.fixture(scope="session")
def samples() -> Samples:
    """Each implementation's docking sample per plan, kept for the session."""
    return Samples()
