"""Rules of model.metrics that tests/test_metrics.py leaves open.

Boundaries (a share of exactly 0 or 1, a count of exactly 10, an income of
exactly $10,000 a year), the month-0 term of churn, the tolerance of
``top_share``, the dtypes of the cohort table, missing values written as
``pd.NA`` in object columns, the error messages, and the calibration measures
of docs/ODD.md section 8.4. Every expected value is worked by hand.
"""

import math
import re

import numpy as np
import pandas as pd
import pytest

from model.metrics import (
    calibration_measures,
    gini,
    gini_signed,
    income_by_cohort,
    lorenz_points,
    run_metrics,
    top_share,
    variance_explained,
)


def raises_exactly(message):
    """`pytest.raises(ValueError)` whose message must be ``message``, whole."""
    return pytest.raises(ValueError, match=f"^{re.escape(message)}$")


# ------------------------------------------------------------------ messages
def test_error_messages_are_stated_in_full():
    with raises_exactly("values must be finite (no NaN, missing or infinite values)"):
        gini([1.0, np.inf])
    with raises_exactly("gini needs non-negative values; use gini_signed"):
        gini([1.0, -0.5])
    with raises_exactly("q must be in [0, 1]"):
        top_share([1.0, 2.0], 1.5)
    with raises_exactly("n_points must be at least 2"):
        lorenz_points([1.0, 2.0], n_points=1)
    table = pd.DataFrame({"join_month": [0], "net_profit": [1.0], "x": [2.0]})
    with raises_exactly("cohort_months must be at least 1"):
        income_by_cohort(table, cohort_months=0)
    with raises_exactly("need at least one group of predictors"):
        variance_explained(table, {})
    with raises_exactly('a group may not be named "joint"'):
        variance_explained(table, {"joint": ["x"]})


# ---------------------------------------------------------- missing values
@pytest.mark.parametrize(
    "values",
    [
        [1.0, None],  # a list: None is a missing value
        pd.Series([1.0, None], dtype=object),
        pd.Series([1.0, pd.NA], dtype=object),
    ],
    ids=["list-None", "object-None", "object-NA"],
)
def test_missing_values_in_any_container_are_rejected_as_not_finite(values):
    with pytest.raises(ValueError, match="must be finite"):
        gini(values)
    with pytest.raises(ValueError, match="must be finite"):
        gini_signed(values)


def test_variance_explained_drops_rows_missing_in_an_object_column():
    # A column written with pd.NA is kept by pandas as object dtype; its row 2 is
    # dropped, and on the rows left y = 2x exactly, so R^2 of X is 1.
    table = pd.DataFrame(
        {
            "x": [1.0, 2, 3, 4, 5],
            "q": [1, 2, pd.NA, 4, 3],
            "net_profit": [2.0, 4, 100, 8, 10],
        }
    )
    assert table["q"].dtype == object
    r = variance_explained(table, {"X": ["x"], "Q": ["q"]})
    assert r["r2_X"] == pytest.approx(1.0, abs=1e-12)
    # Without row 2, q = 1, 2, 4, 3 against y = 2, 4, 8, 10: not a perfect fit.
    assert r["r2_Q"] < 0.9


@pytest.mark.parametrize("y", [[1.0, 2.0, 4.0], [0.1, 0.2, 0.7], [-1.9, -0.2, -0.2, -1.0]])
@pytest.mark.parametrize("level", [1.0, 0.8, 7.0])
def test_a_constant_predictor_explains_nothing_and_never_below_zero(y, level):
    # A constant column adds nothing to the intercept: R^2 is 0 up to rounding,
    # and rounding must not take it below 0 (R^2 is clipped to [0, 1]).
    table = pd.DataFrame({"c": np.full(len(y), level), "net_profit": y})
    r = variance_explained(table, {"C": ["c"]})
    assert 0.0 <= r["r2_C"] <= 1e-12
    assert 0.0 <= r["r2_joint"] <= 1e-12


