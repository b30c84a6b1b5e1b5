"""The defaults reproduce every published calibration target (docs/ODD.md, section 1.2).

Runs the default model (10,000 people, 120 months) under each regime over
five seeds and checks each target's mean against its band. When the model
or its defaults change so that a pattern drifts out of its band, this fails:
recalibrate (`downline calibrate calibration.toml`) and update the defaults.
"""

from __future__ import annotations

import numpy as np
import pytest

from experiments.calibrate.targets import TARGETS
from model import MarketModel

SEEDS = (101, 102, 103, 104, 105)
PLANS = {"mlm": "unilevel", "referral": "referral"}


@pytest.fixture(scope="module")
def measures() -> dict[str, list[dict[str, float]]]:
    runs = {}
    for scenario, plan in PLANS.items():
        runs[scenario] = []
        for seed in SEEDS:
            model = MarketModel(rng=seed, plan=plan)
            model.run(120)
            runs[scenario].append(model.run_metrics())
    return runs


@pytest.mark.slow
@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_default_is_in_band(measures, target):
    values = np.array([run[target.measure] for run in measures[target.scenario]])
    mean = values.mean()
    assert target.low <= mean <= target.high, (
        f"{target.name} = {mean:.4g} (seeds {values.round(4).tolist()}) outside "
        f"[{target.low}, {target.high}]: {target.published} ({target.source})"
    )
