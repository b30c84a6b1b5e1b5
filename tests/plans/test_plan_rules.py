"""Plan rules at their edges: boundaries, person 0 below someone, the shared interface.

People are ids, not join order: a market's founder need not be person 0, so
person 0 can sit in a slot below someone. Several cases below place person 0
as a child, where a test `>= 0` ("slot taken", "has a parent") and `> 0`
would differ. The pay rules are in docs/ODD.md, section 7.14.
"""

import numpy as np
import pytest

from model.plans import CompensationPlan, PlanInput, make_plan, plan_class, register_plan, registry
from model.plans.base import Payout
from model.plans.slots import SlotTree
from model.plans.tree import ancestors_at_levels, depths, levels_bottom_up
from model.plans.unilevel import Unilevel
from tests.plans.test_handworked_breakaway import PARAMS as BREAKAWAY


def month_of(upline, pv, qualification=100.0, number=1):
    """Everyone active; qualified when PV reaches `qualification`."""
    pv = np.asarray(pv, dtype=float)
    active = np.ones(pv.size, dtype=bool)
    return PlanInput(np.asarray(upline), active, pv >= qualification, pv, np.zeros(pv.size), number)


# --- binary and the slot tree ------------------------------------------------------------


def test_binary_weaker_leg_counts_person_zero_as_a_taken_slot():
    """Founder 3 sponsors 0, 1 and 2 (weaker-leg placement, no volume yet).

    0 -> 3.L (both open, left first); 1 -> 3.R (left taken by 0); 2 -> both
    taken, tie goes left: 3's left slot holds 0, so 2 spills to 0.L.
    Month 1, PV 0: 300, 1: 100, 2: 100, 3: 100, rate 10%: 3's legs are
    L = 300 + 100 = 400 (0's subtree), R = 100: pair 100, 3 earns 10;
    0's legs are L = 100, R = 0: pair 0.
    """
    plan = make_plan("binary", {"rate": 0.10, "monthly_cap": 1000.0})
    plan.reset(4)
    upline = np.full(4, -1)
    upline[3] = plan.place(np.array([3]), np.array([-1]), upline)[0]
    upline[:3] = plan.place(np.arange(3), np.array([3, 3, 3]), upline)
    np.testing.assert_array_equal(upline, [3, 3, 0, -1])
    paid = plan.pay(month_of(upline, [300, 100, 100, 100]))
    np.testing.assert_allclose(paid.override, [0, 0, 0, 10])


def test_binary_extreme_placement_follows_a_chain_through_person_zero():
    """Founder 2, extreme left: 0 -> 2.L; 1 -> end of 2's left chain, which is 0: 0.L."""
    plan = make_plan("binary", {"placement": "extreme_left"})
    plan.reset(3)
    upline = plan.place(np.array([0, 1]), np.array([2, 2]), np.full(3, -1))
    np.testing.assert_array_equal(upline, [2, 0])


def test_binary_bonus_exactly_at_the_cap_keeps_the_carry_over():
    """Only a bonus above `monthly_cap` flushes; one equal to it does not.

    0 over 1 (L) and 2 (R), rate 10%, cap 10. Month 1, PV 100 / 300 / 100:
    pair 100, bonus 10 = the cap, so 0 carries L 200. Month 2, PV 100 / 0 / 200:
    L 200 + 0, R 0 + 200: pair 200, bonus 20, capped to 10. Had month 1's bonus
    flushed, month 2 would pair min(0, 200) = 0.
    """
    plan = make_plan("binary", {"rate": 0.10, "monthly_cap": 10.0, "flush_on_cap": True})
    plan.reset(3)
    upline = plan.place(np.arange(3), np.array([-1, 0, 0]), np.full(3, -1))
    first = plan.pay(month_of(upline, [100, 300, 100]))
    second = plan.pay(month_of(upline, [100, 0, 200], number=2))
    assert first.override[0] == pytest.approx(10)
    assert second.override[0] == pytest.approx(10)


@pytest.mark.parametrize("name", ["binary", "matrix"])
def test_positional_plans_start_unsized_until_reset(name):
    """A fresh plan has per-run state for nobody: paying a month for one person needs a reset."""
    plan = make_plan(name)
    with pytest.raises(ValueError, match="reset for 0 people, not 1"):
        plan.pay(month_of(np.array([-1]), [100]))