# ------------------------------------------------------------ lorenz, top share
def test_lorenz_points_default_to_101_population_shares():
    p, share = lorenz_points([1.0, 3.0])
    assert len(p) == len(share) == 101
    assert p[1] == pytest.approx(0.01)
    # [1, 3], total 4: the curve is linear from (0, 0) to (0.5, 0.25), so 0.005 at p = 0.01.
    assert share[1] == pytest.approx(0.005)


def test_top_share_treats_q_n_within_a_billionth_of_a_whole_number_as_that_number():
    ones = np.ones(100)
    # q n = 7.000000001: off 7 by 1e-9 <= 1e-9 * 7, so the top 7 of 100 equal
    # values, exactly 7 / 100 (not 7.000000001 / 100).
    assert top_share(ones, 7.000000001 / 100) == 0.07
    # q n = 1000.0000005: off by 5e-7 <= 1e-9 * 1000 (the tolerance grows with q n),
    # so exactly half of 2000 equal values.
    assert top_share(np.ones(2000), 1000.0000005 / 2000) == 0.5
    # The bound itself counts: q n = 1e-9 is within 1e-9 * max(1, 1e-9) of 0.
    assert top_share([4.0], 1e-9) == 0.0


def test_top_share_keeps_a_fraction_beyond_the_tolerance():
    # q n = 1.5e-9 is more than 1e-9 * max(1, q n) = 1e-9 from 0: 1.5e-9 of the one person.
    assert top_share([4.0], 1.5e-9) == pytest.approx(1.5e-9, rel=1e-9)
    # q n = 1 + 1.5e-9, more than 1e-9 from 1: the top person and 1.5e-9 of the next.
    assert top_share([3.0, 1.0], (1 + 1.5e-9) / 2) == pytest.approx(
        (3.0 + 1.5e-9 * 1.0) / 4.0, rel=1e-15
    )


# ----------------------------------------------------------------- by cohort
def test_income_by_cohort_column_dtypes():
    table = pd.DataFrame({"join_month": [0, 13, 14], "net_profit": [1.0, 2.0, 4.0]})
    out = income_by_cohort(table)
    assert out["cohort"].tolist() == [0, 1]
    assert out["cohort"].dtype == np.int64
    assert out["n"].dtype == np.int64
    for column in ("mean", "median", "success_rate", "p90"):
        assert out[column].dtype == np.float64, column


def test_income_by_cohort_empty_table_keeps_the_dtypes():
    empty = pd.DataFrame({"join_month": pd.Series(dtype="int64"), "net_profit": []})
    out = income_by_cohort(empty)
    expected = {
        "cohort": "int64",
        "n": "int64",
        "mean": "float64",
        "median": "float64",
        "success_rate": "float64",
        "p90": "float64",
    }
    assert {c: str(out[c].dtype) for c in out.columns} == expected


def test_income_by_cohort_of_one_participant():
    table = pd.DataFrame({"join_month": [30], "net_profit": [-4.0]})
    out = income_by_cohort(table)  # 30 // 12 = 2
    assert out.to_dict("list") == {
        "cohort": [2],
        "n": [1],
        "mean": [-4.0],
        "median": [-4.0],
        "success_rate": [0.0],
        "p90": [-4.0],
    }


def test_income_by_cohort_of_one_month_cohorts():
    table = pd.DataFrame({"join_month": [0, 1, 1, 3], "net_profit": [1.0, 2.0, -2.0, 5.0]})
    out = income_by_cohort(table, cohort_months=1)  # the cohort is the join month
    assert out["cohort"].tolist() == [0, 1, 3]
    assert out["n"].tolist() == [1, 2, 1]
    assert out["mean"].tolist() == [1.0, 0.0, 5.0]
    assert out["success_rate"].tolist() == [1.0, 0.5, 1.0]


