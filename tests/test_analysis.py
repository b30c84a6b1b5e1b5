"""Measures of one run on constructed participant tables with known answers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from experiments.claims.catalogue import CLAIMS
from experiments.claims.measures import measure_values

T = 120


def table(**columns) -> pd.DataFrame:
    """A participant table: given columns, the rest zeros; ids 0..n-1."""
    n = len(next(iter(columns.values())))
    base = {
        "id": np.arange(n),
        "join_month": np.zeros(n, dtype=int),
        "quit_month": pd.array([pd.NA] * n, dtype="Int64"),
        "sponsor": pd.array([pd.NA] * n, dtype="Int64"),
        "depth": np.zeros(n, dtype=int),
        "downline_size": np.zeros(n, dtype=int),
        "retail_profit": np.zeros(n),
        "commissions": np.zeros(n),
        "override_income": np.zeros(n),
        "net_profit": np.zeros(n),
        "hours_worked": np.zeros(n),
    }
    for name in ("affinity", "skill", "propensity", "hours", "budget"):
        base[name] = np.ones(n)
    base.update(columns)
    return pd.DataFrame(base)


def value(participants: pd.DataFrame, measure: str, metrics: dict | None = None) -> float:
    return measure_values(participants, metrics or {}, T, measure)[measure]


def test_income_per_year_and_gross_measures_by_hand():
    # four people: 6, 12, 24 and 0 months in the business (the last joined at the horizon)
    people = table(
        join_month=np.array([0, 0, T - 24, T]),
        quit_month=pd.array([6, 12, pd.NA, pd.NA], dtype="Int64"),
        retail_profit=np.array([50.0, 0.0, 100.0, 0.0]),
        commissions=np.array([0.0, 300.0, 1900.0, 0.0]),
        net_profit=np.array([-100.0, 120.0, 1000.0, -30.0]),
        budget=np.array([100.0, 100.0, 100.0, 50.0]),
    )
    # gross per year: 50 / 0.5, 300 / 1, 2000 / 2, 0 / (1 / 12) = 100, 300, 1000, 0
    assert value(people, "quantile:gross_per_year:0.5") == pytest.approx(200.0)
    assert value(people, "share_above:gross_per_year:300") == pytest.approx(0.5)
    # gross income 50, 300, 2000, 0: the top quarter (one person) holds 2000 / 2350
    assert value(people, "top_share:gross_income:0.25") == pytest.approx(2000 / 2350)
    # net per year -200, 120, 500, -360 (ranks 2, 3, 4, 1) against join months 0, 0, 96, 120
    # (ranks 1.5, 1.5, 3, 4): centred products sum to -1.5, squares to 4.5 and 5
    expected = -1.5 / math.sqrt(4.5 * 5)
    assert value(people, "rank_corr:join_month,net_per_year") == pytest.approx(expected)
    # losers lose 100 of 1,200 and 30 of 600 a year: median of 1/12 and 1/20
    assert value(people, "loss_budget_share") == pytest.approx((1 / 12 + 1 / 20) / 2)
    assert math.isnan(value(table(net_profit=np.ones(3)), "loss_budget_share"))


def test_variance_explained_on_another_target():
    rng = np.random.default_rng(1)
    skill = rng.normal(size=200)
    join = rng.integers(0, 90, 200)
    people = table(skill=skill, hours=rng.normal(size=200), join_month=join)
    # gross income per year follows skill exactly; net profit is noise
    people["commissions"] = (100 + 10 * skill) * (T - join) / 12
    people["net_profit"] = rng.normal(size=200)
    measure = "variance_explained:ability_effort-vs-timing_position"
    on_gross = measure_values(people, {}, T, f"{measure}:gross_per_year_rank")
    on_net = measure_values(people, {}, T, measure)
    assert on_gross[f"{measure}:gross_per_year_rank|shapley_ability_effort"] > 0.9
    assert on_net[f"{measure}|shapley_ability_effort"] < 0.1


def test_rank_correlations_of_monotone_columns():
    x = np.arange(50)
    people = table(depth=x, net_profit=-(x**3).astype(float), downline_size=x)
    assert value(people, "rank_corr:depth,net_profit") == pytest.approx(-1.0)
    assert value(people, "rank_corr:downline_size,net_profit") == pytest.approx(-1.0)


def test_partial_rank_correlation_removes_a_common_cause():
    rng = np.random.default_rng(3)
    z = rng.normal(size=4000)
    x = z + 0.5 * rng.normal(size=z.size)
    y = z + 0.5 * rng.normal(size=z.size)
    quit_month = pd.array(np.clip((60 + 10 * z).round(), 1, 119).astype(int), dtype="Int64")
    tenure = np.asarray(quit_month, dtype=float)  # join_month 0
    people = table(downline_size=x, net_profit=y, quit_month=quit_month)
    raw = value(people, "rank_corr:downline_size,net_profit")
    partial = value(people, "partial_rank_corr:downline_size,net_profit,tenure")
    assert raw > 0.6
    assert abs(partial) < 0.3  # tenure is a rounded, clipped z: most of the link goes
    assert np.corrcoef(tenure, z)[0, 1] > 0.9


def test_cohort_slope_is_the_weighted_slope_of_cohort_means():
    join = np.array([0, 0, 12, 12, 12, 24, 96, 110])  # 110 > T - 24: left out
    net = np.array([10.0, 10.0, 7.0, 7.0, 7.0, 4.0, -14.0, 999.0])
    people = table(join_month=join, net_profit=net)
    # cohort means 10, 7, 4, -14 at cohorts 0, 1, 2, 8: exactly -3 per year
    assert value(people, "cohort_slope:net_profit") == pytest.approx(-3.0)
    assert math.isnan(
        value(table(join_month=np.array([0, 5]), net_profit=np.ones(2)), "cohort_slope:net_profit")
    )


def test_cohort_gap_compares_later_with_earlier_entrants():
    join = np.array([0, 10, 50, 60, 90, 100])  # eligible <= 96; later half > 48
    net = np.array([1.0, 1.0, -1.0, 1.0, -1.0, 5.0])
    people = table(join_month=join, net_profit=net)
    assert value(people, "cohort_gap:success_rate") == pytest.approx(1 / 3 - 1)
    assert value(people, "cohort_gap:net_profit") == pytest.approx(-1 / 3 - 1)


def test_override_share_by_group():
    people = table(
        retail_profit=np.array([10.0, 0.0, 5.0, 0.0]),
        commissions=np.array([90.0, 10.0, 0.0, 0.0]),
        override_income=np.array([80.0, 0.0, 0.0, 0.0]),
        net_profit=np.array([50.0, -5.0, 1.0, -20.0]),
    )
    assert value(people, "override_share:successful") == pytest.approx(80 / 105)
    assert value(people, "override_share:top10") == pytest.approx(80 / 100)
    assert value(people, "override_share:all") == pytest.approx(80 / 115)


def test_per_sale_spread_is_one_without_overrides_and_grows_with_them():
    flat = table(retail_profit=np.arange(1.0, 21.0), commissions=np.arange(20.0))
    assert value(flat, "per_sale_spread") == pytest.approx(1.0)
    override = np.where(np.arange(20) < 10, 0.0, 10.0)
    mixed = table(retail_profit=np.full(20, 10.0), override_income=override, commissions=override)
    # gross / own is 1 for half the people and 2 for the other half
    assert value(mixed, "per_sale_spread") == pytest.approx(2.0)


def test_success_gap_and_quantile_gap():
    n = 100
    budget = np.arange(n, dtype=float)
    net = np.where(budget < 20, 1.0, -1.0)  # only the bottom budget quintile succeeds
    people = table(budget=budget, net_profit=net, downline_size=(budget % 2).astype(int))
    assert value(people, "quantile_gap:budget:success_rate") == pytest.approx(1.0)
    assert value(people, "quantile_gap:budget:net_profit") == pytest.approx(2.0)
    assert value(people, "success_gap:recruiters") == pytest.approx(0.0)
    # the 10 recruiters are among the 20 who succeed: 1 - 10/90 (a sign flip fails)
    recruiters = table(budget=budget, net_profit=net, downline_size=(budget < 10).astype(int))
    assert value(recruiters, "success_gap:recruiters") == pytest.approx(1 - 10 / 90)


def test_team_link_conditional_shares():
    # sponsors 0 and 1; 0's team (2, 3) succeeds, 1's team (4, 5) loses
    people = table(
        sponsor=pd.array([pd.NA, pd.NA, 0, 0, 1, 1], dtype="Int64"),
        net_profit=np.array([5.0, 7.0, 1.0, 2.0, -1.0, -1.0]),
    )
    assert value(people, "team_link:given_team_success") == 1.0
    assert value(people, "team_link:given_team_loss") == 1.0
    assert value(people, "team_link:success") == 0.0
    nobody = table(net_profit=np.ones(3))
    assert math.isnan(value(nobody, "team_link:success"))


def test_variance_explained_companions_and_run_level_measures():
    rng = np.random.default_rng(1)
    skill = rng.normal(size=500)
    people = table(
        skill=skill,
        hours=rng.normal(size=500),
        net_profit=3 * skill,
        join_month=rng.integers(0, 100, 500),
        depth=rng.integers(0, 5, 500),
    )
    measure = "variance_explained:ability_effort-vs-timing_position"
    values = measure_values(people, {}, T, measure)
    assert values[f"{measure}|r2_joint"] == pytest.approx(1.0)
    assert values[measure] == pytest.approx(
        values[f"{measure}|shapley_ability_effort"] - values[f"{measure}|shapley_timing_position"]
    )
    assert values[measure] > 0.95
    metrics = {"peak_participants": 200, "final_participants": 50, "success_rate": 0.1}
    assert value(people, "decline_from_peak", metrics) == pytest.approx(0.75)
    assert value(people, "success_rate", metrics) == 0.1
    with pytest.raises(ValueError, match="baseline"):
        value(people, "relative_drop:company_revenue", metrics)


def test_every_catalogue_measure_is_computable():
    rng = np.random.default_rng(2)
    n = 60
    people = table(
        join_month=np.r_[[0] * 5, rng.integers(1, 100, n - 5)],  # five founders
        depth=rng.integers(0, 4, n),
        downline_size=rng.integers(0, 5, n),
        ties=rng.integers(4, 30, n),
        sponsor=pd.array(np.r_[[pd.NA] * 10, rng.integers(0, 10, n - 10)], dtype="Int64"),
        skill=rng.normal(size=n),
        hours=rng.normal(size=n),
        budget=rng.normal(size=n),
        retail_profit=rng.uniform(0, 5, n),
        commissions=rng.uniform(0, 5, n),
        net_profit=rng.normal(size=n),
    )
    metrics = dict.fromkeys(
        [
            "success_rate",
            "loss_rate",
            "success_rate_after_time",
            "top10_share",
            "top1_share",
            "gini_commissions",
            "override_share",
            "retail_share",
            "peak_month",
            "mean_net",
            "gini_net",
            "p99_net",
            "customer_retention",
            "participants_ever",
        ],
        0.5,
    ) | {"peak_participants": 10, "final_participants": 5}
    for claim in CLAIMS:
        for measure in claim.measures:
            if measure.startswith("relative_drop"):
                continue
            assert np.isfinite(value(people, measure, metrics)), measure
