"""The contract every compensation plan must honour (Axelrod's TestPlayer pattern).

A test module for a plan subclasses `PlanContract` and sets `plan_name`; the
shared tests then run against that plan. Structures are built the way the
model builds them: people join in index order and the plan's own `place`
decides where each one sits, so binary and matrix plans get their positions.
"""

from __future__ import annotations

import json
import math
import tomllib
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import MarketModel
from model.plans import CompensationPlan, PlanInput, make_plan

STRUCTURE = {
    "referral": ("tree", False, False, "customer_sales"),
    "unilevel": ("tree", True, True, "pv"),
    "breakaway": ("tree", True, True, "pv"),
    "binary": ("binary", True, True, "pv"),
    "matrix": ("matrix", True, True, "pv"),
}
"""Each plan's structure, whether it rewards recruiting, whether participants resell, and
the volume its pay is computed on (docs/ODD.md, "Compensation plans")."""


@dataclass(frozen=True)
class Spec:
    """Who sponsored whom and one month's standing and volumes (plan-independent)."""

    sponsors: np.ndarray
    active: np.ndarray
    pv: np.ndarray
    sales: np.ndarray


@st.composite
def small_spec(draw, max_people: int = 30) -> Spec:
    """A random forest of sponsors with random standing and volumes."""
    n = draw(st.integers(1, max_people))
    sponsors = [-1] + [draw(st.integers(-1, i - 1)) for i in range(1, n)]
    active = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    pv = np.array(draw(st.lists(st.floats(0, 500), min_size=n, max_size=n)))
    sales = np.array(draw(st.lists(st.floats(0, 500), min_size=n, max_size=n)))
    return Spec(
        sponsors=np.array(sponsors, dtype=np.int64),
        active=active,
        pv=np.where(active, pv, 0.0),
        sales=np.where(active, sales, 0.0),
    )


@st.composite
def quitting_months(draw, months: int = 4) -> tuple[Spec, list[np.ndarray], list[np.ndarray]]:
    """A structure, then several months in which members quit for good and volumes change."""
    spec = draw(small_spec())
    n = spec.sponsors.size
    active, actives, pvs = np.ones(n, dtype=bool), [], []
    for _ in range(months):
        active = active & np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
        pv = np.array(
            draw(st.lists(st.sampled_from([0.0, 50.0, 100.0, 400.0]), min_size=n, max_size=n))
        )
        actives.append(active.copy())
        pvs.append(np.where(active, pv, 0.0))
    return spec, actives, pvs


def month_input(spec: Spec, upline: np.ndarray, month: int = 1) -> PlanInput:
    """The plan's input for one month of `spec` on the placement tree `upline`."""
    return PlanInput(
        upline=upline,
        active=spec.active,
        qualified=spec.active & (spec.pv >= 100),
        pv=spec.pv,
        customer_sales=spec.sales,
        month=month,
    )


def to_toml(table: dict[str, Any]) -> str:
    """A flat table as TOML text (strings, booleans, numbers incl. inf, arrays)."""

    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return json.dumps(v)
        if isinstance(v, list | tuple):
            return "[" + ", ".join(value(x) for x in v) + "]"
        if isinstance(v, float) and math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)

    return "\n".join(f"{key} = {value(v)}" for key, v in table.items()) + "\n"


# Each plan's subclass runs the same hypothesis tests: that is the design here.
SHARED = {"deadline": None, "suppress_health_check": [HealthCheck.differing_executors]}