@pytest.mark.parametrize("name", ["binary", "matrix"])
def test_positional_plans_reject_recruits_without_a_sponsor_each(name):
    """Two recruits and one sponsor is a caller's error, not a partial placement."""
    plan = make_plan(name)
    plan.reset(3)
    with pytest.raises(ValueError):
        plan.place(np.array([1, 2]), np.array([0]), np.full(3, -1))


def test_a_slot_holding_person_zero_is_taken():
    tree = SlotTree(3, 2)
    tree.attach(0, 2, 0)
    with pytest.raises(ValueError, match="slot 0 of 2 is already taken"):
        tree.attach(1, 2, 0)


def test_matrix_fills_the_slot_after_person_zero():
    """Width 2, founder 2 sponsors 0 then 1: 0 takes 2's first slot, 1 the second."""
    plan = make_plan("matrix", {"width": 2, "depth": 1, "rates": (0.1,)})
    plan.reset(3)
    upline = plan.place(np.array([0, 1]), np.array([2, 2]), np.full(3, -1))
    np.testing.assert_array_equal(upline, [2, 2])
    np.testing.assert_array_equal(plan._tree.child[2], [0, 1])


def test_ceiling_cuts_personal_and_override_by_the_same_factor():
    """40 paid against a limit of 20: both parts are halved."""
    capped = Payout(personal=np.array([10.0, 0.0]), override=np.array([6.0, 24.0])).capped(20.0)
    np.testing.assert_allclose(capped.personal, [5, 0])
    np.testing.assert_allclose(capped.override, [3, 12])


# --- tree helpers --------------------------------------------------------------------------


def test_depths_count_generations_through_person_zero():
    """2 is the root, 0 under 2, 1 under 0, 3 under 1: depths 1, 2, 0, 3."""
    found = depths(np.array([2, 0, -1, 1]))
    np.testing.assert_array_equal(found, [1, 2, 0, 3])
    assert found.dtype == np.int64


def test_levels_bottom_up_keep_ids_ascending_within_a_level():
    """Root 0; odd ids under 0 (depth 1), even ids from 2 under 1 (depth 2).

    The deepest level (the even ids 2..38) comes first, then the odd ids 1..39,
    each in id order, so rolling values up adds them in a fixed order.
    """
    n = 40
    parent = np.array([-1] + [0 if i % 2 else 1 for i in range(1, n)])
    deep, shallow = levels_bottom_up(parent)
    np.testing.assert_array_equal(deep, np.arange(2, n, 2))
    np.testing.assert_array_equal(shallow, np.arange(1, n, 2))


def test_ancestors_past_the_end_of_a_chain_are_minus_one():
    """Chain 0 <- 1 <- 2, all marked: 2's three uplines are 1, 0, then none; 1's are 0, none."""
    parent = np.array([-1, 0, 1])
    found = ancestors_at_levels(parent, np.ones(3, dtype=bool), np.array([2, 1]), 3)
    np.testing.assert_array_equal(found, [[1, 0], [0, -1], [-1, -1]])


# --- unilevel -----------------------------------------------------------------------------


@pytest.mark.parametrize("compression", ["inactive", "dynamic"])
def test_unilevel_pays_on_person_zero_below_its_upline(compression):
    """1 is the founder and 0 its recruit, rates (10%, 5%): 0's 200 PV pays 1 10% = 20."""
    plan = make_plan("unilevel", {"rates": (0.10, 0.05), "compression": compression})
    paid = plan.pay(month_of([1, -1], [200, 100]))
    np.testing.assert_allclose(paid.override, [0, 20])


def test_unilevel_pays_on_a_single_unit_of_volume():
    """0 over 1 over 2, rates (10%, 5%); 2 buys 1 PV: 1 earns 0.10 and 0 earns 0.05."""
    plan = make_plan("unilevel", {"rates": (0.10, 0.05), "qualification_pv": 0.0})
    paid = plan.pay(month_of([-1, 0, 1], [0, 0, 1], qualification=0.0))
    np.testing.assert_allclose(paid.override, [0.05, 0.10, 0])


# --- breakaway -----------------------------------------------------------------------------

# BREAKAWAY: ranks at GV 200 / 600 / 1200 (3 / 6 / 9%), breakaway at rank 3, generations 4 / 2%


