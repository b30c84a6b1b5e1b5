"""What the claims rules record and decide beyond their bars: C4's slope, C19's two tests,
the roles of the recorded estimates, and the winners per 1000 people (hand-worked)."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from experiments.claims import verdicts
from experiments.claims.stats import Interval
from tests.test_claim_rules import MAIN_CASES, N, both, decide, main_context, steady

SLOPE = "cohort_slope:gross_per_year"


@pytest.mark.parametrize(
    ("mlm", "referral", "expected"),
    [
        # the early advantage is larger under MLM (directional supported) in each case
        (steady(0.5), steady(200.0, seed=1), "refuted"),  # but MLM's slope lies above 0
        (steady(-200.0), steady(-50.0, seed=1), "supported"),
        (np.array([-100.0, 99.0] * (N // 2)), steady(150.0, seed=1), "inconclusive"),  # straddles 0
        # straddles 0 narrowly: the CI's upper bound is below 1 but not below 0
        (np.array([-0.5, 0.5] * (N // 2)), steady(150.0, seed=1), "inconclusive"),
    ],
)
def test_c4_needs_the_mlm_slope_below_zero(mlm, referral, expected):
    ctx = main_context(both(SLOPE, mlm, referral))
    assert decide(verdicts.RULES["C4"], ctx) == expected


SPREAD = "per_sale_spread"


@pytest.mark.parametrize(
    ("referral", "expected"),
    [
        # MLM's spread 2 is far above referral's in each case (directional supported), so the
        # verdict is the linearity check on referral's spread: its CI within [1, 1.05]
        (np.ones(N), "supported"),
        (steady(0.95), "inconclusive"),  # below 1: not linear, and not above 1.05 either
        (np.array([1.0, 1.1] * (N // 2)), "inconclusive"),  # straddles 1.05
        (steady(1.2), "refuted"),  # surely above 1.05
    ],
)
def test_c6_checks_that_referral_pays_linearly(referral, expected):
    ctx = main_context(both(SPREAD, steady(2.0), referral))
    assert decide(verdicts.RULES["C6"], ctx) == expected


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (1 - 1e-9, 1.0, "supported"),  # the tolerance for rounding below 1 is included
        (1.0, 1.05, "supported"),  # so is 1.05
        (1 - 2e-9, 1.0, "inconclusive"),
        (1.0, 1.0500001, "inconclusive"),
    ],
)
def test_c6_linearity_bounds_are_inclusive(monkeypatch, low, high, expected):
    """Referral's spread CI set exactly on the bounds (a CI cannot be put there by data)."""
    ctx = main_context(both(SPREAD, steady(2.0), np.ones(N)))
    level = ctx.level

    def fake(part, scenario, measure, where=None, role="also"):
        iv = level(part, scenario, measure, where, role)
        return Interval(1.0, low, high) if (scenario, measure) == ("referral", SPREAD) else iv

    monkeypatch.setattr(ctx, "level", fake)
    assert decide(verdicts.RULES["C6"], ctx) == expected


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


def test_c19_says_what_it_compared():
    decisions, _ = verdicts.evaluate_claims(main_context(_c19_values()), {"C19": verdicts._c19})
    assert decisions["C19"].reason.startswith("referral - mlm: success_rate ")


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
        # the paired tests of the directional rules are primary
        ("C2", "success_rate", "referral - mlm", "primary"),
        ("C4", SLOPE, "referral - mlm", "primary"),
        ("C5", "top_share:gross_income:0.01", "mlm - referral", "primary"),
        ("C6", "per_sale_spread", "mlm - referral", "primary"),
        ("C10", "retail_share", "referral - mlm", "primary"),
        ("C11", "partial_rank_corr:downline_size,net_per_year,tenure", "mlm", "primary"),
        ("C11", "partial_rank_corr:downline_size,net_per_year,tenure", "referral", "report"),
        ("C12", "decline_from_peak", "referral", "report"),
    ],
)
def test_recorded_estimates_have_their_role(claim, measure, scenario, role):
    assert _roles(claim)[(measure, scenario)] == role


@pytest.mark.parametrize("claim", ["C2", "C4", "C5", "C6", "C10", "C19"])
def test_primary_paired_tests_are_adjusted_with_holm(claim):
    """Each rule alone: Holm over its own primary paired tests, worked out by hand."""
    values = _c19_values() if claim == "C19" else MAIN_CASES[claim]["supported"]
    _, estimates = verdicts.evaluate_claims(main_context(values), {claim: verdicts.RULES[claim]})
    paired = estimates[(estimates["kind"] == "paired") & (estimates["role"] == "primary")]
    assert len(paired) == 1
    # one test in the family: the adjusted p is the raw one
    assert paired["p_holm"].iloc[0] == pytest.approx(paired["p_value"].iloc[0])


def test_estimates_name_the_claim_they_belong_to():
    rules = {c: verdicts.RULES[c] for c in ("C5", "C7")}
    values = {**MAIN_CASES["C5"]["supported"]}
    _, estimates = verdicts.evaluate_claims(main_context(values), rules)
    assert set(estimates["claim"]) == {"C5", "C7"}
    override = estimates["measure"] == "override_share:successful"
    assert set(estimates.loc[override, "claim"]) == {"C7"}


def test_rules_that_record_nothing_give_an_empty_estimates_table():
    decisions, estimates = verdicts.evaluate_claims(main_context({}), {})
    assert decisions == {} and estimates.empty
    assert list(estimates.columns) == list(verdicts.ESTIMATE_COLUMNS)


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


def test_winners_per_1000_people_is_the_success_rate_times_participants_per_person():
    values = copy.deepcopy(MAIN_CASES["C2"]["supported"])
    values["mlm"]["participants_ever"] = np.full(N, 50.0)
    ctx = main_context(values)
    ctx.scenarios = {"main": pd.DataFrame({"n_people": [500, 500]}, index=["mlm", "referral"])}
    _, estimates = verdicts.evaluate_claims(ctx, {"C2": verdicts.RULES["C2"]})
    rows = estimates.set_index(["measure", "scenario"])["estimate"]
    # the mean success rate x 50 participants / 500 people x 1000: 100 x the mean rate
    expected = 100 * float(np.mean(values["mlm"]["success_rate"]))
    assert rows[("winners_per_1000_people", "mlm")] == pytest.approx(expected, rel=1e-9)
