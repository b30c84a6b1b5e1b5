"""Hand-worked payouts of the stair-step breakaway plan on a fixed downline of twelve people.

Ranks (small, for readable arithmetic): 200 / 600 / 1,200 GV at 3 / 6 / 9%;
breakaway at rank 3 (1,200 GV); generation overrides 4% and 2%;
qualification 100 PV. Sponsor tree (upline = sponsor), PV in brackets:

    0 (200)
    |-- 1 (100)
    |   |-- 3 (100)
    |   `-- 4 (50, unqualified: its PV and leg roll up to 1)
    |       `-- 8 (150)
    |-- 2 (300)
    |   |-- 5 (400)
    |   |   |-- 9 (500)
    |   |   `-- 10 (400)
    |   `-- 6 (quit, 0)
    |       `-- 11 (1,000; compressed past 6 to 2)
    `-- 7 (600)

Group volumes, bottom up (GV of a broken-away leg does not count above it):
- 9: 500 (3%), 10: 400 (3%), 5: 400 + 500 + 400 = 1,300 (9%): 5 breaks away.
- 11: 1,000 (6%); 2: 300 + 1,000 = 1,300 (9%): 2 breaks away too.
- 3: 100 (0%), 8: 150 (0%); 1: 100 + 50 (4's PV) + 100 + 150 = 400 (3%).
- 7: 600 (6%); 0: 200 + 400 + 600 = 1,200 (9%, breakaway rank).

Payouts (personal = own rate x own PV; override = differentials + generations):
- 9: 3% x 500 = 15 personal; 10: 3% x 400 = 12 personal.
- 5: 9% x 400 = 36 personal; (9-3)% x 500 + (9-3)% x 400 = 30 + 24 = 54 override.
- 11: 6% x 1,000 = 60 personal.
- 2: 9% x 300 = 27 personal; (9-6)% x 1,000 = 30 on 11, plus generation 1 on
  5's group: 4% x 1,300 = 52 -> 82 override.
- 1: 3% x 100 = 3 personal; 3% x 50 (4's PV) + 3% x 100 (3) + 3% x 150 (8) = 9 override.
- 7: 6% x 600 = 36 personal.
- 0: 9% x 200 = 18 personal; (9-3)% x 400 + (9-6)% x 600 = 24 + 18 = 42
  differential, generation 1 on 2's group 4% x 1,300 = 52, generation 2 on
  5's group 2% x 1,300 = 26 -> 120 override.
- 3, 8 (below the first rank), 4 (unqualified), 6 (quit): nothing.
Each group pays its top rate in total: 0's 1,200 x 9% = 108 = 18 + 42 + 3 + 9 + 36.
"""

import numpy as np
import pytest

from model.plans import PlanInput, make_plan

UPLINE = np.array([-1, 0, 0, 1, 1, 2, 2, 0, 4, 5, 5, 6])
ACTIVE = np.ones(12, dtype=bool)
ACTIVE[6] = False
PV = np.array([200, 100, 300, 100, 50, 400, 0, 600, 150, 500, 400, 1000], dtype=float)
PARAMS = {
    "rank_thresholds": (200, 600, 1200),
    "rank_rates": (0.03, 0.06, 0.09),
    "breakaway_rank": 3,
    "generation_rates": (0.04, 0.02),
    "qualification_pv": 100,
}


def pay(pv=PV, active=ACTIVE, **overrides):
    plan = make_plan("breakaway", {**PARAMS, **overrides})
    month = PlanInput(UPLINE, active, active & (pv >= 100), pv, np.zeros(12), 1)
    return plan.pay(month)


def test_breakaway_handworked_two_breakaways_and_two_generations():
    payout = pay()
    personal = [18, 3, 27, 0, 0, 36, 0, 36, 0, 15, 12, 60]
    override = [120, 9, 82, 0, 0, 54, 0, 0, 0, 0, 0, 0]
    np.testing.assert_allclose(payout.personal, personal)
    np.testing.assert_allclose(payout.override, override)
    # 3,800 PV; the bound is (9% + 4% + 2%) x 3,800 = 570.
    assert payout.total.sum() == pytest.approx(472)


