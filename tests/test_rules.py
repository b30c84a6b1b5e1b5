"""Each monthly rule of docs/ODD.md, applied by hand to a state set up by hand.

Every test builds a small model on explicit parameters (never the defaults,
which calibration changes), puts people into a known state, applies one rule
(one private step method of `MarketModel`) and compares with numbers worked
out by hand from the ODD. Stochastic rules are checked either where their
probabilities are 0 or 1, or against a share with a tolerance of four
standard errors of a binomial (or Poisson) mean, derived from the ODD formula.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from model import MarketModel
from model.ledger import Account, Ledger, Row
from model.model import MonthFlows
from model.population import BUSINESS, DISCOUNT, NO_ONE


def const(value: float) -> dict:
    return {"kind": "constant", "mean": value}


def small(n: int = 40, **params) -> MarketModel:
    """A model of n people on a complete graph, nobody joined, with quiet defaults."""
    base = {
        "n_people": n,
        "n_founders": 0,
        "network": "complete",
        "plan": "unilevel",
        "affinity": const(0.5),
        "consumption": const(1.0),
        "skill": const(1.0),
        "propensity": const(1.0),
        "hours": const(10.0),
        "budget": const(1000.0),
        "expected_wage": 10.0,
        "effort_response": 0.0,
        "base_quit_prob": 0.0,
        "disappointment_weight": 0.0,
        "loss_weight": 0.0,
        "income_smoothing": 1.0,
        "neg_wom_reach": 0.0,
        "training_effect": 0.0,
        "training_cost": 0.0,
        "outside_upline": False,
    }
    base.update(params)
    return MarketModel(rng=11, **base)


def flows(m: MarketModel) -> MonthFlows:
    n = m.population.n
    return MonthFlows(
        pv=np.zeros(n),
        customer_sales=np.zeros(n),
        budget_left=m.population.budget.copy(),
        worked=np.zeros(n),
        contacts=np.zeros(n),
        served=np.zeros(n),
    )


def join(m: MarketModel, people, motive: int = BUSINESS, sponsors=None) -> np.ndarray:
    people = np.asarray(people, dtype=np.int64)
    sponsors = np.full(people.size, NO_ONE) if sponsors is None else np.asarray(sponsors)
    m._join(people, sponsors, motive)
    return people


def within(share: float, p: float, n: int) -> bool:
    """Whether a binomial share of n trials is within four standard errors of p."""
    return abs(share - p) <= 4 * math.sqrt(p * (1 - p) / n) + 1e-12


# ---------------------------------------------------------------- step 1: prospecting
@pytest.mark.parametrize("effect", [0.0, 1.0, 2.5])
def test_training_effect_multiplies_warm_contacts(effect):
    """Contacts ~ Poisson(contacts_per_hour x hours x skill x (1 + training_effect))."""
    n = 3000
    m = small(n, contacts_per_hour=0.4, training_effect=effect, skill=const(1.5))
    join(m, np.arange(n))
    m.month = 1
    f = flows(m)
    m._prospect(f)
    mean = 0.4 * 10.0 * 1.5 * (1 + effect)
    assert abs(f.contacts.mean() - mean) <= 4 * math.sqrt(mean / n)


def test_hours_follow_the_gap_between_income_and_expectation():
    """worked = min(hours x (1 + r max(g, -1)), max_hours), g = (y - E) / E; members work less."""
    m = small(20, effort_response=0.5, max_hours=14.0, member_effort=0.3)
    join(m, [0, 1, 2, 3, 4])
    join(m, [5], DISCOUNT)
    m.population.perceived_income[:5] = [100.0, 150.0, 50.0, -300.0, 200.0]  # E = 100
    worked = m._hours_this_month(np.arange(6))
    np.testing.assert_allclose(worked, [10.0, 12.5, 7.5, 5.0, 14.0, 3.0])


# ---------------------------------------------------------------- step 2b: customers join
@pytest.mark.parametrize("plan", ["unilevel", "referral"])
def test_customers_join_under_their_seller_only_while_the_seller_is_active(plan):
    m = small(20, plan=plan, customer_join_prob=1.0, discount_join_prob=0.0)
    join(m, [0, 1])
    m.month = 1
    pop = m.population
    pop.active[1], pop.former[1] = False, True  # 1 has quit
    pop.customer[[5, 6, 7]] = True
    pop.seller[[5, 6, 7]] = [0, 1, NO_ONE]
    m._customers_join(flows(m))
    assert pop.active[[5, 6, 7]].all()
    assert pop.sponsor[[5, 6, 7]].tolist() == [0, NO_ONE, NO_ONE]
    assert pop.depth[[5, 6, 7]].tolist() == [2, 1, 1]


def test_customers_join_for_the_business_with_probability_join_prob_times_propensity():
    n = 4000
    m = small(n, customer_join_prob=0.5, propensity=const(0.4), discount_join_prob=0.0)
    pop = m.population
    pop.customer[:] = True
    m._customers_join(flows(m))
    assert within(pop.active.mean(), 0.2, n)
    assert (pop.motive[pop.active] == BUSINESS).all()


# ---------------------------------------------------------------- step 5: fees and costs
def test_a_small_monthly_fee_is_charged():
    m = small(20, plan_params={"monthly_fee": 0.5})
    join(m, [0])
    before = m.ledger.rows[Row.FEES][0]
    m._book_running_costs(flows(m))
    assert m.ledger.rows[Row.FEES][0] - before == pytest.approx(-0.5)


def test_the_month_is_recorded_from_its_flows_and_the_ledger():
    m = small(20, plan_params={"starter_fee": 10.0})  # the company holds 30 before the month
    join(m, [0, 1])
    join(m, [2], DISCOUNT)
    m.population.customer[[5, 6, 7]] = True
    m._company_totals = (m.ledger.company_receipts, m.ledger.outside[Account.COMPANY])
    m.ledger.person_to_outside(np.array([5]), np.array([40.0]), Row.CONSUMPTION, Account.COMPANY)
    m.ledger.company_buys_goods(15.0)
    f = flows(m)
    f.new_customers, f.retail_volume, f.internal_volume, f.consumer_sales = 3, 4.0, 5.0, 6.0
    f.customer_lapses = 2
    f.stats["commissions"] = 7.0
    m.month = 1
    m._record(f)
    stats = m.monthly_table().iloc[-1]
    assert stats["participants"] == 3 and stats["members"] == 1 and stats["customers"] == 3
    assert (stats["new_customers"], stats["retail_volume"]) == (3, 4.0)
    assert stats["customer_lapses"] == 2
    assert (stats["internal_volume"], stats["consumer_sales"]) == (5.0, 6.0)
    assert (stats["company_revenue"], stats["company_margin"]) == (40.0, 25.0)
    assert stats["commissions"] == 7.0
    assert stats["joins"] == 3 and m.month_stats["joins"] == 0  # counted, then reset


def test_fees_and_running_costs_are_charged_by_motive():
    """Monthly fee to all, training_cost to business only; contact, customer and fixed costs."""
    m = small(
        20,
        training_cost=25.0,
        cost_per_contact=2.0,
        cost_per_customer=3.0,
        fixed_cost=7.0,
        plan_params={"monthly_fee": 4.0},
    )
    join(m, [0, 1, 2])
    join(m, [3], DISCOUNT)
    fees_before = m.ledger.rows[Row.FEES].copy()
    f = flows(m)
    f.contacts[[0, 3]] = [5, 2]
    f.served[[1, 3]] = [4, 1]
    f.budget_left[2] = 3.0  # running costs are cut to what is left of the budget
    m._book_running_costs(f)
    fees = m.ledger.rows[Row.FEES] - fees_before
    np.testing.assert_allclose(fees[:5], [-29.0, -29.0, -29.0, -4.0, 0.0])
    np.testing.assert_allclose(
        m.ledger.rows[Row.EXPENSES][:5], [-(10 + 7), -(12 + 7), -3.0, -(4 + 3), 0.0]
    )
    assert not fees[5:].any() and not m.ledger.rows[Row.EXPENSES][5:].any()


# ---------------------------------------------------------------- step 7: drop-out
def _quitters(m: MarketModel, net: np.ndarray) -> np.ndarray:
    pop = m.population
    m._monthly_net = net
    m.month = 1
    m._drop_out(flows(m))
    return pop.former


@pytest.mark.parametrize(
    ("income", "loss", "hazard"),
    [
        (100.0, 0.0, 0.02),  # content: base only
        (200.0, 0.0, 0.02),  # earning more than expected does not lower the hazard below base
        (50.0, 0.0, 0.02 + 0.4 * 0.5),  # half the expected income: half the income term
        (-80.0, 0.0, 0.02 + 0.4),  # earning nothing or losing: the full income term
        (100.0, 3000.0, 0.02 + 0.3 * 0.5),  # loss = tolerance: half the loss term
        (25.0, 9000.0, 0.02 + 0.4 * 0.75 + 0.3 * 0.75),
    ],
)
def test_business_drop_out_hazard(income, loss, hazard):
    """hazard = base + w_d clip((E - y)/E, 0, 1) + w_l L/(L + T), E = 100, T = 3 x 1000."""
    n = 4000
    m = small(
        n,
        base_quit_prob=0.02,
        disappointment_weight=0.4,
        loss_weight=0.3,
        loss_tolerance_months=3.0,
    )
    join(m, np.arange(n))
    m._net_before = np.full(n, -loss)
    former = _quitters(m, np.full(n, income))
    assert within(former.mean(), hazard, n)


def test_perceived_income_is_smoothed_and_newcomers_do_not_quit():
    m = small(20, base_quit_prob=1.0, income_smoothing=0.3)
    join(m, [0, 1, 2])
    m.population.perceived_income[[0, 1]] = [100.0, 0.0]
    m.population.join_month[2] = 1  # joined this month
    net = np.zeros(20)
    net[:3] = [0.0, 50.0, 20.0]
    former = _quitters(m, net)
    # 2 kept the income it was promised on joining (E = 100): 0.3 x 20 + 0.7 x 100
    np.testing.assert_allclose(m.population.perceived_income[:3], [70.0, 15.0, 76.0])
    assert np.flatnonzero(former).tolist() == [0, 1]
    assert m.population.quit_month[:4].tolist() == [1, 1, NO_ONE, NO_ONE]


def test_only_those_who_quit_at_a_loss_tell_their_story():
    m = small(20, base_quit_prob=1.0)
    join(m, [0, 1, 2])
    m._net_before = np.zeros(20)
    m._net_before[:3] = [-5.0, 5.0, 0.0]
    f = flows(m)
    m._monthly_net = np.zeros(20)
    m.month = 1
    m._drop_out(f)
    assert np.concatenate(f.unhappy).tolist() == [0]


# ---------------------------------------------------------------- step 7b: negative word of mouth
def test_unhappy_stories_reach_every_tie_and_cut_receptivity():
    """reach 1: each tie of a teller hears one story per teller; receptivity x (1 - s)^stories."""
    m = small(20, neg_wom_reach=1.0, neg_wom_strength=0.2, saturation_contacts=2.0)
    m.population.contacts_received[5] = 2.0
    f = flows(m)
    f.unhappy.append(np.array([0, 1]))
    m._spread_unhappiness(f)
    stories = m.population.stories_heard
    assert stories.tolist() == [1, 1] + [2] * 18
    expected = np.full(20, 0.64)
    expected[:2] = 0.8
    expected[5] = 0.64 * math.exp(-1.0)
    np.testing.assert_allclose(m._receptivity, expected)


def test_each_tie_hears_a_story_with_probability_reach():
    n = 3000
    m = small(n, neg_wom_reach=0.3)
    f = flows(m)
    f.unhappy.append(np.array([0]))
    m._spread_unhappiness(f)
    assert within((m.population.stories_heard[1:] > 0).mean(), 0.3, n - 1)


def test_without_reach_no_story_spreads():
    m = small(20, neg_wom_reach=0.0)
    f = flows(m)
    f.unhappy.append(np.array([0, 1]))
    m._spread_unhappiness(f)
    assert not m.population.stories_heard.any()


# ---------------------------------------------------------------- joining (ODD 7.10)
def test_joining_sets_depth_fee_and_promised_income():
    m = small(20, plan_params={"starter_fee": 40.0})
    join(m, [0])
    join(m, [1, 2], sponsors=[0, 0])
    join(m, [3], sponsors=[1])
    join(m, [4], DISCOUNT, sponsors=[3])
    pop = m.population
    assert pop.depth[:5].tolist() == [1, 2, 2, 3, 4]
    assert pop.sponsor[:5].tolist() == [NO_ONE, 0, 0, 1, 3]
    assert pop.active[:5].all() and not pop.active[5:].any()
    np.testing.assert_allclose(m.ledger.rows[Row.FEES][:6], [-40.0] * 5 + [0.0])
    # business participants start expecting expected_wage x hours; members expect nothing
    np.testing.assert_allclose(pop.perceived_income[:5], [100.0] * 4 + [0.0])


# ---------------------------------------------------------------- step 4: purchases
def _buying_market(plan: str) -> tuple[MarketModel, MonthFlows]:
    """Seller 0; customers 5 and 6 of 0, customer 7 of the company; everyone buys 2 units."""
    m = small(
        20,
        plan=plan,
        affinity=const(1.0),
        consumption=const(2.0),
        retail_price=50.0,
        distributor_discount=0.4,  # wholesale 30
    )
    join(m, [0])
    pop = m.population
    pop.customer[[5, 6, 7]] = True
    pop.seller[[5, 6, 7]] = [0, 0, NO_ONE]
    f = flows(m)
    m._customer_purchases(f)
    return m, f


def test_resale_customers_buy_from_their_seller_at_retail():
    m, f = _buying_market("unilevel")
    rows = m.ledger.rows
    np.testing.assert_allclose(rows[Row.CONSUMPTION][[5, 6, 7]], [-100.0, -100.0, -100.0])
    assert rows[Row.RETAIL_SALES][0] == pytest.approx(200.0)
    assert rows[Row.RESALE_COST][0] == pytest.approx(-4 * 30.0)
    assert f.pv[0] == pytest.approx(120.0) and f.served[0] == 2
    assert f.customer_sales.sum() == 0
    assert f.units_shipped == pytest.approx(6.0)
    assert f.retail_volume == pytest.approx(6 * 30.0) and f.consumer_sales == pytest.approx(300)


def test_referral_customers_buy_from_the_company_and_credit_their_seller():
    m, f = _buying_market("referral")
    rows = m.ledger.rows
    assert rows[Row.RETAIL_SALES].sum() == 0 and rows[Row.RESALE_COST].sum() == 0
    assert f.customer_sales[0] == pytest.approx(200.0) and f.pv[0] == 0
    assert m.ledger.company_receipts == pytest.approx(300.0)


def test_customers_buy_within_budget():
    m = small(20, affinity=const(1.0), consumption=const(5.0), budget=const(120.0))
    m.population.customer[3] = True
    f = flows(m)
    m._customer_purchases(f)
    assert f.units_shipped == pytest.approx(120.0 / 50.0)  # retail 50 by default in small()


def test_customers_who_do_not_buy_lapse_with_customer_lapse_prob():
    n = 4000
    m = small(n, affinity=const(0.3), customer_lapse_prob=0.5)
    pop = m.population
    pop.customer[:] = True
    m._customer_purchases(flows(m))
    # stays: buys (0.3) or does not buy and does not lapse (0.7 x 0.5)
    assert within(pop.customer.mean(), 0.3 + 0.7 * 0.5, n)


def test_participants_buy_own_use_and_top_up_to_qualify():
    m = small(
        20,
        affinity=const(0.5),
        consumption=const(2.0),
        retail_price=50.0,
        distributor_discount=0.4,
        plan_params={"qualification_pv": 100.0},
    )
    join(m, [0, 1, 3, 4])
    join(m, [2], DISCOUNT)
    m.population.consumption[4] = 6.3  # own use 6.3 x 0.5 x 30 = 94.5: 0.5 short with the 5
    f = flows(m)
    f.budget_left[[1, 3]] = [94.99, 95.0]  # 1 cannot afford the top-up of 65, 3 just can
    f.pv[:5] = 5.0  # earlier this month (resale): counts towards the 100
    f.internal_volume, f.consumer_sales, f.units_shipped = 1.0, 2.0, 3.0
    m._participant_purchases(f)
    rows = m.ledger.rows
    # own use: 2 x 0.5 units at wholesale 30 = 30
    np.testing.assert_allclose(rows[Row.OWN_USE][:5], [-30.0, -30.0, -30.0, -30.0, -94.5])
    np.testing.assert_allclose(rows[Row.EXCESS][:5], [-65.0, 0.0, 0.0, -65.0, -0.5])
    np.testing.assert_allclose(f.pv[:5], [100.0, 35.0, 35.0, 100.0, 100.0])
    np.testing.assert_allclose(f.budget_left[:5], [905.0, 64.99, 970.0, 0.0, 905.0], atol=1e-9)
    internal = 4 * 30.0 + 94.5 + 2 * 65.0 + 0.5
    assert f.internal_volume == pytest.approx(1.0 + internal)
    assert f.consumer_sales == pytest.approx(2.0 + internal)
    assert f.units_shipped == pytest.approx(3.0 + internal / 30.0)


def test_a_small_qualification_is_topped_up_too():
    m = small(20, consumption=const(0.0), plan_params={"qualification_pv": 0.8})
    join(m, [0])
    f = flows(m)
    m._participant_purchases(f)
    assert m.ledger.rows[Row.EXCESS][0] == pytest.approx(-0.8)


# ---------------------------------------------------------------- step 1: conversion
def test_a_contact_converts_with_the_base_rate_times_receptivity_and_trait():
    """Referral: every contact is a sale pitch, bought with sale_prob x reach x receptivity
    x affinity; nobody is recruited."""
    n = 4000
    m = small(
        n,
        plan="referral",
        contacts_per_hour=0.1,  # one warm contact per seller per month on average
        sale_prob=0.6,
        affinity=const(0.5),
        saturation_contacts=1e9,
    )
    join(m, [0])
    m.month = 1
    f = flows(m)
    total = 0
    sold = 0
    for _ in range(200):
        before = m.population.customer.sum()
        f = flows(m)
        m._prospect(f)
        total += int(f.contacts[0])
        sold += int(m.population.customer.sum() - before)
        m.population.customer[:] = False
    assert total > 100
    assert within(sold / total, 0.6 * 0.5, total)
    assert m.population.active.sum() == 1


def test_only_business_participants_pitch_the_opportunity():
    n = 2000
    m = small(
        n,
        contacts_per_hour=1.0,
        recruit_focus=1.0,
        recruit_prob=1.0,
        sale_prob=1.0,
        member_effort=1.0,
    )
    join(m, [0], DISCOUNT)
    m.month = 1
    m._prospect(flows(m))
    pop = m.population
    assert pop.active.sum() == 1  # a member recruits nobody
    assert pop.customer.sum() > 0  # but sells the product


# ---------------------------------------------------------------- leads
def test_leads_are_bought_within_budget_and_paid_for():
    m = small(20, leads_per_month=1000.0, cost_per_lead=2.5, budget=const(11.0))
    join(m, [0, 1])
    join(m, [2], DISCOUNT)
    f = flows(m)
    bought = m._buy_leads(np.array([0, 1, 2]), f)
    assert bought.tolist() == [4, 4, 0]  # floor(11 / 2.5); members buy none
    np.testing.assert_allclose(m.ledger.rows[Row.LEADS][:3], [-10.0, -10.0, 0.0])
    np.testing.assert_allclose(f.budget_left[:3], [1.0, 1.0, 11.0])


# ---------------------------------------------------------------- tables and invariants
def test_participant_table_by_hand():
    m = small(20, opportunity_wage=2.0, plan_params={"starter_fee": 10.0})
    join(m, [0])
    join(m, [3], sponsors=[0])
    join(m, [5], DISCOUNT, sponsors=[3])
    pop = m.population
    pop.active[3], pop.former[3], pop.quit_month[3] = False, True, 4
    pop.hours_worked[[0, 3, 5]] = [10.0, 5.0, 0.0]
    m.ledger.person_to_outside(np.array([0]), np.array([6.0]), Row.LEADS, Account.LEAD_VENDORS)
    m.ledger.person_to_outside(np.array([3]), np.array([4.0]), Row.EXPENSES, Account.THIRD_PARTIES)
    table = m.participant_table()
    assert table["id"].tolist() == [0, 3, 5]
    assert table["sponsor"].tolist() == [pd.NA, 0, 3]  # sponsor 0 is a person, not the company
    assert table["quit_month"].tolist() == [pd.NA, 4, pd.NA]
    assert table["depth"].tolist() == [1, 2, 3]
    assert table["downline_size"].tolist() == [2, 1, 0]
    assert table["motive"].tolist() == ["business", "business", "discount"]
    assert table["fees"].tolist() == [10.0, 10.0, 10.0]
    assert table["lead_spend"].tolist() == [6.0, 0.0, 0.0]
    assert table["business_expenses"].tolist() == [0.0, 4.0, 0.0]
    assert table["net_profit"].tolist() == [-16.0, -14.0, -10.0]
    assert table["net_profit_after_time"].tolist() == [-36.0, -24.0, -10.0]
    for trait in ("affinity", "consumption", "skill", "propensity", "hours", "budget"):
        assert table[trait].tolist() == getattr(pop, trait)[[0, 3, 5]].tolist(), trait
    assert table["hours_worked"].tolist() == [10.0, 5.0, 0.0]


def test_a_single_month_runs_and_the_monthly_table_is_indexed_by_month():
    m = small(20)
    m.run(1)
    assert m.month == 1
    table = m.monthly_table()
    assert table.index.name == "month" and table.index.tolist() == [1]
    with pytest.raises(ValueError, match="months must be an integer >= 1"):
        m.run(0)


def test_adopter_tie_counts_follow_adopters_who_stop():
    m = small(20)
    adopters = np.zeros(20, dtype=bool)
    adopters[[0, 1, 2]] = True
    np.testing.assert_array_equal(m._count_adopter_ties(adopters)[[0, 5]], [2, 3])
    fewer = adopters.copy()
    fewer[1] = False  # a customer lapsed
    counts = m._count_adopter_ties(fewer)
    np.testing.assert_array_equal(counts[[0, 1, 5]], [1, 2, 2])  # complete graph: by hand


@pytest.mark.parametrize(
    ("break_it", "message"),
    [
        (
            lambda m: m.population.former.__setitem__(0, True),
            r"^someone is both an active and a former participant$",
        ),
        (
            lambda m: m.population.customer.__setitem__(0, True),
            r"^a customer is also a \(former\) participant$",
        ),
        (
            lambda m: m.payout_checks.append((10.0, 9.0)),
            r"^month 1: plan paid 10\.00 > its maximum share \(9\.00\)$",
        ),
        (
            # a purchase paid to a third party: conserved, but not a company sale
            lambda m: m.ledger.person_to_outside(
                np.array([0]), np.array([1.0]), Row.CONSUMPTION, Account.THIRD_PARTIES
            ),
            # the joiner's starter fee (100) is a company sale; the 1 bought elsewhere is not
            r"^gross sales 101\.00 != cogs \+ commissions \+ retail margins \+ company margin"
            r" \(100\.00\)$",
        ),
    ],
)
def test_check_invariants_names_each_broken_rule(break_it, message):
    m = small(20)
    join(m, [0])
    m.check_invariants()  # intact
    m.payout_checks.append((10.0, 10.0))  # paid exactly the bound: allowed
    m.payout_checks.append((0.0, 0.0))  # a month without volume pays nothing: allowed
    m.check_invariants()
    m.payout_checks.clear()
    break_it(m)
    with pytest.raises(AssertionError, match=message):
        m.check_invariants()


# ---------------------------------------------------------------- step 3: word of mouth
def _bass_adoption(p: float, q: float, share: float, weight: float) -> float:
    """Probability of adopting within a month, from ODD 7.3 written out (equal weights)."""
    big_p, big_q, dt = weight * p, weight * q, 1.0 / 12.0
    r = (big_p + big_q * share) / (1 - share) * math.exp((big_p + big_q) * dt)
    after = (r - big_p) / (r + big_q)
    hazard = math.log((1 - share) / (1 - after))
    return 1 - math.exp(-hazard)


@pytest.mark.parametrize(("p", "q"), [(5.0, 0.0), (0.0, 20.0), (1.0, 10.0)])
def test_word_of_mouth_adoption_follows_the_bass_month(p, q):
    """Large coefficients put the monthly adoption near 1/3, where four standard errors
    (about 0.016) are smaller than the change a month of 1/13 year would make (0.02-0.04)."""
    n, adopters = 20_000, 5_000
    m = small(n, bass_p=p, bass_q=q, affinity=const(1.0))
    m.population.customer[:adopters] = True
    f = flows(m)
    f.new_customers = 7  # customers won earlier this month are kept
    m._word_of_mouth(f)
    new = m.population.customer[adopters:]
    expected = _bass_adoption(p, q, adopters / (n - 1), 1.0)
    assert within(new.mean(), expected, n - adopters)
    assert f.new_customers == 7 + new.sum()


def test_without_bass_coefficients_nobody_adopts_by_word_of_mouth():
    m = small(20, bass_p=0.0, bass_q=0.0)
    m.population.customer[:10] = True
    m._word_of_mouth(flows(m))
    assert m.population.customer.sum() == 10


def test_imitators_buy_through_the_channel_of_the_tie_they_heard_from():
    """An active tie sells itself; a customer tie passes on its active seller; else the company."""
    m = small(20)
    join(m, [0, 4])
    pop = m.population
    pop.active[4], pop.former[4] = False, True
    pop.customer[[1, 2]] = True
    pop.seller[[1, 2]] = [0, 4]  # 1 is served by active 0, 2 by 4 who quit
    adopters = np.array([10, 11, 12])
    for teller, seller in [(0, 0), (1, 0), (2, NO_ONE)]:
        told_by = np.zeros(20, dtype=bool)
        told_by[teller] = True
        got = m._word_of_mouth_channel(np.array([10, 12]), adopters, told_by)
        assert got.tolist() == [seller, NO_ONE, seller]  # 11 adopted spontaneously


def test_the_company_buys_the_goods_it_ships():
    m = small(20, affinity=const(1.0), consumption=const(3.0), unit_cost=2.5)
    m.population.customer[[1, 2]] = True
    f = flows(m)
    m._purchases(f)
    assert m.ledger.company_cogs == pytest.approx(6 * 2.5)


# ---------------------------------------------------------------- step 5: commissions
@pytest.mark.parametrize(("pv", "paid"), [(100.0, 20.0), (99.5, 0.0)])
def test_an_upline_is_paid_only_when_it_meets_the_qualification(pv, paid):
    """0 sponsors 1; 1 buys 200 PV; 0 earns 10% of it when its own PV reaches 100."""
    m = small(20, plan_params={"rates": (0.1,), "qualification_pv": 100.0})
    join(m, [0])
    join(m, [1], sponsors=[0])
    f = flows(m)
    f.pv[[0, 1]] = [pv, 200.0]
    m._pay_commissions(f)
    assert m.ledger.rows[Row.COMMISSION_OVERRIDE][0] == pytest.approx(paid)
    assert f.stats["commissions"] == pytest.approx(paid)
    assert f.stats["potential_commissions"] == pytest.approx(20.0)  # had everyone qualified


# ---------------------------------------------------------------- flows accumulate within a month
def test_purchases_add_to_the_months_flows():
    m = small(20, plan="unilevel", affinity=const(1.0), consumption=const(2.0))
    join(m, [0])
    pop = m.population
    pop.customer[[5, 6]] = True
    pop.seller[[5, 6]] = 0
    f = flows(m)
    f.served[0], f.pv[0], f.units_shipped, f.retail_volume, f.consumer_sales = 1, 7.0, 1.0, 2.0, 3.0
    m._customer_purchases(f)
    wholesale = 50.0 * (1 - m.params.distributor_discount)
    assert f.served[0] == 3 and f.pv[0] == pytest.approx(7.0 + 4 * wholesale)
    assert f.units_shipped == pytest.approx(5.0)
    assert f.retail_volume == pytest.approx(2.0 + 4 * wholesale)
    assert f.consumer_sales == pytest.approx(3.0 + 200.0)
    r = small(20, plan="referral", affinity=const(1.0), consumption=const(2.0))
    join(r, [0])
    r.population.customer[5], r.population.seller[5] = True, 0
    g = flows(r)
    g.customer_sales[0] = 11.0
    r._customer_purchases(g)
    assert g.customer_sales[0] == pytest.approx(111.0)


def test_lapsed_customers_lose_their_seller_and_are_unhappy():
    m = small(20, affinity=const(0.0), customer_lapse_prob=1.0)
    join(m, [0])
    m.population.customer[[5, 6]] = True
    m.population.seller[[5, 6]] = 0
    f = flows(m)
    m._customer_purchases(f)
    assert not m.population.customer.any()
    assert (m.population.seller[[5, 6]] == NO_ONE).all()
    assert np.concatenate(f.unhappy).tolist() == [5, 6]


def test_prospecting_reaches_person_zero_and_counts_contacts():
    """Everyone but 0 (a prospect) and 1 (a former participant) is active: all warm
    contacts that count go to 0, whose received contacts add to the earlier ones."""
    m = small(20, contacts_per_hour=1.0, sale_prob=0.0, recruit_prob=0.0)
    join(m, np.arange(1, 20))
    pop = m.population
    pop.active[1], pop.former[1] = False, True
    pop.contacts_received[0] = 2.0
    m.month = 1
    f = flows(m)
    f.new_customers = 4
    m._prospect(f)
    assert pop.contacts_received[0] > 2.0 and pop.contacts_received[1] == 0
    assert f.contacts[2:].sum() > 0 and f.new_customers == 4
    np.testing.assert_allclose(f.worked[2:], 10.0)


def test_leads_count_as_contacts():
    m = small(
        20, contacts_per_hour=0.0, leads_per_month=1000.0, cost_per_lead=0.5, budget=const(1.2)
    )
    join(m, [0, 1])
    m.month = 1
    f = flows(m)
    m._prospect(f)
    assert f.contacts[[0, 1]].tolist() == [2, 2]  # floor(1.2 / 0.5) leads each, no warm contacts


def test_one_lead_a_month_on_average():
    n = 2000
    m = small(n, leads_per_month=1.0, cost_per_lead=0.0)
    join(m, np.arange(n))
    bought = m._buy_leads(np.arange(n), flows(m))
    assert abs(bought.mean() - 1.0) <= 4 * math.sqrt(1.0 / n)


@pytest.mark.parametrize(("consumption", "joins"), [(1.0, False), (1.25, True), (0.75, False)])
def test_customers_join_for_the_discount_only_when_membership_pays(consumption, joins):
    """Saving 1 x 0.5 x 50 x 0.5 = 12.5 c a month; over 8 months 100 c against a cost of
    starter 60 + 5 x 8 = 100: c = 1 breaks even and does not join."""
    m = small(
        20,
        customer_join_prob=0.0,
        discount_join_prob=1.0,
        payback_months=8.0,
        distributor_discount=0.5,
        consumption=const(consumption),
        plan_params={"starter_fee": 60.0, "monthly_fee": 5.0},
    )
    m.population.customer[3] = True
    m._customers_join(flows(m))
    assert m.population.active[3] == joins
    assert m.population.motive[3] == (DISCOUNT if joins else 0)


def test_the_months_income_stats():
    m = small(
        20,
        fixed_cost=5.0,
        cost_per_customer=1.0,
        plan_params={"qualification_pv": 50.0, "monthly_fee": 0.0},
    )
    join(m, [0, 1, 2])
    led = m.ledger
    m._net_before, m._gross_before = led.net_profit().copy(), led.gross_income().copy()
    m.population.hours_worked[[0, 1, 2]] = 3.0
    led.outside_to_person(
        0, np.array([0, 1, 2]), np.array([10.0, 20.0, 40.0]), Row.COMMISSION_PERSONAL
    )
    f = flows(m)
    f.pv[[0, 1, 2]] = [50.0, 49.0, 80.0]
    f.worked[[0, 1, 2]] = [4.0, 5.0, 6.0]
    f.served[[0, 2]] = [2, 3]
    f.budget_left[1] = 0.0  # no budget left: no running costs
    m._book_running_costs(f)
    assert f.stats["qualified"] == 2
    assert f.stats["qualified_gross_income"] == pytest.approx(50.0)
    assert f.stats["customers_served"] == 5.0
    # 10 - 5 - 2 x 1; 20 and nothing spent (no budget left); 40 - 5 - 3 x 1
    np.testing.assert_allclose(m._monthly_net[[0, 1, 2]], [3.0, 20.0, 32.0])
    assert f.stats["median_income"] == pytest.approx(20.0)
    np.testing.assert_allclose(m.population.hours_worked[[0, 1, 2]], [7.0, 8.0, 9.0])


def test_stories_add_up_over_months():
    m = small(20, neg_wom_reach=1.0)
    m.population.stories_heard[5] = 2.0
    f = flows(m)
    f.unhappy.append(np.array([0]))
    m._spread_unhappiness(f)
    assert m.population.stories_heard[5] == 3.0


def test_adopters_imitate_with_the_imitation_share_of_their_hazard():
    """A new adopter imitated a tie with probability 1 - w p dt / H (ODD 7.3); imitators of
    an active participant buy through it, spontaneous adopters from the company."""
    n, adopters, p, q = 20_000, 5_000, 1.0, 20.0
    m = small(n, plan="referral", bass_p=p, bass_q=q, affinity=const(1.0))
    join(m, np.arange(adopters))
    m._word_of_mouth(flows(m))
    new = np.flatnonzero(m.population.customer)
    chance = _bass_adoption(p, q, adopters / (n - 1), 1.0)
    imitation = 1 - p / 12 / -math.log(1 - chance)
    assert new.size > 1000
    assert within((m.population.seller[new] >= 0).mean(), imitation, new.size)


def test_each_customer_decides_on_membership_alone():
    n = 4000
    m = small(
        n,
        customer_join_prob=0.0,
        discount_join_prob=0.5,
        consumption=const(100.0),
        plan_params={"starter_fee": 0.0, "monthly_fee": 0.0},
    )
    m.population.customer[:] = True
    m._customers_join(flows(m))
    assert within(m.population.active.mean(), 0.5, n)


@pytest.mark.parametrize(
    ("fee", "hazard"), [(1000.0, 0.01 + 0.2 * 0.75 + 0.3), (0.0, 0.01 + 0.2 * 0.75)]
)
def test_member_drop_out_hazard_with_and_without_a_paying_membership(fee, hazard):
    n = 4000
    m = small(
        n,
        base_quit_prob=0.01,
        customer_lapse_prob=0.2,
        affinity=const(0.25),
        disappointment_weight=0.3,
        plan_params={"monthly_fee": fee},
    )
    join(m, np.arange(n), DISCOUNT)
    assert within(_quitters(m, np.zeros(n)).mean(), hazard, n)


@pytest.mark.parametrize(("plan", "heir"), [("unilevel", 1), ("referral", 0)])
def test_customers_of_a_quitter_pass_to_the_nearest_active_sponsor_only_with_uplines(plan, heir):
    """1 sponsors 0; 0 quits (hazard 1) while 1, a newcomer, cannot; 0's customer 5 is
    passed up to 1 in a plan with uplines, and keeps its seller in referral."""
    m = small(20, plan=plan, base_quit_prob=1.0)
    join(m, [1])
    join(m, [0], sponsors=[1])
    pop = m.population
    pop.join_month[[0, 1]] = [0, 1]
    pop.customer[5], pop.seller[5] = True, 0
    former = _quitters(m, np.zeros(20))
    assert np.flatnonzero(former).tolist() == [0]
    assert pop.seller[5] == heir


def test_downline_size_counts_every_generation_below():
    """0 sponsors 1 and 2; 1 sponsors 3; 3 sponsors 4; 5 joins alone; 6 never joins.
    Downlines by hand: 0 has 1, 2, 3, 4 (4); 1 has 3, 4 (2); 3 has 4 (1); the rest 0."""
    m = small(20)
    assert m.population.downline_size().tolist() == [0] * 20  # nobody joined yet
    join(m, [0, 5])
    join(m, [1, 2], sponsors=[0, 0])
    join(m, [3], sponsors=[1])
    join(m, [4], sponsors=[3])
    size = m.population.downline_size()
    assert size.dtype == np.int64
    assert size.tolist() == [4, 2, 0, 1] + [0] * 16


@pytest.mark.parametrize(
    ("corrupt", "message"),
    [
        # 500 dollars moved in all: a millionth of that is far above the 1e-9 slack
        (lambda led: led.outside.__setitem__(3, 1e-3), r"^money is not conserved"),
        (lambda led: led.rows.__setitem__((Row.OWN_USE, 1), -199.999), r"^a person's cash differs"),
        (
            lambda led: setattr(led, "company_cogs", led.company_cogs + 1e-3),
            r"^company balance differs from receipts - cogs - commissions$",
        ),
    ],
)
def test_the_ledger_check_catches_a_thousandth_of_a_dollar_astray(corrupt, message):
    led = Ledger(3)
    led.person_to_outside(np.array([0, 1]), np.array([300.0, 200.0]), Row.OWN_USE, Account.COMPANY)
    led.check()  # intact
    corrupt(led)
    with pytest.raises(AssertionError, match=message):
        led.check()


def test_an_empty_book_balances():
    Ledger(0).check()


def test_gross_income_is_retail_margin_plus_both_kinds_of_commission():
    """Person 0 sells $200 at retail to customer 1 from $120 of wholesale stock, earns $15 of
    personal and $7 of override commissions and pays a $40 fee: gross 200 - 120 + 15 + 7 = 102
    (fees are not gross income); the customer's purchase is no income of its own."""
    led = Ledger(2)
    one, zero = np.array([1]), np.array([0])
    led.person_to_person(one, zero, np.array([200.0]), Row.CONSUMPTION, Row.RETAIL_SALES)
    led.person_to_outside(zero, np.array([120.0]), Row.RESALE_COST, Account.COMPANY)
    led.outside_to_person(Account.COMPANY, zero, np.array([15.0]), Row.COMMISSION_PERSONAL)
    led.outside_to_person(Account.COMPANY, zero, np.array([7.0]), Row.COMMISSION_OVERRIDE)
    led.person_to_outside(zero, np.array([40.0]), Row.FEES, Account.COMPANY)
    led.check()
    assert led.gross_income().tolist() == [102.0, 0.0]
    assert led.net_profit().tolist() == [62.0, 0.0]


