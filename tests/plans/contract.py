"""The contract every compensation plan must honour (Axelrod's TestPlayer pattern).

A test module for a plan subclasses `PlanContract` and sets `plan_name`; the
shared tests then run against that plan.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.plans import CompensationPlan, PlanInput, make_plan


@st.composite
def small_month(draw, max_people: int = 30) -> PlanInput:
    """A random forest of participants with random standing and volumes."""
    n = draw(st.integers(1, max_people))
    parents = [-1]
    for i in range(1, n):
        parents.append(draw(st.integers(-1, i - 1)))
    active = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    pv = np.array(draw(st.lists(st.floats(0, 500), min_size=n, max_size=n)))
    sales = np.array(draw(st.lists(st.floats(0, 500), min_size=n, max_size=n)))
    pv = np.where(active, pv, 0.0)
    return PlanInput(
        upline=np.array(parents, dtype=np.int64),
        active=active,
        qualified=active & (pv >= 100),
        pv=pv,
        customer_sales=np.where(active, sales, 0.0),
        month=1,
    )


# Each plan's subclass runs the same hypothesis tests: that is the design here.
SHARED = {"deadline": None, "suppress_health_check": [HealthCheck.differing_executors]}


class PlanContract:
    """Shared behaviour tests; subclasses set `plan_name`."""

    plan_name: str

    def make(self) -> CompensationPlan:
        plan = make_plan(self.plan_name)
        plan.reset(30)
        return plan

    def basis(self, plan: CompensationPlan, month: PlanInput) -> float:
        return float((month.pv if plan.volume_basis == "pv" else month.customer_sales).sum())

    @settings(max_examples=60, **SHARED)
    @given(month=small_month())
    def test_payouts_never_negative(self, month):
        payout = self.make().pay(month)
        assert np.all(payout.personal >= 0)
        assert np.all(payout.override >= 0)

    @settings(max_examples=60, **SHARED)
    @given(month=small_month())
    def test_total_within_max_share(self, month):
        plan = self.make()
        total = plan.pay(month).total.sum()
        assert total <= plan.max_payout_share * self.basis(plan, month) + 1e-9

    @settings(max_examples=40, **SHARED)
    @given(month=small_month())
    def test_only_active_people_are_paid(self, month):
        payout = self.make().pay(month)
        assert np.all(payout.total[~month.active] == 0)

    @settings(max_examples=40, **SHARED)
    @given(month=small_month())
    def test_same_inputs_same_payouts(self, month):
        a, b = self.make().pay(month), self.make().pay(month)
        np.testing.assert_array_equal(a.total, b.total)

    def test_zero_volume_pays_nothing(self):
        n = 5
        month = PlanInput(
            upline=np.array([-1, 0, 1, 1, 0]),
            active=np.ones(n, dtype=bool),
            qualified=np.ones(n, dtype=bool),
            pv=np.zeros(n),
            customer_sales=np.zeros(n),
            month=1,
        )
        assert self.make().pay(month).total.sum() == 0

    def test_round_trips_through_its_table(self):
        plan = self.make()
        table = plan.to_table()
        assert table["name"] == self.plan_name
        assert CompensationPlan.from_table(table) == plan

    def test_has_metadata(self):
        cls = type(self.make())
        assert cls.family and cls.structure in ("tree", "binary", "matrix")
        assert isinstance(cls.recruiting_reward, bool)
        assert cls.describe()
