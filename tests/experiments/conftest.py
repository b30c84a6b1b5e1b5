"""Fixtures for the experiments tests: the fake model, config files, no git calls."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from experiments.spec.modelref import MODEL_ENV
from experiments.store import provenance
from tests.experiments.fake_model import TARGET

FAKE_CONFIG = """
name = "fake"
months = 12
[model]
n_people = 200
[scenarios.mlm]
plan = "unilevel"
[scenarios.referral]
plan = "referral"
[design]
kind = "grid"
[design.parameters."plan_params.starter_fee"]
values = [0.0, 100.0]
[replications]
count = 3
base_seed = 7
[outputs]
monthly = true
participants = true
"""


@pytest.fixture(autouse=True)
def fixed_code_version(monkeypatch):
    """Keep the tests from calling git: the code version is a constant here."""
    monkeypatch.setattr(provenance, "code_version", lambda: "test-version")


@pytest.fixture
def fake_model(monkeypatch):
    """Select the fake model (in this process and in every worker it spawns)."""
    monkeypatch.setenv(MODEL_ENV, TARGET)
    return TARGET


@pytest.fixture
def write_config(tmp_path):
    """Write a TOML config (dedented) into tmp_path and return its path."""

    def write(text: str, name: str = "exp.toml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text))
        return path

    return write