class PlanContract:
    """Shared behaviour tests; subclasses set `plan_name`."""

    plan_name: str

    def make(self, n: int = 30) -> CompensationPlan:
        plan = make_plan(self.plan_name)
        plan.reset(n)
        return plan

    def build(self, spec: Spec) -> tuple[CompensationPlan, PlanInput]:
        """A fresh plan that has placed everyone in `spec`, and the month's input."""
        n = spec.sponsors.size
        plan = self.make(n)
        upline = plan.place(np.arange(n), spec.sponsors, np.full(n, -1, dtype=np.int64))
        return plan, month_input(spec, upline)

    def basis(self, plan: CompensationPlan, month: PlanInput) -> float:
        return float((month.pv if plan.volume_basis == "pv" else month.customer_sales).sum())

    @settings(max_examples=60, **SHARED)
    @given(spec=small_spec())
    def test_payouts_never_negative(self, spec):
        plan, month = self.build(spec)
        payout = plan.pay(month)
        assert np.all(payout.personal >= 0)
        assert np.all(payout.override >= 0)

    @settings(max_examples=60, **SHARED)
    @given(spec=small_spec())
    def test_total_within_max_share(self, spec):
        plan, month = self.build(spec)
        total = plan.pay(month).total.sum()
        assert total <= plan.max_payout_share * self.basis(plan, month) * (1 + 1e-12) + 1e-9

    @settings(max_examples=40, **SHARED)
    @given(spec=small_spec())
    def test_only_active_people_are_paid(self, spec):
        plan, month = self.build(spec)
        payout = plan.pay(month)
        assert np.all(payout.total[~month.active] == 0)

    @settings(max_examples=40, **SHARED)
    @given(spec=small_spec())
    def test_same_inputs_same_payouts(self, spec):
        (plan_a, month_a), (plan_b, month_b) = self.build(spec), self.build(spec)
        np.testing.assert_array_equal(month_a.upline, month_b.upline)
        np.testing.assert_array_equal(plan_a.pay(month_a).total, plan_b.pay(month_b).total)

    @settings(max_examples=40, **SHARED)
    @given(case=quitting_months())
    def test_months_with_quits_keep_the_contract(self, case):
        """Members quit for good over several months; state carried between months stays sound."""
        spec, actives, pvs = case
        plan, month = self.build(spec)
        for number, (active, pv) in enumerate(zip(actives, pvs, strict=True), start=1):
            month = month_input(replace(spec, active=active, pv=pv, sales=pv), month.upline, number)
            payout = plan.pay(month)
            assert np.all(payout.personal >= 0) and np.all(payout.override >= 0)
            assert np.all(payout.total[~active] == 0)
            bound = plan.max_payout_share * self.basis(plan, month)
            assert payout.total.sum() <= bound * (1 + 1e-12) + 1e-9

    def test_zero_volume_pays_nothing(self):
        n = 5
        spec = Spec(np.array([-1, 0, 1, 1, 0]), np.ones(n, dtype=bool), np.zeros(n), np.zeros(n))
        plan, month = self.build(spec)
        month = replace(month, qualified=np.ones(n, dtype=bool))
        assert plan.pay(month).total.sum() == 0

    def test_round_trips_through_its_table(self):
        plan = self.make()
        table = plan.to_table()
        assert table["name"] == self.plan_name
        assert CompensationPlan.from_table(table) == plan
        assert CompensationPlan.from_table(tomllib.loads(to_toml(table))) == plan

    def test_has_metadata(self):
        plan = self.make()
        cls = type(plan)
        structure, recruiting, resale, basis = STRUCTURE[self.plan_name]
        assert (cls.structure, cls.recruiting_reward, cls.resale) == (structure, recruiting, resale)
        assert plan.volume_basis == basis
        assert cls.family and cls.describe()
        assert isinstance(plan.max_depth, int)
        assert (plan.max_depth == 0) == (not recruiting)  # only referral pays no levels
        assert 0 < plan.max_payout_share <= 1

    def test_whole_run_conserves_money_and_is_deterministic(self):
        """A small run with heavy drop-out (compression past quitters) keeps every identity.

        Keen recruits, half of all pitches about the opportunity, customers keen
        to join and everyone active qualifying (`qualification_pv` 0) make the
        tree grow enough for every plan to pay, whatever the defaults.
        """
        tables = []
        for _ in range(2):
            m = MarketModel(
                rng=7,
                n_people=500,
                mean_degree=8,
                plan=self.plan_name,
                plan_params={"qualification_pv": 0.0},
                base_quit_prob=0.08,
                recruit_prob=1.0,
                recruit_focus=0.5,
                customer_join_prob=0.3,
                propensity={"kind": "beta", "mean": 0.3, "sd": 0.1},
            )
            m.run(24)
            m.check_invariants()
            people = m.participant_table()
            assert people["quit_month"].notna().sum() > 10
            tables.append(people)
        assert tables[0]["commissions"].sum() > 0
        assert tables[0].equals(tables[1])