def test_income_by_cohort_floors_months_before_zero():
    # join_month // 12 rounds down: -1 and -12 are in cohort -1, -13 in cohort -2
    # (months counted from a later reference month).
    table = pd.DataFrame({"join_month": [-13, -12, -1, 0], "net_profit": [1.0, 2.0, 3.0, 4.0]})
    out = income_by_cohort(table)
    assert out["cohort"].tolist() == [-2, -1, 0]
    assert out["n"].tolist() == [1, 2, 1]
    assert out["mean"].tolist() == [1.0, 2.5, 4.0]


# -------------------------------------------------------------- run metrics
def monthly_table(**columns):
    """A monthly table with the given columns and every other run-metrics column 0."""
    months = len(next(iter(columns.values())))
    names = [
        "participants",
        "joins",
        "quits",
        "retail_volume",
        "internal_volume",
        "commissions",
        "company_revenue",
        "company_margin",
        "customers",
        "new_customers",
        "customer_lapses",
    ]
    data = {name: columns.get(name, [0] * months) for name in names}
    return pd.DataFrame(data, index=pd.RangeIndex(1, months + 1, name="month"))


def participant_table(**columns):
    """A participant table with the given columns and every other run-metrics column 0."""
    rows = len(next(iter(columns.values())))
    names = [
        "net_profit",
        "net_profit_after_time",
        "commissions",
        "retail_profit",
        "override_income",
    ]
    return pd.DataFrame({name: columns.get(name, [0.0] * rows) for name in names})


def test_churn_counts_month_zero_from_the_first_row():
    # End of month 0 = participants_1 - joins_1 + quits_1 = 5 - 2 + 1 = 4
    # (check: 4 + 2 - 1 = 5, 5 + 3 - 2 = 6, 6 + 0 - 2 = 4).
    # At risk: 4 + 2, 5 + 3, 6 + 0 = 20; quits 1 + 2 + 2 = 5.
    monthly = monthly_table(participants=[5, 6, 4], joins=[2, 3, 0], quits=[1, 2, 2])
    got = run_metrics(participant_table(net_profit=[1.0]), monthly)
    assert got["monthly_churn"] == pytest.approx(5 / 20, abs=1e-12)
    assert got["annual_churn"] == pytest.approx(1 - 0.75**12, abs=1e-12)


def test_any_positive_net_profit_is_a_success():
    participants = participant_table(
        net_profit=[0.5, 1.0, -0.5, 0.0],
        net_profit_after_time=[0.25, -1.0, 0.75, 0.0],
    )
    got = run_metrics(participants, pd.DataFrame())
    assert got["success_rate"] == pytest.approx(2 / 4)  # 0.5 and 1.0
    assert got["loss_rate"] == pytest.approx(1 / 4)  # -0.5
    assert got["success_rate_after_time"] == pytest.approx(2 / 4)  # 0.25 and 0.75


def test_top_shares_of_a_single_earner_of_less_than_a_dollar():
    # One participant with all the commissions: the top 1% is 0.01 of that person,
    # so 0.01 of the total, and the top 10% is 0.1 of it.
    got = run_metrics(participant_table(commissions=[0.5]), pd.DataFrame())
    assert got["top1_share"] == pytest.approx(0.01, abs=1e-15)
    assert got["top10_share"] == pytest.approx(0.1, abs=1e-15)
    # Two earners of 0.25 each: the top 1% is 0.02 of a person holding half.
    got = run_metrics(participant_table(commissions=[0.25, 0.25]), pd.DataFrame())
    assert got["top1_share"] == pytest.approx(0.02 * 0.25 / 0.5, abs=1e-15)


def test_peak_month_needs_at_least_one_participant():
    got = run_metrics(participant_table(net_profit=[1.0]), monthly_table(participants=[0, 0, 0]))
    assert got["peak_participants"] == 0
    assert math.isnan(got["peak_month"])
    got = run_metrics(participant_table(net_profit=[1.0]), monthly_table(participants=[0, 1, 1, 0]))
    assert got["peak_participants"] == 1
    assert got["peak_month"] == 2  # the first month with the peak


