"""Hand-worked placement, pairing, carry-over, cap and flush of the binary plan (eleven people).

Rate 10%, qualification 100 PV, weaker-leg placement. Month 0: 0 is a
founder. Before month 1, 0 sponsors 1, 2, 3, 4 and 1 sponsors 5, 6. No leg
has volume yet, so ties go to the leg whose slot under the sponsor is open,
then left:

    1 -> 0.L (both open);  2 -> 0.R (left taken);
    3 -> left leg of 0, slot taken: spills to the first open slot below 1: 1.L
    4 -> left again: 1.R;  5 (sponsor 1) -> 1's left leg, spills to 3.L;  6 -> 3.R

Month 1, 0-6 buy 100 PV each except 2 (200), 800 PV in all. Leg volumes (subtree PV):
    0: L = 1's subtree 500, R = 200 -> pair 200, earns 20, carries L 300
    1: L = 3's subtree 300, R = 100 -> pair 100, earns 10, carries L 200
    3: L = 100, R = 100            -> pair 100, earns 10, carries nothing
Before month 2, 0 sponsors 7, 8, 10 and 2 sponsors 9. 0's weaker leg last
month was the right (200 < 500):
    7 -> 2.L;  8 -> 2.R;  9 (sponsor 2, no legs yet) -> 2's left leg: 7.L
    10 -> right leg of 0: 2 is full, breadth-first 7.R is the first open slot

    0
    |-- L 1                     `-- R 2
    |   |-- L 3                     |-- L 7
    |   |   |-- L 5                 |   |-- L 9
    |   |   `-- R 6                 |   `-- R 10
    |   `-- R 4                     `-- R 8

Month 2, monthly cap $25, everyone 100 PV except 3 (0 PV, unqualified):
    0: L = 300 carried + 400, R = 0 + 500 -> pair 500 = 50, capped at 25;
       the cap flushes the carry-over (200 left unpaid on the left is lost)
    1: L = 200 + 200 (3's subtree), R = 100 -> pair 100, earns 10, carries L 300
    3: unqualified: no pay and its carry-over (100 / 100) is flushed
    2: L = 300, R = 100 -> earns 10, carries L 200;  7: L 100, R 100 -> earns 10
"""

import numpy as np
import pytest

from model.plans import PlanInput, make_plan

N = 11
BEFORE_MONTH_1 = ([1, 2, 3, 4, 5, 6], [0, 0, 0, 0, 1, 1])
BEFORE_MONTH_2 = ([7, 8, 9, 10], [0, 0, 2, 0])
PV_1 = np.array([100, 100, 200, 100, 100, 100, 100, 0, 0, 0, 0], dtype=float)
PV_2 = np.array([100, 100, 100, 0, 100, 100, 100, 100, 100, 100, 100], dtype=float)


def place(plan, upline, people, sponsors):
    people = np.array(people)
    upline[people] = plan.place(people, np.array(sponsors), upline)


def month(upline, pv, active=None, number=1):
    active = pv > 0 if active is None else active
    return PlanInput(upline.copy(), active, active & (pv >= 100), pv, np.zeros(N), number)


def two_months(**params):
    plan = make_plan("binary", {"rate": 0.10, **params})
    plan.reset(N)
    upline = np.full(N, -1)
    place(plan, upline, [0], [-1])
    place(plan, upline, *BEFORE_MONTH_1)
    first = plan.pay(month(upline, PV_1))
    place(plan, upline, *BEFORE_MONTH_2)
    second = plan.pay(month(upline, PV_2, np.ones(N, dtype=bool), 2))
    return plan, upline, first, second


def test_binary_weaker_leg_placement_and_breadth_first_spillover():
    _, upline, _, _ = two_months()
    np.testing.assert_array_equal(upline, [-1, 0, 0, 1, 1, 3, 3, 2, 2, 7, 7])


