"""The calibrated mechanisms, each checked against a hand-derived expectation."""

import itertools

import numpy as np
import pytest

from model import MarketModel
from model.bass import bass_month_hazard
from model.population import BUSINESS, DISCOUNT

SMALL = {"n_people": 600, "mean_degree": 10}
RICH = {"kind": "constant", "mean": 10_000.0}


def months_in_business(table, months):
    end = table.quit_month.fillna(months).to_numpy(dtype=float)
    return end - table.join_month.to_numpy(dtype=float)


def test_discount_members_join_only_where_membership_pays():
    m = MarketModel(
        rng=3, recruit_prob=0.0, customer_join_prob=0.0, discount_join_prob=0.5, **SMALL
    )
    m.run(24)
    table = m.participant_table()
    joiners = table[table.join_month > 0]
    assert len(joiners) > 10
    assert (joiners.motive == "discount").all()
    saving = joiners.consumption * joiners.affinity * 50.0 * 0.35  # retail x discount
    assert (saving * 12 > 100.0).all()  # a year's saving beats the $100 starter kit


def test_referral_has_no_discount_to_join_for():
    m = MarketModel(rng=3, plan="referral", discount_join_prob=1.0, **SMALL)
    m.run(24)
    assert (m.participant_table().motive == "business").all()


def test_running_costs_follow_activity():
    """No contacts and no customers: a business participant pays only the fixed cost,
    every month in the business; a discount member pays nothing."""
    months = 18
    m = MarketModel(
        rng=5,
        contacts_per_hour=0.0,
        cost_per_customer=0.0,
        fixed_cost=12.0,
        budget=RICH,
        bass_p=2.0,
        discount_join_prob=0.5,
        customer_join_prob=0.0,
        **SMALL,
    )
    m.run(months)
    table = m.participant_table()
    business = table[table.motive == "business"]
    members = table[table.motive == "discount"]
    assert len(members) > 0
    np.testing.assert_allclose(
        business.business_expenses, 12.0 * months_in_business(business, months)
    )
    assert (members.business_expenses == 0).all()


def test_business_participants_keep_autoship_at_the_minimum():
    """With ample budget every business participant buys up to 100 PV a month; members
    buy only their own use."""
    m = MarketModel(rng=6, budget=RICH, **SMALL)
    m.run(12)
    months = m.monthly_table()
    pop = m.population
    business = int((pop.active & (pop.motive == BUSINESS)).sum())
    members_qualified = np.sum(
        pop.active
        & (pop.motive == DISCOUNT)
        & (pop.consumption * pop.affinity * 32.5 >= 100 - 1e-9)
    )
    # month 12: quitters of month 12 were qualified too, and are counted at pay time
    at_pay = business + members_qualified + months.quits.iloc[-1]
    assert months.qualified.iloc[-1] <= at_pay
    assert months.qualified.iloc[-1] >= business + members_qualified


def test_customers_of_quitters_pass_to_an_active_participant_in_mlm():
    m = MarketModel(rng=7, base_quit_prob=0.2, **SMALL)
    for _ in range(24):
        m.step()
        pop = m.population
        sellers = pop.seller[pop.customer & (pop.seller >= 0)]
        assert pop.active[sellers].all()


def test_hours_follow_earnings():
    m = MarketModel(rng=8, effort_response=0.5, expected_wage=10.0, member_effort=0.1, **SMALL)
    pop = m.population
    sellers = np.flatnonzero(pop.active)[:3]
    pop.motive[sellers] = BUSINESS
    pop.hours[sellers] = 20.0
    pop.perceived_income[sellers] = [0.0, 200.0, 600.0]  # expected: 10 $/h x 20 h = 200
    np.testing.assert_allclose(m._hours_this_month(sellers), [10.0, 20.0, 40.0])
    pop.motive[sellers[0]] = DISCOUNT
    assert m._hours_this_month(sellers)[0] == pytest.approx(0.1 * 20.0)


@pytest.mark.parametrize(("p", "q"), [(0.01, 0.38), (0.05, 0.9)])
def test_bass_step_is_exact_on_the_mean_field(p, q):
    """Equal weights, everyone seeing the population share: the month's adoption chance
    is (F(t + dt) - F(t)) / (1 - F(t)) of the closed-form curve."""
    t = np.arange(0, 10, 1 / 12)
    decay = np.exp(-(p + q) * t)
    curve = (1 - decay) / (1 + (q / p) * decay)
    dt = 1 / 12
    for f0, f1 in itertools.pairwise(curve):
        hazard = bass_month_hazard(np.ones(5), np.full(5, f0), p, q, dt)
        np.testing.assert_allclose(-np.expm1(-hazard), (f1 - f0) / (1 - f0), rtol=1e-9)


