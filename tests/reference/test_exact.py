"""On a hand-worked downline with fixed purchases, both implementations pay exactly the same.

Twelve people join in id order under the sponsors below (two of them after
the first month, so binary placement sees last month's legs) and buy fixed
volumes for three months; one quits and some fall short of the minimum.
Rates are powers of two and volumes whole dollars, so every sum is exact in
floating point whatever the order of addition, and the comparison is `==`.
"""

from __future__ import annotations

import numpy as np
import pytest

from model import available_plans, make_plan
from model.plans import PlanInput
from model.reference.pay import Volumes, reference_plan

SPONSORS = [-1, 0, 0, 0, 1, 1, 2, 4, 4, 6, 0, 7]
"""Sponsor of each person (-1: the company)."""
LATE = (9, 10, 11)
"""People who join after the first month."""
PV = [
    [300, 200, 50, 100, 400, 0, 100, 100, 75, 0, 0, 0],
    [100, 100, 100, 25, 800, 100, 300, 200, 100, 400, 100, 125],
    [200, 50, 100, 100, 0, 100, 100, 900, 100, 200, 25, 100],
]
"""Each month's personal volume of each person (whole wholesale dollars)."""
QUITS = {2: {4}, 3: {4, 8}}
"""Who has quit by each month."""
PLANS = {
    "referral": {"rate": 0.125},
    "unilevel": {"rates": (0.125, 0.0625, 0.0625, 0.03125)},
    "breakaway": {
        "rank_thresholds": (200.0, 400.0, 800.0),
        "rank_rates": (0.03125, 0.0625, 0.125),
        "breakaway_rank": 3,
        "generation_rates": (0.0625, 0.03125),
    },
    "binary": {"rate": 0.125, "monthly_cap": 64.0, "payout_cap": 0.5},
    "matrix": {
        "width": 2,
        "depth": 2,
        "rates": (0.125, 0.0625),
        "completion_bonus": 16.0,
        "payout_cap": 0.5,
    },
}
CASES = [(name, params) for name, params in PLANS.items()]
CASES.append(("unilevel", {**PLANS["unilevel"], "compression": "dynamic"}))
CASES.append(("binary", {**PLANS["binary"], "placement": "extreme_right"}))
CASES.append(("binary", {**PLANS["binary"], "flush_after_idle_months": 2, "carry_cap": 150.0}))


def test_every_registered_plan_is_handworked():
    assert set(PLANS) == set(available_plans())


def both_pay(name, params):
    """Place and pay with the fast plan and the reference; yield (uplines, payouts) by month."""
    n = len(SPONSORS)
    fast, reference = make_plan(name, params), reference_plan(make_plan(name, params))
    fast.reset(n)
    upline = np.full(n, -1)

    def place(people):
        for person in people:
            upline[person] = fast.place(np.array([person]), np.array([SPONSORS[person]]), upline)[0]
            reference.place(person, SPONSORS[person])

    place([i for i in range(n) if i not in LATE])
    for month, pv in enumerate(PV, start=1):
        if month == 2:
            place(LATE)
        joined = [i for i in range(n) if month > 1 or i not in LATE]
        active = [i for i in joined if i not in QUITS.get(month, set())]
        volume = {i: float(pv[i]) for i in active}
        qualified = [i for i in active if volume[i] >= fast.qualification_pv]
        sales = {i: 2.0 * volume[i] for i in active}
        fast_in = PlanInput(
            upline=upline.copy(),
            active=np.isin(np.arange(n), active),
            qualified=np.isin(np.arange(n), qualified),
            pv=np.array([volume.get(i, 0.0) for i in range(n)]),
            customer_sales=np.array([sales.get(i, 0.0) for i in range(n)]),
            month=month,
        )
        reference_in = Volumes(
            upline=dict(reference.upline),
            active=set(active),
            qualified=set(qualified),
            pv=volume,
            customer_sales=sales,
        )
        potential = (fast.potential_pay(fast_in), reference.potential_pay(reference_in))
        yield (
            upline.copy(),
            reference.upline,
            fast.pay(fast_in),
            reference.pay(reference_in),
            potential,
        )


@pytest.mark.parametrize(
    ("name", "params"), CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)]
)
def test_both_implementations_pay_exactly_the_same(name, params):
    paid_anything = 0.0
    for upline, reference_upline, fast, reference, potential in both_pay(name, params):
        assert upline.tolist() == [reference_upline.get(i, -1) for i in range(upline.size)]
        for i in range(upline.size):
            assert fast.personal[i] == reference.personal.get(i, 0.0), (i, "personal")
            assert fast.override[i] == reference.override.get(i, 0.0), (i, "override")
        assert potential[0] == potential[1] or all(np.isnan(potential))
        paid_anything += float(fast.total.sum())
    assert paid_anything > 0 or params.get("placement") == "extreme_right"  # no pairs


def test_a_level_rate_one_level_off_in_the_fast_model_breaks_the_exact_match(monkeypatch):
    from model.plans import unilevel

    real = unilevel.pay_by_level

    def one_level_off(parent, marked, pv, rates, payable=None):
        return real(parent, marked, pv, (0.0, *rates[:-1]), payable)

    monkeypatch.setattr(unilevel, "pay_by_level", one_level_off)
    months = list(both_pay("unilevel", PLANS["unilevel"]))
    assert any(
        not np.array_equal(
            fast.override, [reference.override.get(i, 0.0) for i in range(fast.override.size)]
        )
        for _, _, fast, reference, _ in months
    )
