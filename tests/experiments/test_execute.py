"""One run through the model seam: metrics, encoded tables and failures."""

from __future__ import annotations

import io

import pandas as pd

from experiments.run.execute import execute_run
from experiments.spec.runspec import RunSpec
from tests.experiments.fake_model import FakeModel


def _spec(**params):
    return RunSpec(
        run_id="s=a/p=0000/r=000",
        scenario="a",
        point=0,
        replication=0,
        seed=5,
        design_values={"growth": 0.3},
        params={"n_people": 50, "growth": 0.3, **params},
        months=4,
        keep_monthly=True,
        keep_participants=False,
    )


def test_a_run_returns_plain_metrics_and_encoded_tables():
    result = execute_run(_spec(), model_factory=FakeModel)
    assert result.ok and result.error is None
    assert type(result.metrics["participants_ever"]) is int
    assert type(result.metrics["mean_net"]) is float
    assert list(result.tables) == ["monthly", "metrics"]
    monthly = pd.read_parquet(io.BytesIO(result.tables["monthly"]))
    assert list(monthly.columns[:7]) == [
        "run_id",
        "scenario",
        "point",
        "replication",
        "seed",
        "growth",
        "month",
    ]
    assert monthly.month.tolist() == [1, 2, 3, 4]
    metrics = pd.read_parquet(io.BytesIO(result.tables["metrics"]))
    assert len(metrics) == 1
    ids = {
        "run_id": "s=a/p=0000/r=000",
        "scenario": "a",
        "point": 0,
        "replication": 0,
        "seed": 5,
        "growth": 0.3,
    }
    assert metrics.iloc[0].to_dict() == {**ids, **result.metrics}
    assert list(metrics.columns) == [*ids, *result.metrics]


def test_same_spec_same_result():
    first, second = (execute_run(_spec(), model_factory=FakeModel) for _ in range(2))
    assert first.metrics == second.metrics
    assert first.tables == second.tables


def test_a_model_exception_becomes_a_failed_result():
    result = execute_run(_spec(fail=True), model_factory=FakeModel)
    assert not result.ok and result.tables is None
    assert result.error == "RuntimeError: fake model failure"
    assert result.traceback.startswith("Traceback") and "in run" in result.traceback


def test_a_bad_parameter_becomes_a_failed_result():
    result = execute_run(_spec(n_people=1), model_factory=FakeModel)
    assert not result.ok
    assert "n_people" in result.error


def test_metric_names_must_not_clash_with_run_columns():
    class Clashing(FakeModel):
        def run_metrics(self):
            return {**super().run_metrics(), "growth": 1.0}

    result = execute_run(_spec(), model_factory=Clashing)
    assert not result.ok
    assert result.error == "ValueError: metrics columns clash with run columns: growth"


def test_a_broken_accounting_identity_fails_the_run():
    class Leaky(FakeModel):
        def check_invariants(self):
            raise AssertionError("money is not conserved")

    result = execute_run(_spec(), model_factory=Leaky)
    assert not result.ok and result.tables is None
    assert result.error == "AssertionError: money is not conserved"
