"""A small, fast stand-in for `model.MarketModel`, selected with DOWNLINE_MODEL in tests.

It has the same public surface (`FakeModel(rng=seed, **params)`, `run`,
`run_metrics`, `monthly_table`, `participant_table`) and a parameter schema,
and its outputs depend only on its seed and parameters. Three test-only
parameters: `sleep` (seconds per run, so a sweep can be killed mid-way),
`fail` (raise inside `run`) and `crash` (end the worker process abruptly).
`hours` is a whole-table parameter that is also a participant column, like the
real model's trait distributions.
"""

from __future__ import annotations

import os
import time
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

TARGET = "tests.experiments.fake_model:FakeModel"


class FakeParams(BaseModel):
    """Parameters of the fake model."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    n_people: int = Field(100, ge=20)
    plan: Literal["unilevel", "referral"] = "unilevel"
    plan_params: dict[str, Any] = Field(default_factory=dict)
    growth: float = Field(0.1, ge=0, le=1)
    hours: dict[str, float] = Field(default_factory=dict)
    sleep: float = Field(0.0, ge=0)
    fail: bool = False
    crash: bool = False


class FakeModel:
    """Deterministic given (rng, params); a few numpy draws per month."""

    params_schema = FakeParams

    def __init__(self, rng: int | None = None, **params: Any):
        self.p = FakeParams(**params)
        self.rng = np.random.default_rng(rng)
        self.months: list[dict[str, float]] = []
        self.net = np.zeros(0)
        self.joined = np.zeros(0, dtype=np.int64)

    def run(self, months: int) -> None:
        if self.p.fail:
            raise RuntimeError("fake model failure")
        if self.p.crash:
            os._exit(3)
        time.sleep(self.p.sleep)
        fee = float(self.p.plan_params.get("starter_fee", 0.0))
        rate = self.p.growth * (2.0 if self.p.plan == "unilevel" else 1.0)
        active = 0
        for _month in range(months):
            joins = int(self.rng.binomial(self.p.n_people - active, rate / 10))
            quits = int(self.rng.binomial(active, 0.05))
            active += joins - quits
            self.months.append({"participants": active, "joins": joins, "quits": quits})
            self.joined = np.concatenate([self.joined, np.full(joins, len(self.months))])
        self.net = self.rng.normal(-fee / 2, 100.0, self.joined.size)

    def run_metrics(self) -> dict[str, Any]:
        net = self.net if self.net.size else np.zeros(1)
        return {
            "participants_ever": np.int64(self.joined.size),
            "success_rate": float((net > 0).mean()),
            "loss_rate": float((net < 0).mean()),
            "median_net": float(np.median(net)),
            "mean_net": np.float64(net.mean()),
        }

    def monthly_table(self) -> pd.DataFrame:
        table = pd.DataFrame(self.months)
        table.index = pd.RangeIndex(1, len(table) + 1, name="month")
        return table

    def participant_table(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "id": np.arange(self.joined.size, dtype=np.int64),
                "join_month": self.joined,
                "quit_month": pd.array([pd.NA] * self.joined.size, dtype="Int64"),
                "hours": np.full(self.joined.size, float(self.p.hours.get("mean", 10.0))),
                "commissions": np.maximum(self.net, 0.0) * 10.0,
                "retail_profit": np.zeros(self.joined.size),
                "net_profit": self.net,
            }
        )