def test_breakaway_rolls_up_even_one_unit_of_unqualified_volume():
    """0 (PV 599, qualified) over 1 (PV 1, unqualified): 1's PV rolls up to 0.

    0's GV is 599 + 1 = 600: rank 2 (6%). 0 earns 6% x 599 = 35.94 personal
    and 6% x 1 = 0.06 on the rolled-up PV; without 1's unit 0 would be at 3%.
    """
    paid = make_plan("breakaway", BREAKAWAY).pay(month_of([-1, 0], [599, 1]))
    np.testing.assert_allclose(paid.personal, [35.94, 0])
    np.testing.assert_allclose(paid.override, [0.06, 0])


def test_breakaway_leg_exactly_at_the_breakaway_threshold_breaks_away():
    """0 and 1 (under 0) each buy 1,200 PV; breakaway at 1,200 GV.

    1's GV is exactly 1,200: it breaks away, so 0's GV is its own 1,200 (9%,
    breakaway rank). 0 earns 9% x 1,200 = 108 personal and, instead of a
    differential, generation 1 on 1's group: 4% x 1,200 = 48. 1 earns 108.
    Had 1 not broken away, 0's GV would be 2,400 and 0 would earn a (9 - 9)% = 0
    differential and no generation override.
    """
    paid = make_plan("breakaway", BREAKAWAY).pay(month_of([-1, 0], [1200, 1200]))
    np.testing.assert_allclose(paid.personal, [108, 108])
    np.testing.assert_allclose(paid.override, [48, 0])


# --- shared interface: rates, equality, tables, descriptions, registry ---------------------


@pytest.mark.parametrize("rates", [(1.0,), (0.1, 0.0), (0.0,)])
def test_level_rates_may_be_zero_or_one(rates):
    assert make_plan("unilevel", {"rates": rates}).max_depth == len(rates)


@pytest.mark.parametrize("rates", [(-0.01,), (1.01,), (0.5, -0.01)])
def test_level_rates_outside_zero_to_one_are_rejected(rates):
    with pytest.raises(ValueError, match=r"each rate must be in \[0, 1\] and their sum <= 1"):
        make_plan("unilevel", {"rates": rates})


def test_plans_of_one_class_with_different_parameters_differ():
    assert make_plan("unilevel", {"rates": (0.1,)}) != make_plan("unilevel", {"rates": (0.2,)})
    assert make_plan("unilevel", {"rates": (0.1,)}) == make_plan("unilevel", {"rates": (0.1,)})


def test_table_holds_plain_lists_for_toml():
    """`to_table` is JSON-like: a tuple parameter becomes a list."""
    plan = make_plan(
        "unilevel",
        {
            "starter_fee": 10.0,
            "monthly_fee": 5.0,
            "qualification_pv": 50.0,
            "rates": (0.1, 0.05),
            "compression": "dynamic",
        },
    )
    table = plan.to_table()
    assert table == {
        "name": "unilevel",
        "starter_fee": 10.0,
        "monthly_fee": 5.0,
        "qualification_pv": 50.0,
        "rates": [0.1, 0.05],
        "compression": "dynamic",
    }
    assert isinstance(table["rates"], list)


def test_table_without_a_name_is_rejected():
    with pytest.raises(ValueError, match="plan table needs a 'name'"):
        CompensationPlan.from_table({"rates": [0.1]})


def test_table_without_a_name_is_rejected_with_exactly_that_message():
    with pytest.raises(ValueError, match=r"^plan table needs a 'name'$"):
        CompensationPlan.from_table({"starter_fee": 10.0})


class _Documented(CompensationPlan):
    __doc__ = "A summary that\nwraps onto a second line.\n\nDetails reports leave out."


class _Undocumented(CompensationPlan):
    pass


def test_describe_is_the_first_paragraph_on_one_line():
    assert _Documented.describe() == "A summary that wraps onto a second line."
    assert _Undocumented.describe() == ""


def test_registering_adds_a_plan_under_its_name(monkeypatch):
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))

    class Extra:
        name = "extra"

    assert register_plan(Extra) is Extra
    assert plan_class("extra") is Extra
    assert "extra" in registry.available_plans()


def test_registering_a_name_twice_is_rejected():
    with pytest.raises(ValueError, match="plan name 'unilevel' is registered twice"):
        register_plan(Unilevel)
