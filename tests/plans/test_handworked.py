"""Hand-worked payouts on a fixed downline of eight people.

Placement tree (parent in brackets), rates (0.10, 0.05, 0.02):

    0 (company)
    |-- 1 (0)            PV 100
    |   |-- 3 (1)        PV  50, unqualified (PV below 100)
    |   |   `-- 6 (3)    PV 200
    |   `-- 4 (1)        PV 100
    `-- 2 (0)            quit
        `-- 5 (2)        PV 100
            `-- 7 (5)    PV 100
    0 itself: PV 100

Dynamic compression skips 3 (unqualified) and 2 (quit):
- 6's 200 PV: level 1 is 1 (10% = 20), level 2 is 0 (5% = 10).
- 3's 50 PV: 1 gets 5, 0 gets 2.5.
- 4's 100 PV: 1 gets 10, 0 gets 5.
- 1's 100 PV: 0 gets 10.
- 5's 100 PV: 2 is skipped, so 0 is level 1 and gets 10.
- 7's 100 PV: 5 gets 10; 2 skipped, 0 is level 2 and gets 5.
Totals: 0 -> 42.5, 1 -> 35, 5 -> 10, everyone else 0.

Compression past inactive members only (the default) skips 2 (quit) but not
3, who holds its level unpaid (breakage):
- 6's 200 PV: level 1 is 3, unqualified (20 forfeited); level 2 is 1 (5% = 10);
  level 3 is 0 (2% = 4).
- 3's 50 PV: 1 gets 5, 0 gets 2.5. 4's 100 PV: 1 gets 10, 0 gets 5.
- 1's 100 PV: 0 gets 10. 5's 100 PV: 0 gets 10. 7's 100 PV: 5 gets 10, 0 gets 5.
Totals: 0 -> 36.5, 1 -> 25, 5 -> 10; had 3 qualified it would have had 20.
"""

import numpy as np
import pytest

from model.plans import PlanInput, make_plan
from model.plans.tree import nearest_marked_ancestor

UPLINE = np.array([-1, 0, 0, 1, 1, 2, 3, 5])
ACTIVE = np.array([1, 1, 0, 1, 1, 1, 1, 1], dtype=bool)
PV = np.array([100, 100, 0, 50, 100, 100, 200, 100], dtype=float)
QUALIFIED = ACTIVE & (PV >= 100)


def volumes(customer_sales=None):
    return PlanInput(
        upline=UPLINE,
        active=ACTIVE,
        qualified=QUALIFIED,
        pv=PV,
        customer_sales=np.zeros(8) if customer_sales is None else customer_sales,
        month=1,
    )


def test_unilevel_handworked_with_dynamic_compression():
    plan = make_plan(
        "unilevel",
        {"rates": (0.10, 0.05, 0.02), "qualification_pv": 100, "compression": "dynamic"},
    )
    payout = plan.pay(volumes())
    expected = np.array([42.5, 35, 0, 0, 0, 10, 0, 0])
    np.testing.assert_allclose(payout.override, expected)
    np.testing.assert_array_equal(payout.personal, np.zeros(8))


def test_unilevel_handworked_with_compression_past_inactive_members():
    plan = make_plan("unilevel", {"rates": (0.10, 0.05, 0.02), "qualification_pv": 100})
    payout = plan.pay(volumes())
    np.testing.assert_allclose(payout.override, [36.5, 25, 0, 0, 0, 10, 0, 0])
    # breakage: what 3 would have been paid had it qualified
    assert plan.potential_pay(volumes()) == pytest.approx(36.5 + 25 + 10 + 20)


def test_unilevel_without_compression_pays_the_unqualified_nobody():
    """Same tree, all qualified and active: 3 now takes 6's first level."""
    plan = make_plan("unilevel", {"rates": (0.10, 0.05, 0.02)})
    everyone = np.ones(8, dtype=bool)
    v = PlanInput(UPLINE, everyone, everyone, PV, np.zeros(8), 1)
    payout = plan.pay(v)
    # 0: 4 (6, level 3) + 2.5 (3) + 5 (4) + 10 (1) + 5 (5, level 2) + 2 (7, level 3) = 28.5
    # 1: 10 (6, level 2) + 5 (3) + 10 (4) = 25;  2: 10 (5) + 5 (7) = 15
    # 3: 20 (6);  5: 10 (7)
    expected = np.array([4 + 2.5 + 5 + 10 + 5 + 2, 10 + 5 + 10, 15, 20, 0, 10, 0, 0])
    np.testing.assert_allclose(payout.override, expected)


def test_referral_pays_rate_on_own_customers_only():
    plan = make_plan("referral", {"rate": 0.1})
    sales = np.array([100, 0, 50, 0, 0, 30, 0, 0], dtype=float)
    payout = plan.pay(volumes(sales))
    # 2 has quit: its customers' spend pays nobody. Downline PV pays nothing.
    np.testing.assert_allclose(payout.personal, [10, 0, 0, 0, 0, 3, 0, 0])
    np.testing.assert_array_equal(payout.override, np.zeros(8))


def test_referral_pays_nothing_for_recruiting():
    plan = make_plan("referral")
    payout = plan.pay(volumes())  # big downline volumes, no customer sales
    assert payout.total.sum() == 0


@pytest.mark.parametrize(
    ("marked", "expected"),
    [
        (QUALIFIED, [-1, 0, 0, 1, 1, 0, 1, 5]),
        (np.ones(8, dtype=bool), [-1, 0, 0, 1, 1, 2, 3, 5]),
        (np.zeros(8, dtype=bool), [-1] * 8),
    ],
)
def test_nearest_marked_ancestor(marked, expected):
    np.testing.assert_array_equal(nearest_marked_ancestor(UPLINE, marked), expected)


def test_nearest_marked_ancestor_on_a_long_chain():
    n = 1000
    parent = np.arange(-1, n - 1)
    marked = np.zeros(n, dtype=bool)
    marked[[0, 500]] = True
    up = nearest_marked_ancestor(parent, marked)
    assert up[0] == -1
    assert np.all(up[1:501] == 0)
    assert np.all(up[501:] == 500)


def test_level_rates_may_add_up_to_exactly_one():
    """Twenty levels at 5% add up to 1 (a naive float sum gives 1.0000000000000002)."""
    assert make_plan("unilevel", {"rates": [0.05] * 20}).max_depth == 20
    with pytest.raises(ValueError, match="sum"):
        make_plan("unilevel", {"rates": [0.05] * 19 + [0.06]})