def test_breakaway_event_swaps_the_differential_for_a_generation_override():
    """Before the event, 9 buys 300 instead of 500, so 5's group is 1,100 GV (6%): no breakaway.

    - 5: 6% x 400 = 24 personal; (6-3)% x 300 + (6-3)% x 400 = 21 override.
    - 2: GV 300 + 1,100 + 1,000 = 2,400 (9%): 27 personal; (9-6)% x 1,100 = 33
      on 5 + 30 on 11 = 63 override; no generation override.
    - 0: same group (42 differential); generation 1 on 2's group 4% x 2,400 = 96,
      nothing on 5 -> 138 override.
    After the event (the module's example) 2 earns 52 generation instead of
    33 differential on 5, and 0 earns 52 + 26 instead of 96.
    """
    pv = PV.copy()
    pv[9] = 300
    payout = pay(pv)
    np.testing.assert_allclose(payout.personal[[0, 2, 5, 9]], [18, 27, 24, 9])
    np.testing.assert_allclose(payout.override[[0, 2, 5]], [138, 63, 21])


def test_breakaway_generations_go_only_to_breakaway_rank_uplines():
    """7 quits: 0's GV falls to 600 (6%), below breakaway rank.

    0 then earns 6% x 200 = 12 personal and (6-3)% x 400 = 12 differential on
    1's leg; the generation overrides on 2's and 5's groups find no
    breakaway-rank upline above 2 and stay with the company.
    """
    active, pv = ACTIVE.copy(), PV.copy()
    active[7], pv[7] = False, 0.0
    payout = pay(pv, active)
    assert payout.personal[0] == pytest.approx(12)
    assert payout.override[0] == pytest.approx(12)
    assert payout.override[2] == pytest.approx(82)  # 2 still takes generation 1 on 5
    assert payout.total[7] == 0


def test_breakaway_ranks_are_rechecked_every_month():
    """The same plan object pays month by month from that month's volumes only."""
    plan = make_plan("breakaway", PARAMS)
    quiet = np.where(np.arange(12) == 0, 200.0, 0.0)
    first = plan.pay(PlanInput(UPLINE, ACTIVE, ACTIVE & (PV >= 100), PV, np.zeros(12), 1))
    second = plan.pay(PlanInput(UPLINE, ACTIVE, ACTIVE & (quiet >= 100), quiet, np.zeros(12), 2))
    assert first.override[0] == pytest.approx(120)
    np.testing.assert_allclose(second.personal, np.where(np.arange(12) == 0, 6.0, 0.0))
    assert second.override.sum() == 0


def test_breakaway_defaults_are_the_amway_uk_steps():
    plan = make_plan("breakaway")
    np.testing.assert_allclose(
        plan.rate_of(np.array([199, 200, 600, 1200, 2400, 4000, 7000, 10000, 1e6])),
        [0, 0.03, 0.06, 0.09, 0.12, 0.15, 0.18, 0.21, 0.21],
    )
    assert plan.max_payout_share == pytest.approx(0.21 + 0.12)


@pytest.mark.parametrize(
    "bad",
    [
        {"rank_rates": (0.03, 0.06)},
        {"rank_thresholds": (200, 100, 300), "rank_rates": (0.01, 0.02, 0.03)},
        {"rank_rates": (0.06, 0.03, 0.09)},
        {"breakaway_rank": 4},
        {"generation_rates": (0.5, 0.5)},
    ],
)
def test_breakaway_rejects_inconsistent_ranks(bad):
    with pytest.raises(ValueError, match=r"rank|generation"):
        make_plan("breakaway", {**PARAMS, **bad})
