"""Tests for model.metrics: inequality measures, cohort tables, R^2 splits, run metrics."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.metrics import (
    gini,
    gini_signed,
    income_by_cohort,
    lorenz_points,
    run_metrics,
    top_share,
    variance_explained,
)

finite = {"allow_nan": False, "allow_infinity": False, "allow_subnormal": False}
non_negative_lists = st.lists(st.floats(0, 1e6, **finite), min_size=1, max_size=40)
signed_lists = st.lists(st.floats(-1e6, 1e6, **finite), min_size=1, max_size=40)


def pairwise_gini(x, denominator_total):
    """O(n^2) reference: sum_i sum_j |x_i - x_j| / (2 n total)."""
    x = np.asarray(x, dtype=float)
    return np.abs(x[:, None] - x[None, :]).sum() / (2 * x.size * denominator_total)


# ---------------------------------------------------------------------- gini
def test_gini_of_equal_incomes_is_zero():
    assert gini([7.0] * 10) == 0.0
    assert gini_signed([-3.0] * 10) == 0.0


@pytest.mark.parametrize("n", [2, 10, 100])
def test_gini_of_one_earner_is_n_minus_one_over_n(n):
    x = np.zeros(n)
    x[3 % n] = 50.0
    assert gini(x) == pytest.approx((n - 1) / n, abs=1e-12)


def test_gini_worked_example():
    # [1, 2, 3, 4]: pairs i<j differ by 1,2,3,1,2,1 -> 10, over ordered pairs 20;
    # mean 2.5, so G = 20 / (2 * 4^2 * 2.5) = 20 / 80 = 0.25.
    assert gini([4, 1, 3, 2]) == pytest.approx(0.25, abs=1e-12)


def test_gini_rejects_negative_and_missing_values():
    with pytest.raises(ValueError, match="non-negative"):
        gini([1.0, -0.5])
    with pytest.raises(ValueError, match="finite"):
        gini([1.0, np.nan])
    with pytest.raises(ValueError, match="finite"):
        gini_signed(pd.Series([1.0, None], dtype="Float64"))


def test_gini_is_nan_for_empty_or_all_zero():
    assert math.isnan(gini([]))
    assert math.isnan(gini([0.0, 0.0]))
    assert math.isnan(gini_signed([]))
    assert math.isnan(gini_signed([0.0, 0.0, 0.0]))


@given(non_negative_lists)
def test_gini_matches_pairwise_definition(x):
    if sum(x) == 0:
        assert math.isnan(gini(x))
        return
    assert gini(x) == pytest.approx(pairwise_gini(x, sum(x)), abs=1e-9)


@given(signed_lists)
def test_gini_signed_matches_pairwise_definition(x):
    gross = sum(abs(v) for v in x)  # T_plus + T_minus
    if gross == 0:
        assert math.isnan(gini_signed(x))
        return
    value = gini_signed(x)
    assert value == pytest.approx(pairwise_gini(x, gross), abs=1e-9)
    assert 0.0 <= value <= 1.0
    assert value <= (len(x) - 1) / len(x) + 1e-12


@given(non_negative_lists)
def test_gini_signed_equals_gini_on_non_negative_values(x):
    if sum(x) == 0:
        return
    assert gini_signed(x) == pytest.approx(gini(x), abs=1e-12)


def test_gini_signed_worked_example_with_negatives():
    # [-2, 0, 1, 5]: pairs i<j differ by 2,3,7,1,5,4 -> 22, ordered pairs 44.
    # T_plus = 6, T_minus = 2, so G = 44 / (2 * 4 * (6 + 2)) = 44 / 64 = 0.6875.
    # (The ordinary formula would give 44 / (2 * 16 * 1) = 1.375 > 1.)
    assert gini_signed([5, -2, 1, 0]) == pytest.approx(0.6875, abs=1e-12)


def test_gini_signed_maximum_is_polarised_case():
    # One holds all the negative total, one all the positive, the rest zero:
    # pairs i<j give 3+3+10+0+7+7 = 30, G = 60 / (2 * 4 * 10) = 0.75 = (n-1)/n.
    assert gini_signed([-3, 0, 0, 7]) == pytest.approx(0.75, abs=1e-12)


def test_gini_signed_handles_a_million_values():
    # Symmetric integers -m..m: sum_{i<j}|x_i-x_j| = (n-1)n(n+1)/6 with n = 2m+1 and
    # T_plus + T_minus = m(m+1), so G = (2m)(2m+2)/6 / (m(m+1)) = 2/3 exactly.
    m = 500_000
    x = np.arange(-m, m + 1, dtype=np.float64)
    assert gini_signed(x[::-1]) == pytest.approx(2 / 3, rel=1e-9)
    # 0..n-1: G = (n+1) / (3n).
    n = 1_000_000
    assert gini(np.arange(n)) == pytest.approx((n + 1) / (3 * n), rel=1e-9)


# -------------------------------------------------------------------- lorenz
def test_lorenz_worked_example_and_endpoints():
    p, share = lorenz_points([4, 1, 3, 2], n_points=5)
    np.testing.assert_allclose(p, [0, 0.25, 0.5, 0.75, 1])
    np.testing.assert_allclose(share, [0, 0.1, 0.3, 0.6, 1.0], atol=1e-12)
    # Between people the curve is linear: half of the poorest person at p = 1/8.
    p, share = lorenz_points([4, 1, 3, 2], n_points=9)
    assert share[1] == pytest.approx(0.05)


@given(non_negative_lists, st.integers(2, 60))
def test_lorenz_is_monotone_convex_from_origin_to_one(x, n_points):
    p, share = lorenz_points(x, n_points)
    assert len(p) == len(share) == n_points
    if sum(x) == 0:
        assert np.isnan(share).all()
        return
    assert (p[0], share[0]) == (0.0, 0.0)
    assert (p[-1], share[-1]) == (1.0, 1.0)
    assert np.all(np.diff(share) >= -1e-12)
    assert np.all(np.diff(share, 2) >= -1e-9)
    assert np.all(share <= p + 1e-12)


def test_lorenz_of_signed_values_dips_below_zero():
    # [-2, 0, 1, 5], total 4: cumulative sums 0, -2, -2, -1, 4 over the total.
    _, share = lorenz_points([5, -2, 1, 0], n_points=5)
    np.testing.assert_allclose(share, [0, -0.5, -0.5, -0.25, 1.0], atol=1e-12)
    _, share = lorenz_points([-5, 2, 1], n_points=3)  # total <= 0: shares undefined
    assert np.isnan(share).all()
    with pytest.raises(ValueError):
        lorenz_points([1, 2], n_points=1)


# ----------------------------------------------------------------- top share
def test_top_share_single_earner_and_equal_incomes():
    x = np.zeros(100)
    x[42] = 1234.0
    assert top_share(x, 0.01) == 1.0
    assert top_share(x, 0.1) == 1.0
    assert top_share(x, 0.005) == pytest.approx(0.5)  # half a person
    for q in (0.0, 0.01, 0.07, 0.1, 0.29, 0.5, 1.0):
        assert top_share(np.full(100, 3.0), q) == pytest.approx(q, abs=1e-12)
        assert top_share(np.full(7, 3.0), q) == pytest.approx(q, abs=1e-12)


def test_top_share_counts_the_boundary_person_fractionally():
    x = [2, 10, 3, 5]  # total 20, descending 10, 5, 3, 2
    assert top_share(x, 0.25) == pytest.approx(10 / 20)
    assert top_share(x, 0.3) == pytest.approx((10 + 0.2 * 5) / 20)  # 1.2 people
    assert top_share(x, 0.5) == pytest.approx(15 / 20)
    assert top_share(x, 0.6) == pytest.approx((15 + 0.4 * 3) / 20)  # 2.4 people
    assert top_share(x, 0.0) == 0.0
    assert top_share(x, 1.0) == pytest.approx(1.0)


def test_top_share_edge_cases():
    assert math.isnan(top_share([], 0.1))
    assert math.isnan(top_share([0, 0], 0.1))
    with pytest.raises(ValueError):
        top_share([1, 2], 1.5)
    with pytest.raises(ValueError):
        top_share([1, 2], -0.1)


@given(non_negative_lists, st.floats(0, 1), st.floats(0, 1))
def test_top_share_is_monotone_in_q_and_matches_lorenz(x, q1, q2):
    if sum(x) == 0:
        return
    lo, hi = sorted((q1, q2))
    assert top_share(x, lo) <= top_share(x, hi) + 1e-12
    # top share = 1 - L(1 - q) on the piecewise-linear Lorenz curve
    sorted_x = np.sort(x)
    knots = np.arange(len(x) + 1) / len(x)
    curve = np.concatenate(([0], np.cumsum(sorted_x))) / sorted_x.sum()
    assert top_share(x, hi) == pytest.approx(1 - np.interp(1 - hi, knots, curve), abs=1e-9)


# ---------------------------------------------------------------- by cohort
def test_income_by_cohort_known_table():
    table = pd.DataFrame(
        {"join_month": [0, 5, 11, 12, 13, 30], "net_profit": [10.0, -5, 0, 4, 6, -1]}
    )
    out = income_by_cohort(table, cohort_months=12)
    assert list(out.columns) == ["cohort", "n", "mean", "median", "success_rate", "p90"]
    assert out["cohort"].tolist() == [0, 1, 2]
    assert out["n"].tolist() == [3, 2, 1]
    np.testing.assert_allclose(out["mean"], [5 / 3, 5, -1])
    np.testing.assert_allclose(out["median"], [0, 5, -1])
    np.testing.assert_allclose(out["success_rate"], [1 / 3, 1, 0])
    # p90, linear: [-5, 0, 10] at position 1.8 -> 8; [4, 6] at 0.9 -> 5.8
    np.testing.assert_allclose(out["p90"], [8, 5.8, -1])

    by_half_year = income_by_cohort(table, cohort_months=6)
    assert by_half_year["cohort"].tolist() == [0, 1, 2, 5]
    assert by_half_year["n"].tolist() == [2, 1, 2, 1]

    table["other"] = [1.0, 1, 1, -1, -1, -1]
    assert income_by_cohort(table, value="other")["success_rate"].tolist() == [1, 0, 0]


def test_income_by_cohort_empty_and_bad_width():
    empty = pd.DataFrame({"join_month": pd.Series(dtype="int64"), "net_profit": []})
    out = income_by_cohort(empty)
    assert len(out) == 0
    assert list(out.columns) == ["cohort", "n", "mean", "median", "success_rate", "p90"]
    with pytest.raises(ValueError):
        income_by_cohort(empty, cohort_months=0)


# -------------------------------------------------------- variance explained
GROUPS = {"ability_effort": ["skill", "hours"], "timing_position": ["join_month", "depth"]}


def test_variance_explained_exact_linear_target():
    rng = np.random.default_rng(3)
    n = 400
    table = pd.DataFrame(
        {
            "skill": rng.normal(size=n),
            "hours": rng.uniform(0, 20, size=n),
            "join_month": rng.integers(0, 120, size=n),
            "depth": rng.integers(1, 10, size=n),
        }
    )
    table["net_profit"] = 3 * table["skill"]
    r = variance_explained(table, GROUPS)
    assert r["r2_ability_effort"] == pytest.approx(1.0, abs=1e-12)
    assert r["r2_joint"] == pytest.approx(1.0, abs=1e-12)
    assert 0 <= r["r2_timing_position"] < 0.05
    assert r["shapley_ability_effort"] + r["shapley_timing_position"] == pytest.approx(1.0)
    assert r["shapley_timing_position"] == pytest.approx(r["r2_timing_position"] / 2)


def test_variance_explained_orthogonal_groups_split_exactly():
    # a and b have mean 0 and are orthogonal; y = a + 2b: SS(a) = 4, SS(2b) = 16.
    a = [1.0, -1, 1, -1]
    b = [1.0, 1, -1, -1]
    table = pd.DataFrame({"a": a, "b": b, "net_profit": np.add(a, np.multiply(2, b)) + 5})
    r = variance_explained(table, {"A": ["a"], "B": ["b"]})
    expected = {
        "r2_A": 0.2,
        "r2_B": 0.8,
        "r2_joint": 1.0,
        "shapley_A": 0.2,
        "shapley_B": 0.8,
    }
    assert r.keys() == expected.keys()
    for key, value in expected.items():
        assert r[key] == pytest.approx(value, abs=1e-12), key


def test_variance_explained_shapley_with_overlapping_groups():
    rng = np.random.default_rng(8)
    n = 300
    a = rng.normal(size=n)
    b = a + rng.normal(size=n)  # correlated with a
    c = rng.normal(size=n)
    table = pd.DataFrame({"a": a, "b": b, "c": c, "net_profit": a + b + 0.5 * c})
    two = variance_explained(table, {"A": ["a"], "B": ["b"]})
    assert two["shapley_A"] == pytest.approx((two["r2_A"] + two["r2_joint"] - two["r2_B"]) / 2)
    three = variance_explained(table, {"A": ["a"], "B": ["b"], "C": ["c"]})
    total = three["shapley_A"] + three["shapley_B"] + three["shapley_C"]
    assert total == pytest.approx(three["r2_joint"])
    assert three["r2_joint"] == pytest.approx(1.0)


def test_variance_explained_drops_missing_rows_and_handles_degenerate_input():
    table = pd.DataFrame(
        {
            "x": [1.0, 2, 3, 4, 5],
            "q": pd.array([1, 2, None, 4, 5], dtype="Int64"),
            "net_profit": [2.0, 4, 100, 8, 10],  # row 2 is dropped (q missing)
        }
    )
    r = variance_explained(table, {"X": ["x"], "Q": ["q"]})
    assert r["r2_X"] == pytest.approx(1.0)
    constant = table.assign(net_profit=1.0)
    assert all(math.isnan(v) for v in variance_explained(constant, {"X": ["x"]}).values())
    with pytest.raises(ValueError):
        variance_explained(table, {})
    with pytest.raises(ValueError):
        variance_explained(table, {"joint": ["x"]})


# -------------------------------------------------------------- run metrics
def hand_tables():
    participants = pd.DataFrame(
        {
            "id": [0, 1, 2, 3, 4],
            "join_month": [0, 0, 1, 2, 3],
            "quit_month": pd.array([None, 4, 2, 4, 4], dtype="Int64"),
            "sponsor": pd.array([None, None, 0, 0, 1], dtype="Int64"),
            "retail_profit": [100.0, 50, 0, 10, -10],
            "commissions": [400.0, 100, 0, 0, 0],
            "override_income": [300.0, 50, 0, 0, 0],
            "hours_worked": [100.0, 40, 10, 0, 5],
            "net_profit": [300.0, 50, -100, 0, -60],
            "net_profit_after_time": [100.0, -30, -120, 0, -70],  # wage 2
        }
    )
    monthly = pd.DataFrame(
        {
            "participants": [3, 3, 4, 2],
            "joins": [1, 1, 1, 0],
            "quits": [0, 1, 0, 2],
            "retail_volume": [100.0, 200, 300, 400],
            "internal_volume": [300.0, 300, 200, 200],
            "commissions": [100.0, 100, 200, 100],
            "company_revenue": [400.0, 500, 500, 600],
            "company_margin": [50.0, 60, 70, 20],
            "customers": [4, 6, 5, 5],
            "new_customers": [4, 3, 1, 2],
            "customer_lapses": [0, 1, 2, 1],
        },
        index=pd.RangeIndex(1, 5, name="month"),
    )
    return participants, monthly


def test_run_metrics_hand_built_tables():
    participants, monthly = hand_tables()
    expected = {
        "participants_ever": 5,
        "success_rate": 2 / 5,  # 300, 50
        "success_rate_after_time": 1 / 5,  # 100
        "loss_rate": 2 / 5,  # -100, -60
        "median_net": 0.0,  # sorted -100, -60, 0, 50, 300
        "mean_net": 190 / 5,
        "p90_net": 50 + 0.6 * 250,  # position 0.9 * 4 = 3.6
        "p99_net": 50 + 0.96 * 250,  # position 3.96
        # commissions sorted 0,0,0,100,400; weights 2i-6 = -4,-2,0,2,4 -> 1800 / (5 * 500)
        "gini_commissions": 1800 / 2500,
        # net sorted -100,-60,0,50,300 -> 400+120+0+100+1200 = 1820; T+ + T- = 350 + 160
        "gini_net": 1820 / (5 * 510),
        "top1_share": 0.05 * 400 / 500,  # 0.05 of a person
        "top10_share": 0.5 * 400 / 500,  # half of the top earner
        "override_share": 350 / (150 + 500),
        "retail_share": 1000 / 2000,
        "payout_ratio": 500 / 2000,
        "peak_participants": 4,
        "peak_month": 3,
        "final_participants": 2,
        # month 0 ends with 3 - 1 + 0 = 2; at risk 2+1, 3+1, 3+1, 4+0 = 15; quits 3
        "monthly_churn": 3 / 15,
        "annual_churn": 1 - 0.8**12,
        # customers who could lapse: 0+4, 4+3, 6+1, 5+2 = 25; lapses 4 -> kept 0.84 a month
        "customer_retention": 0.84**12,
        "company_revenue": 2000.0,
        "company_margin": 200.0,
    }
    got = run_metrics(participants, monthly)
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=1e-12), key
        assert type(got[key]) in (int, float), key
    assert got["annual_churn"] == pytest.approx(0.931280523264, abs=1e-12)


def test_run_metrics_opportunity_wage_recomputes_after_time():
    participants, monthly = hand_tables()
    assert run_metrics(participants, monthly, opportunity_wage=2.0)[
        "success_rate_after_time"
    ] == pytest.approx(0.2)
    assert run_metrics(participants, monthly, opportunity_wage=0.0)[
        "success_rate_after_time"
    ] == pytest.approx(0.4)


def test_run_metrics_month_column_instead_of_index():
    participants, monthly = hand_tables()
    shifted = monthly.reset_index().assign(month=[11, 12, 13, 14])
    assert run_metrics(participants, shifted)["peak_month"] == 13


@pytest.mark.parametrize("columns", [True, False])
def test_run_metrics_empty_tables(columns):
    participants, monthly = hand_tables()
    if columns:
        participants, monthly = participants.iloc[:0], monthly.iloc[:0]
    else:
        participants, monthly = pd.DataFrame(), pd.DataFrame()
    got = run_metrics(participants, monthly)
    for count in ("participants_ever", "peak_participants", "final_participants"):
        assert got[count] == 0, count
    for sums in ("company_revenue", "company_margin"):
        assert got[sums] == 0.0, sums
    others = set(got) - {
        "participants_ever",
        "peak_participants",
        "final_participants",
        "company_revenue",
        "company_margin",
    }
    for key in others:
        assert math.isnan(got[key]), key


def test_run_metrics_with_no_participants_but_months():
    participants, monthly = hand_tables()
    got = run_metrics(participants.iloc[:0], monthly)
    assert got["participants_ever"] == 0
    assert math.isnan(got["success_rate"]) and math.isnan(got["gini_net"])
    assert got["retail_share"] == pytest.approx(0.5)
    assert got["peak_participants"] == 4
