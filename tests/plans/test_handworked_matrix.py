"""Hand-worked placement, spillover, level pay and completion bonus of a 3 x 2 forced matrix.

Width 3, depth 2, rates (10%, 5%), completion bonus $50, qualification 100 PV.
0 is a founder and sponsors everyone else except 6, whom 2 sponsors; recruits
join in the order 1, 2, 3, 4, 5, 6, 7, 8, ..., 12:

    1, 2, 3 -> 0's front line
    4, 5    -> 0's front line is full: spill over breadth-first to 1's slots
    6       -> sponsor 2 has room: 2's first slot
    7       -> 1's last slot (first open breadth-first below 0)
    8, 9    -> 2's remaining slots;  10, 11, 12 -> 3's slots

    0
    |-- 1: 4, 5, 7
    |-- 2: 6, 8, 9
    `-- 3: 10, 11, 12

With 12 (= 3 + 3^2) positions filled, 0's matrix is complete when 12 is
placed: 0 earns the $50 bonus in the next month it is paid, if qualified.

Month: everyone buys 100 PV except 1 (50, unqualified) and 4 (0).
Compression skips 1, so 0 is level 1 for 1's volume and for 5 and 7:
    1 (50): 0 gets 10% = 5;  2, 3: 0 gets 10 each
    5, 7:   0 gets 10 each (level 1 past 1; no level 2 above 0)
    6, 8, 9: 2 gets 10 each = 30, 0 gets 5 each = 15
    10, 11, 12: 3 gets 30, 0 gets 15
    0: 5 + 20 + 20 + 15 + 15 = 75, plus the completion bonus 50 = 125
"""

import numpy as np
import pytest

from model.plans import PlanInput, make_plan

N = 13
PARAMS = {"width": 3, "depth": 2, "rates": (0.10, 0.05), "completion_bonus": 50.0}
SPONSORS = np.array([-1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0])
PV = np.array([100, 50, 100, 100, 0] + [100] * 8, dtype=float)


def placed(**params):
    plan = make_plan("matrix", {**PARAMS, **params})
    plan.reset(N)
    upline = plan.place(np.arange(N), SPONSORS, np.full(N, -1))
    return plan, upline


def month(upline, pv=PV, number=1):
    active = np.ones(N, dtype=bool)
    return PlanInput(upline, active, pv >= 100, pv, np.zeros(N), number)


def test_matrix_fills_breadth_first_with_spillover():
    plan, upline = placed()
    np.testing.assert_array_equal(upline, [-1, 0, 0, 0, 1, 1, 2, 1, 2, 2, 3, 3, 3])
    np.testing.assert_array_equal(plan._tree.child[1], [4, 5, 7])
    np.testing.assert_array_equal(plan._tree.child[2], [6, 8, 9])


def test_matrix_pays_levels_with_compression_and_the_completion_bonus_once():
    plan, upline = placed()
    first = plan.pay(month(upline))
    expected = np.zeros(N)
    expected[[0, 2, 3]] = [125, 30, 30]
    np.testing.assert_allclose(first.override, expected)
    np.testing.assert_array_equal(first.personal, np.zeros(N))
    second = plan.pay(month(upline, number=2))
    expected[0] = 75
    np.testing.assert_allclose(second.override, expected)


def test_matrix_completion_bonus_is_forfeited_when_unqualified():
    plan, upline = placed()
    pv = PV.copy()
    pv[0] = 0.0
    paid = plan.pay(month(upline, pv))
    assert paid.total[0] == 0
    assert plan.pay(month(upline, number=2)).total[0] == pytest.approx(75)


def test_matrix_incomplete_without_the_last_position():
    """Without 12, 0 has 11 of 12 positions: no bonus; 12's PV is missing too (75 - 5)."""
    plan = make_plan("matrix", PARAMS)
    plan.reset(N)
    upline = np.full(N, -1)
    upline[:12] = plan.place(np.arange(12), SPONSORS[:12], upline)
    pv = PV.copy()
    pv[12] = 0.0
    assert plan.pay(month(upline, pv)).override[0] == pytest.approx(70)


def test_matrix_company_ceiling():
    """Ceiling 10% of 1,150 PV = 115 against 185 earned: all cut by 115 / 185."""
    plan, upline = placed(payout_cap=0.10)
    paid = plan.pay(month(upline))
    assert paid.total.sum() == pytest.approx(115)
    assert paid.override[2] == pytest.approx(30 * 115 / 185)


def test_matrix_bound_without_completion_bonus_is_the_rate_sum():
    assert make_plan("matrix").max_payout_share == pytest.approx(0.35)
    assert make_plan("matrix", PARAMS).max_payout_share == pytest.approx(0.40)


def test_matrix_needs_one_rate_per_level():
    with pytest.raises(ValueError, match="one entry per level"):
        make_plan("matrix", {"depth": 3})