def test_bass_step_scales_with_each_prospects_weight():
    hazard = bass_month_hazard(np.array([0.5, 1.0]), np.array([0.2, 0.2]), 0.03, 0.4, 1 / 12)
    assert hazard[1] == pytest.approx(2 * hazard[0])


def test_calibration_measures_on_hand_worked_tables():
    import pandas as pd

    from model.metrics import calibration_measures

    monthly = pd.DataFrame(
        {
            "participants": [4, 4],
            "joins": [0, 1],
            "quits": [0, 1],
            "customers": [6, 8],
            "members": [2, 2],
            "retail_volume": [100.0, 100.0],
            "internal_volume": [300.0, 300.0],
            "commissions": [120.0, 120.0],
            "potential_commissions": [150.0, 150.0],
            "qualified": [2, 3],
            "qualified_gross_income": [400.0, 600.0],
            "consumer_sales": [500.0, 500.0],
            "company_revenue": [0.0, 0.0],
            "company_margin": [0.0, 0.0],
        }
    )
    people = pd.DataFrame(
        {
            "join_month": [0, 0, 0, 0, 2],
            "quit_month": pd.array([None, None, None, 2, None], dtype="Int64"),
            "motive": ["business", "business", "discount", "discount", "discount"],
            "retail_profit": [10.0, 0.0, 0.0, 0.0, 0.0],
            "commissions": [2_000.0, 0.0, 0.0, 0.0, 0.0],
            "override_income": [0.0] * 5,
            "net_profit": [0.0] * 5,
            "net_profit_after_time": [0.0] * 5,
            "hours_worked": [0.0] * 5,
            "fees": [100.0, 100.0, 0.0, 0.0, 0.0],
            "business_expenses": [30.0, 10.0, 0.0, 0.0, 0.0],
            "lead_spend": [0.0, 0.0, 0.0, 0.0, 20.0],
            "product_spend_excess": [60.0, 0.0, 0.0, 0.0, 0.0],
        }
    )
    got = calibration_measures(people, monthly, n_people=50)
    assert got["breakage"] == pytest.approx(1 - 240 / 300)
    assert got["ever_participated"] == pytest.approx(5 / 50)
    assert got["active_share"] == pytest.approx(5 / 9)  # 4 + 4 + 1 quitter at pay time
    assert got["gross_income_active"] == pytest.approx(1000 / 5)
    assert got["sales_per_seller"] == pytest.approx(1000 / (4 / 12))  # 2 sellers x 2 months
    assert got["customers_per_seller"] == pytest.approx(np.mean([8 / 2, 10 / 2]))
    assert got["discount_joiners"] == pytest.approx(1.0)  # the one joiner after month 0
    # business participants 0 and 1: 300 of costs over 2 + 2 months in the business
    assert got["expenses_per_year"] == pytest.approx(300 / (4 / 12))
    assert got["affiliates_under_10k"] == pytest.approx(3 / 4)  # 2,010 over 2 months is 12k a year


def lone_founder(**kw):
    return MarketModel(
        rng=9,
        n_founders=1,
        contacts_per_hour=0.0,
        bass_p=0.0,
        bass_q=0.0,
        budget=RICH,
        plan_params={"rates": [0.10, 0.05]},
        **SMALL,
        **kw,
    )


def test_outside_uplines_are_paid_the_levels_above_the_market():
    """A lone founder on autoship buys 100 PV a month; with no market uplines to compare
    with, both outside uplines qualify and receive 10% and 5% of it."""
    m = lone_founder()
    m.run(3)
    months = m.monthly_table()
    np.testing.assert_allclose(months.outside_commissions, [15.0, 15.0, 15.0])
    np.testing.assert_allclose(months.commissions, months.outside_commissions)
    assert m.participant_table().commissions.sum() == 0
    m.check_invariants()  # the company's payout to outside uplines is booked


def test_without_outside_uplines_the_company_keeps_the_levels_above_the_market():
    m = lone_founder(outside_upline=False)
    m.run(3)
    assert (m.monthly_table().commissions == 0).all()


def test_outside_uplines_qualify_like_the_markets_uplines():
    """Half of the market's uplines qualify: each outside upline qualifies half the time."""
    m = MarketModel(rng=10, **SMALL)
    pop = m.population
    people = np.arange(8)
    pop.active[people] = True
    pop.upline[people] = [-1, 0, -1, 2, -1, 4, -1, 6]  # uplines: 0, 2, 4, 6
    qualified = np.zeros(pop.n, dtype=bool)
    qualified[[0, 2, 1]] = True  # two of the four uplines, and one non-upline
    assert m._upline_qualified_share(qualified) == pytest.approx(0.5)