# ------------------------------------------------------- calibration measures
def calibration_monthly(months, **columns):
    """A monthly table of ``months`` rows for `calibration_measures`, other columns 0."""
    names = [
        "participants",
        "members",
        "quits",
        "customers",
        "commissions",
        "potential_commissions",
        "qualified",
        "qualified_gross_income",
        "consumer_sales",
    ]
    return pd.DataFrame({name: columns.get(name, [0] * months) for name in names})


def calibration_people(**columns):
    """A participant table for `calibration_measures`; money columns default to 0."""
    rows = len(columns["join_month"])
    defaults = {
        "quit_month": pd.array([None] * rows, dtype="Int64"),
        "motive": ["business"] * rows,
        "retail_profit": [0] * rows,
        "commissions": [0] * rows,
        "fees": [0.0] * rows,
        "business_expenses": [0.0] * rows,
        "lead_spend": [0.0] * rows,
        "product_spend_excess": [0.0] * rows,
    }
    return pd.DataFrame({**defaults, **columns})


def quit_ratio_people(quit_month):
    """Ten participants from month 0 in a 12-month run (integer dollars).

    Person 0 earns $3 and quits in month 3, person 9 earns $600 and quits in
    month 6, persons 1-8 earn $12 (i + 1) and stay.
    """
    commissions = [3] + [12 * (i + 1) for i in range(1, 9)] + [600]
    return calibration_people(join_month=[0] * 10, quit_month=quit_month, commissions=commissions)


QUITS = [3, None, None, None, None, None, None, None, None, 6]


@pytest.mark.parametrize(
    "quit_month",
    [pd.array(QUITS, dtype="Int64"), [pd.NA if q is None else q for q in QUITS]],
    ids=["Int64", "object-NA"],
)
def test_top_decile_quit_ratio_with_exactly_ten_exposed(quit_month):
    # Exposures 3, 12 x 8, 6 (quitters up to their quit month); gross per month
    # 1, 2, ..., 9, 100. The 90th percentile (position 8.1) is 9 + 0.1 * 91 = 18.1,
    # so the top decile is person 9: 1 quit in 6 months. All: 2 quits in
    # 3 + 96 + 6 = 105 months. Ratio (1/6) / (2/105) = 105/12 = 8.75.
    people = quit_ratio_people(quit_month)
    got = calibration_measures(people, calibration_monthly(12), n_people=20)
    assert got["top_decile_quit_ratio"] == pytest.approx(8.75, rel=1e-12)
    # Gross per year 12, 24, ..., 108, 1200: all under $10,000.
    assert got["affiliates_under_10k"] == 1.0


def test_top_decile_quit_ratio_is_nan_with_fewer_than_ten_exposed():
    # Nine exposed participants (person 9 joins in the last month, exposure 0),
    # one of whom quit: too few for a decile.
    people = calibration_people(
        join_month=[0] * 9 + [12],
        quit_month=pd.array([3] + [None] * 9, dtype="Int64"),
        commissions=[10 * (i + 1) for i in range(10)],
    )
    got = calibration_measures(people, calibration_monthly(12), n_people=20)
    assert math.isnan(got["top_decile_quit_ratio"])