def test_the_ledger_check_slack_in_a_book_of_under_a_dollar_is_a_billionth():
    """With $0.25 moved, the slack is 1e-9 x $1 (its floor), not 1e-9 x $0.25."""
    led = Ledger(3)
    led.person_to_outside(np.array([0]), np.array([0.25]), Row.OWN_USE, Account.COMPANY)
    led.outside[Account.THIRD_PARTIES] += 0.9e-9  # within the slack
    led.check()
    led.outside[Account.THIRD_PARTIES] += 0.6e-9  # 1.5e-9 astray in all
    with pytest.raises(AssertionError, match=r"^money is not conserved"):
        led.check()


def test_the_gross_sales_identity_slack_in_a_market_of_under_a_dollar_is_a_millionth():
    """Nobody has joined; person 0 buys elsewhere (a third party), which the company's
    sales do not explain. The slack is 1e-6 x $1 (its floor) however small the sales."""
    m = small(20)
    m.check_invariants()
    buy = np.array([0.9e-6])
    m.ledger.person_to_outside(np.array([0]), buy, Row.CONSUMPTION, Account.THIRD_PARTIES)
    m.check_invariants()  # within the slack
    buy = np.array([0.6e-6])  # 1.5e-6 in all
    m.ledger.person_to_outside(np.array([0]), buy, Row.CONSUMPTION, Account.THIRD_PARTIES)
    with pytest.raises(AssertionError, match=r"^gross sales 0\.00 != cogs"):
        m.check_invariants()