def test_binary_pairs_the_weaker_leg_and_carries_the_stronger():
    _, _, first, _ = two_months()
    np.testing.assert_allclose(first.override, [20, 10, 0, 10, 0, 0, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(first.personal, np.zeros(N))


def test_binary_cap_flush_and_idle_flush():
    plan, _, _, second = two_months(monthly_cap=25.0)
    np.testing.assert_allclose(second.override, [25, 10, 10, 0, 0, 0, 0, 10, 0, 0, 0])
    carry = plan._carry
    np.testing.assert_allclose(carry[0], [0, 0])  # flushed by the cap
    np.testing.assert_allclose(carry[1], [300, 0])
    np.testing.assert_allclose(carry[2], [200, 0])
    np.testing.assert_allclose(carry[3], [0, 0])  # flushed: unqualified this month


def test_binary_without_the_cap_flush_keeps_the_carry_over():
    """Same months, cap $25 but no flush on cap: 0 keeps L 700 - 500 = 200."""
    plan, _, _, second = two_months(monthly_cap=25.0, flush_on_cap=False)
    assert second.override[0] == pytest.approx(25)
    np.testing.assert_allclose(plan._carry[0], [200, 0])


def test_binary_carry_cap_limits_what_is_carried():
    """Carry-over at most 150 per leg: after month 1, 0 carries 150 (not 300), 1 carries 150.

    Month 2: 0 pairs min(150 + 400, 500) = 500 -> 50; 1 pairs min(150 + 200, 100) -> 10.
    """
    plan, _, first, second = two_months(carry_cap=150.0)
    np.testing.assert_allclose(first.override[[0, 1, 3]], [20, 10, 10])
    np.testing.assert_allclose(second.override[[0, 1]], [50, 10])
    np.testing.assert_allclose(plan._carry[0], [50, 0])


def test_binary_company_ceiling_cuts_every_bonus_pro_rata():
    """Ceiling 2% of 800 PV = 16 against 40 earned: every bonus is cut by 16 / 40."""
    _, _, first, _ = two_months(payout_cap=0.02)
    np.testing.assert_allclose(first.override[[0, 1, 3]], [8, 4, 4])
    assert first.total.sum() == pytest.approx(0.02 * PV_1.sum())


def test_binary_idle_months_before_flush():
    """0 over 1 (L) and 2 (R). Month 1: L 300, R 100: 0 earns 10, carries L 200.

    Month 2: 0 buys nothing (unqualified), 1 buys 100: no pay; with
    flush_after_idle_months 2 the carry grows to L 300. Month 3: 0 buys 100,
    2 buys 300: pair min(300, 300) -> 30. With the default (flush after one
    idle month) the carry is lost in month 2 and month 3 pairs min(0, 300) = 0.
    """
    pvs = [[100, 300, 100], [0, 100, 0], [100, 0, 300]]
    for idle_months, expected in ((2, 30.0), (1, 0.0)):
        plan = make_plan("binary", {"flush_after_idle_months": idle_months})
        plan.reset(3)
        upline = plan.place(np.arange(3), np.array([-1, 0, 0]), np.full(3, -1))
        paid = []
        for number, pv in enumerate(pvs, start=1):
            pv = np.array(pv, dtype=float)
            active = np.ones(3, dtype=bool)
            paid.append(plan.pay(PlanInput(upline, active, pv >= 100, pv, np.zeros(3), number)))
        assert paid[0].override[0] == pytest.approx(10)
        assert paid[1].override[0] == 0
        assert paid[2].override[0] == pytest.approx(expected)


def test_binary_quitting_flushes_and_reset_clears_the_carry_over():
    plan, upline, _, _ = two_months()
    assert plan._carry[0, 0] > 0
    pv = np.where(np.arange(N) == 0, 0.0, 100.0)
    active = np.arange(N) != 0
    plan.pay(month(upline, pv, active, 3))
    np.testing.assert_array_equal(plan._carry[0], [0, 0])
    plan.reset(N)
    assert not plan._carry.any() and not plan._legs.any()
    assert np.all(plan._tree.parent == -1)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        # 0 sponsors 1, 2, 3; then 1 sponsors 4: extreme left puts each on the outer left chain.
        ("extreme_left", [-1, 0, 1, 2, 3]),
        ("extreme_right", [-1, 0, 1, 2, 3]),
    ],
)
def test_binary_extreme_placement(rule, expected):
    plan = make_plan("binary", {"placement": rule})
    plan.reset(5)
    upline = plan.place(np.arange(5), np.array([-1, 0, 0, 0, 1]), np.full(5, -1))
    np.testing.assert_array_equal(upline, expected)
    side = 0 if rule == "extreme_left" else 1
    np.testing.assert_array_equal(plan._tree.child[:4, side], [1, 2, 3, 4])
    assert np.all(plan._tree.child[:, 1 - side] == -1)