def affiliate_people():
    """Five participants in a 12-month run, worked in the tests below.

    p0: business, from month 0, $10,000 in 12 months (exactly $10,000 a year).
    p1: business, from month 0, $9,600 (800 a month, 9,600 a year).
    p2: business, joins in month 11, $500 in its one month (6,000 a year).
    p3: discount, joins in month 1, quits in month 4, $0.
    p4: discount, joins in month 12 (the last), exposure 0.
    """
    return calibration_people(
        join_month=[0, 0, 11, 1, 12],
        quit_month=pd.array([None, None, None, 4, None], dtype="Int64"),
        motive=["business", "business", "business", "discount", "discount"],
        retail_profit=[0.0, 600.0, 0.0, 0.0, 0.0],
        commissions=[10_000.0, 9_000.0, 500.0, 0.0, 0.0],
        fees=[100.0, 100.0, 0.0, 10.0, 0.0],
        business_expenses=[50.0, 0.0, 0.0, 0.0, 0.0],
        lead_spend=[30.0, 60.0, 40.0, 0.0, 0.0],
        product_spend_excess=[20.0, 0.0, 0.0, 0.0, 0.0],
    )


def test_affiliates_under_10k_counts_one_month_of_exposure_and_not_10k_itself():
    got = calibration_measures(affiliate_people(), calibration_monthly(12), n_people=10)
    # Exposed: p0-p3 (exposures 12, 12, 1, 3). Under $10,000 a year: p1 (9,600),
    # p2 (6,000), p3 (0); p0's $10,000 is not under it.
    assert got["affiliates_under_10k"] == pytest.approx(3 / 4)


def test_expenses_per_year_and_discount_joiners():
    got = calibration_measures(affiliate_people(), calibration_monthly(12), n_people=10)
    # Business costs: p0 100 + 50 + 30 + 20 = 200, p1 100 + 60 = 160, p2 40: 400
    # over 12 + 12 + 1 = 25 months in the business; p3's fee is not a business cost.
    assert got["expenses_per_year"] == pytest.approx(400 / (25 / 12))
    # Joiners after month 0: p2 (business, month 11), p3 (month 1), p4 (month 12).
    assert got["discount_joiners"] == pytest.approx(2 / 3)


def test_breakage_needs_a_positive_potential():
    people = calibration_people(join_month=[0])
    zero = calibration_monthly(2, commissions=[0.0, 0.0], potential_commissions=[0.0, 0.0])
    assert math.isnan(calibration_measures(people, zero, n_people=1)["breakage"])
    # A potential under a dollar still counts: 1 - 0.25 / 0.5.
    small = calibration_monthly(2, commissions=[0.25, 0.0], potential_commissions=[0.25, 0.25])
    assert calibration_measures(people, small, n_people=1)["breakage"] == pytest.approx(0.5)


def test_customers_per_seller_skips_months_without_a_seller():
    # Sellers (participants - members): 0, 1, 1; buyers (customers + members): 6, 5, 7.
    # Month 1 has no seller and is left out: mean of 5/1 and 7/1 = 6.
    monthly = calibration_monthly(3, participants=[2, 3, 1], members=[2, 2, 0], customers=[4, 3, 7])
    got = calibration_measures(calibration_people(join_month=[0]), monthly, n_people=1)
    assert got["customers_per_seller"] == pytest.approx(6.0)


def test_top_decile_includes_everyone_tied_at_the_cut():
    # Ten participants from month 0 in a 12-month run. Gross per month: person 0 $1 (quits
    # in month 3 with $3), persons 1-7 $2..$8, persons 8 and 9 $100 (8 stays, $1,200; 9
    # quits in month 6, $600). The 90th percentile (position 8.1) is 100 + 0.1 x 0 = 100,
    # which both top earners reach: top decile 1 quit in 12 + 6 = 18 months. All: 2 quits
    # in 3 + 12 x 8 + 6 = 105 months. Ratio (1/18) / (2/105) = 105/36.
    commissions = [3] + [12 * (i + 1) for i in range(1, 8)] + [1200, 600]
    people = calibration_people(
        join_month=[0] * 10,
        quit_month=pd.array([3] + [None] * 8 + [6], dtype="Int64"),
        commissions=commissions,
    )
    got = calibration_measures(people, calibration_monthly(12), n_people=20)
    assert got["top_decile_quit_ratio"] == pytest.approx(105 / 36, rel=1e-12)
