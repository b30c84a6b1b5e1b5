"""End-to-end sweeps of the real model (small populations, few months).

Until `model.MarketModel` is importable these tests run the fake model
instead (the `sweep_model` fixture says which), so the plumbing stays tested.
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
from experiments.demo import HEADLINE_METRICS
from experiments.modelref import MODEL_ENV, load_model_class
from tests.experiments.fake_model import TARGET

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


def _real_model_importable() -> bool:
    try:
        from model import MarketModel  # noqa: F401
    except ImportError:
        return False
    return True


REAL = _real_model_importable()


@pytest.fixture
def sweep_model(monkeypatch):
    """The real model when importable, else the fake one; returns which."""
    if REAL:
        monkeypatch.delenv(MODEL_ENV, raising=False)
        return "real"
    monkeypatch.setenv(MODEL_ENV, TARGET)
    return "fake"


def _config_text(kind: str) -> str:
    # the fake model has no mean_degree parameter
    return CONFIG if kind == "real" else CONFIG.replace("mean_degree = 8\n", "")


@pytest.mark.slow
def test_one_and_two_workers_store_identical_results(sweep_model, write_config, tmp_path):
    path = write_config(_config_text(sweep_model))
    for name, workers in (("one", "1"), ("two", "2")):
        argv = ["run", str(path), "--out", str(tmp_path / name), "--workers", workers, "--quiet"]
        assert main(argv) == 0
    one, two = load_results(tmp_path / "one"), load_results(tmp_path / "two")
    assert len(one.runs) == 8
    pd.testing.assert_frame_equal(one.runs, two.runs)
    pd.testing.assert_frame_equal(one.monthly, two.monthly)
    pd.testing.assert_frame_equal(one.participants, two.participants)


@pytest.mark.slow
def test_cli_sweep_stores_what_the_model_computes(sweep_model, write_config, tmp_path, capsys):
    path = write_config(_config_text(sweep_model))
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out), "--workers", "2", "--quiet"]) == 0
    assert capsys.readouterr().out.startswith("8 runs: 8 ok, 0 failed, 0 skipped in ")
    results = load_results(out)
    row = results.runs.set_index("run_id").loc["s=referral/p=0001/r=001"]
    params = {"n_people": 300, "plan": "referral", "plan_params": {"starter_fee": 100.0}}
    if sweep_model == "real":
        params["mean_degree"] = 8
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


def test_console_script_checks_the_example_config(sweep_model, tmp_path):
    script = Path(sys.executable).parent / "downline"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "experiments"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run(
        [*command, "check", "example.toml"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok: 12 runs (2 scenarios x 2 points x 3 replications)"


@pytest.mark.skipif(not REAL, reason="model.MarketModel is not importable yet")
def test_demo_prints_every_headline_metric(capsys):
    assert main(["demo", "--n-people", "300", "--months", "12"]) == 0
    out = capsys.readouterr().out
    assert "n/a" not in out
    assert all(name in out for name in HEADLINE_METRICS)
