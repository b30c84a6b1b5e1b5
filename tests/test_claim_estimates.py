"""What the claims rules record and decide beyond their bars: C4's slope, C19's two tests,
the roles of the recorded estimates, and the winners per 1000 people (hand-worked)."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from experiments.claims import verdicts
from tests.test_claim_rules import MAIN_CASES, N, both, decide, main_context, steady

SLOPE = "cohort_slope:gross_per_year"


@pytest.mark.parametrize(
    ("mlm", "referral", "expected"),
    [
        # the early advantage is larger under MLM (directional supported) in each case
        (steady(0.5), steady(200.0, seed=1), "refuted"),  # but MLM's slope lies above 0
        (steady(-200.0), steady(-50.0, seed=1), "supported"),
        (np.array([-100.0, 99.0] * (N // 2)), steady(150.0, seed=1), "inconclusive"),  # straddles 0
    ],
)
def test_c4_needs_the_mlm_slope_below_zero(mlm, referral, expected):
    ctx = main_context(both(SLOPE, mlm, referral))
    assert decide(verdicts.RULES["C4"], ctx) == expected


def test_c19_a_large_but_small_difference_is_neither_equivalent_nor_different():
    """Referral 0.01 above MLM in success, every pair: inside the 0.02 margin, but A = 1 is
    large, so not equivalent; and not beyond the margin either: inconclusive."""
    base = {m: steady(0.5, seed=i) for i, m in enumerate(verdicts.C19_MARGINS)}
    higher = {**base, "success_rate": base["success_rate"] + 0.01}
    ctx = main_context({"mlm": base, "referral": higher})
    assert decide(verdicts.RULES["C19"], ctx) == "inconclusive"


def _c19_values() -> dict:
    base = {m: steady(0.5, seed=i) for i, m in enumerate(verdicts.C19_MARGINS)}
    return {"mlm": base, "referral": base}


def _roles(claim: str) -> dict[tuple[str, str], str]:
    values = _c19_values() if claim == "C19" else MAIN_CASES[claim]["supported"]
    ctx = main_context(values)
    _, estimates = verdicts.evaluate_claims(ctx, {claim: verdicts.RULES[claim]})
    return {(r.measure, r.scenario): r.role for r in estimates.itertuples()}


@pytest.mark.parametrize(
    ("claim", "measure", "scenario", "role"),
    [
        ("C5", "top_share:gross_income:0.01", "referral", "primary"),
        ("C5", "top_share:gross_income:0.01", "mlm", "report"),
        ("C10", "retail_share", "mlm", "primary"),
        ("C10", "retail_share", "referral", "report"),
        ("C20", "success_rate_after_time", "mlm", "primary"),
        ("C20", "success_rate_after_time", "referral", "report"),
        ("C22", "quantile:gross_per_year:0.5", "mlm", "report"),
        ("C19", "success_rate", "referral - mlm", "primary"),
        ("C19", "mean_net", "referral - mlm", "also"),
    ],
)
def test_recorded_estimates_have_their_role(claim, measure, scenario, role):
    assert _roles(claim)[(measure, scenario)] == role


def test_c2_reports_winners_and_losers_per_1000_people():
    values = copy.deepcopy(MAIN_CASES["C2"]["supported"])
    values["mlm"]["participants_ever"] = np.full(N, 50.0)
    values["referral"]["participants_ever"] = np.full(N, 40.0)
    ctx = main_context(values)
    ctx.scenarios = {"main": pd.DataFrame({"n_people": [1000, 1000]}, index=["mlm", "referral"])}
    _, estimates = verdicts.evaluate_claims(ctx, {"C2": verdicts.RULES["C2"]})
    rows = estimates.set_index(["measure", "scenario"])["estimate"]
    # success 0.02 (mlm) x 50 participants / 1000 people x 1000 = 1 winner per 1000 people
    assert rows[("winners_per_1000_people", "mlm")] == pytest.approx(0.02 * 50, abs=0.01)
    assert rows[("winners_per_1000_people", "referral")] == pytest.approx(0.05 * 40, abs=0.01)
    # loss rates are 0.5 (the neutral value): 25 and 20 losers per 1000 people
    assert rows[("losers_per_1000_people", "mlm")] == pytest.approx(25.0, abs=0.05)
    assert rows[("losers_per_1000_people", "referral")] == pytest.approx(20.0, abs=0.05)
