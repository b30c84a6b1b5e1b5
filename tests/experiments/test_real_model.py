"""End-to-end sweeps of the real model (small populations, few months).

The other experiment tests use a fast fake model (tests/experiments/fake_model.py);
these check that the plumbing carries the real model's numbers unchanged.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from experiments import load_results
from experiments.cli import main
from experiments.present.demo import HEADLINE_METRICS
from experiments.spec.modelref import MODEL_ENV, load_model_class

CONFIG = """
name = "small"
months = 12
[model]
n_people = 300
mean_degree = 8
[scenarios.mlm]
plan = "unilevel"
[scenarios.referral]
plan = "referral"
[design]
kind = "grid"
[design.parameters."plan_params.starter_fee"]
values = [0.0, 100.0]
[replications]
count = 2
base_seed = 3
[outputs]
monthly = true
participants = true
"""


@pytest.fixture
def real_model(monkeypatch):
    """Sweeps run the real `model.MarketModel` (not the fake one other tests use)."""
    monkeypatch.delenv(MODEL_ENV, raising=False)


@pytest.mark.slow
def test_one_worker_two_workers_and_dask_store_identical_results(
    real_model, write_config, tmp_path
):
    path = write_config(CONFIG)
    backends = {
        "one": ["--workers", "1"],
        "two": ["--workers", "2"],
        "dask": ["--workers", "2", "--scheduler", "local"],
    }
    for name, extra in backends.items():
        argv = ["run", str(path), "--out", str(tmp_path / name), *extra, "--quiet"]
        assert main(argv) == 0
    one = load_results(tmp_path / "one")
    assert len(one.runs) == 8
    for name in ("two", "dask"):
        other = load_results(tmp_path / name)
        pd.testing.assert_frame_equal(one.runs, other.runs)
        pd.testing.assert_frame_equal(one.monthly, other.monthly)
        pd.testing.assert_frame_equal(one.participants, other.participants)


@pytest.mark.slow
def test_cli_sweep_stores_what_the_model_computes(real_model, write_config, tmp_path, capsys):
    path = write_config(CONFIG)
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out), "--workers", "2", "--quiet"]) == 0
    assert capsys.readouterr().out.startswith("8 runs: 8 ok, 0 failed, 0 skipped in ")
    results = load_results(out)
    row = results.runs.set_index("run_id").loc["s=referral/p=0001/r=001"]
    params = {
        "n_people": 300,
        "mean_degree": 8,
        "plan": "referral",
        "plan_params": {"starter_fee": 100.0},
    }
    model = load_model_class()(rng=int(row.seed), **params)
    model.run(12)
    for name, value in model.run_metrics().items():
        stored = row[name]
        assert stored == value or (math.isnan(stored) and math.isnan(value)), name
    monthly = results.monthly[results.monthly.run_id == "s=referral/p=0001/r=001"]
    expected = model.monthly_table().reset_index()
    pd.testing.assert_frame_equal(
        monthly[list(expected.columns)].reset_index(drop=True), expected, check_dtype=False
    )


def test_console_script_checks_the_example_config(real_model, tmp_path):
    script = Path(sys.executable).parent / "downline"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "experiments"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run(
        [*command, "check", "example.toml"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok: 12 runs (2 scenarios x 2 points x 3 replications)"


def test_demo_prints_every_headline_metric(real_model, capsys):
    assert main(["demo", "--n-people", "300", "--months", "12"]) == 0
    out = capsys.readouterr().out
    assert "n/a" not in out
    assert all(name in out for name in HEADLINE_METRICS)
