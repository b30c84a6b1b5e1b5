"""Binary plan: two legs, a pairing bonus on the weaker leg, carry-over, caps and flush."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field, PrivateAttr

from model.plans.base import UNLIMITED_DEPTH, CompensationPlan, Payout, PlanInput
from model.plans.registry import register_plan
from model.plans.slots import SlotTree
from model.plans.tree import subtree_sums

LEFT, RIGHT = 0, 1


@register_plan
class Binary(CompensationPlan):
    """Binary: two legs per participant; a rate on the weaker leg's volume, with carry-over.

    Everyone has two slots below them, left and right. A recruit goes into
    the sponsor's chosen leg (`placement`): the weaker leg (less leg volume
    last month; on a tie the leg whose slot under the sponsor is open, then
    left), or the extreme left / extreme right of the sponsor's tree. If the
    slot under the sponsor is taken, the recruit spills over to the first
    open slot in that leg, breadth-first and left to right (extreme placement
    goes to the bottom of the outer chain). A leg's volume is the PV of its
    whole subtree this month. Each month a qualified participant adds both
    legs' volume to what it carried over and is paid `rate` times the
    smaller total (the pair), at most `monthly_cap`; the paired volume is
    used up on both sides and the stronger leg's excess carries over (at
    most `carry_cap` per leg). Carry-over is flushed (set to zero) when the
    cap is hit and `flush_on_cap`, and when the participant has been
    unqualified for `flush_after_idle_months` months or has quit. If the
    month's pairing bonuses exceed `payout_cap` of the month's total PV,
    all are cut pro rata (the company's payout ceiling).

    Example: rate 0.10. A has B on the left and C on the right and carries
    50 BV on the right. This month B's subtree buys 300 PV and C's 100 PV:
    left 300, right 150, pair 150, A earns 15 and carries 150 on the left,
    0 on the right. With `monthly_cap` 10, A earns 10 and, with
    `flush_on_cap`, carries nothing.

    Parameters: starter_fee [$], monthly_fee [$/month], qualification_pv
    [BV/month], placement (weaker | extreme_left | extreme_right), rate
    (share of the weaker leg, 0..1), monthly_cap [$/month per participant,
    inf: none], carry_cap [BV per leg, inf: none], flush_on_cap,
    flush_after_idle_months [months], payout_cap (share of the month's PV).
    Defaults: $100 starter kit, 100 PV, weaker leg, 10%, $1,000 a month,
    no carry cap, flush on cap and after one idle month, 40% ceiling.
    """

    name: ClassVar[str] = "binary"
    family: ClassVar[str] = "binary"
    structure: ClassVar[str] = "binary"
    recruiting_reward: ClassVar[bool] = True
    stateless_pay: ClassVar[bool] = False

    starter_fee: float = Field(100.0, ge=0, allow_inf_nan=False, description="one-off fee [$]")
    qualification_pv: float = Field(
        100.0, ge=0, allow_inf_nan=False, description="personal volume needed to earn [BV/month]"
    )
    placement: Literal["weaker", "extreme_left", "extreme_right"] = Field(
        "weaker", description="the sponsor's placement rule for recruits"
    )
    rate: float = Field(
        0.10, ge=0, le=1, allow_inf_nan=False, description="share of the weaker leg's volume [0..1]"
    )
    monthly_cap: float = Field(
        1000.0, ge=0, description="most one participant earns in a month [$/month, inf: no cap]"
    )
    carry_cap: float = Field(
        float("inf"), ge=0, description="most volume carried over per leg [BV, inf: no cap]"
    )
    flush_on_cap: bool = Field(True, description="hitting monthly_cap flushes the carry-over")
    flush_after_idle_months: int = Field(
        1, ge=1, le=120, description="consecutive unqualified months that flush carry-over [months]"
    )
    payout_cap: float = Field(
        0.40, gt=0, le=1, allow_inf_nan=False, description="company ceiling [share of month's PV]"
    )

    _tree: SlotTree = PrivateAttr()
    _carry: np.ndarray = PrivateAttr()
    _legs: np.ndarray = PrivateAttr()
    _idle: np.ndarray = PrivateAttr()

    def model_post_init(self, context: Any, /) -> None:
        """Start with empty per-run state."""
        self.reset(0)

    @property
    def max_depth(self) -> int:
        """Unlimited: a leg's volume counts however deep it is."""
        return UNLIMITED_DEPTH

    @property
    def max_payout_share(self) -> float:
        """The company payout ceiling (pairing on unlimited depth has no smaller bound)."""
        return self.payout_cap

    def reset(self, n_people: int) -> None:
        """Empty the legs, carry-over and idle counters for `n_people` people."""
        self._tree = SlotTree(n_people, 2)
        self._carry = np.zeros((n_people, 2))
        self._legs = np.zeros((n_people, 2))
        self._idle = np.zeros(n_people, dtype=np.int64)

    def place(self, recruits: np.ndarray, sponsors: np.ndarray, upline: np.ndarray) -> np.ndarray:
        """Place each recruit in its sponsor's chosen leg, spilling over below (see class doc)."""
        tree = self._tree
        for recruit, sponsor in zip(recruits.tolist(), sponsors.tolist(), strict=True):
            if sponsor < 0:
                continue
            if self.placement == "weaker":
                taken = tree.child[sponsor] >= 0
                legs = self._legs[sponsor]
                side = LEFT if (legs[LEFT], taken[LEFT]) <= (legs[RIGHT], taken[RIGHT]) else RIGHT
                top = int(tree.child[sponsor, side])
                parent, slot = (sponsor, side) if top < 0 else tree.first_open(top)
            else:
                slot = LEFT if self.placement == "extreme_left" else RIGHT
                parent = tree.outermost(sponsor, slot)
            tree.attach(recruit, parent, slot)
        return tree.parent[recruits].copy()

    def pay(self, volumes: PlanInput) -> Payout:
        """Pairing bonus on the weaker leg with carry-over, caps and flush (see class doc)."""
        n = volumes.pv.size
        if self._carry.shape[0] != n:
            raise ValueError(f"plan was reset for {self._carry.shape[0]} people, not {n}")
        qualified = volumes.qualified
        child = self._tree.child
        group = subtree_sums(volumes.upline, volumes.pv)
        self._legs = np.where(child >= 0, group[np.maximum(child, 0)], 0.0)
        self._idle = np.where(qualified, 0, self._idle + 1)
        legs = self._carry + self._legs
        pair = np.where(qualified, legs.min(axis=1), 0.0)
        bonus = self.rate * pair
        capped = bonus > self.monthly_cap
        bonus = np.minimum(bonus, self.monthly_cap)
        carry = np.minimum(legs - pair[:, None], self.carry_cap)
        flush = (self._idle >= self.flush_after_idle_months) | ~volumes.active
        if self.flush_on_cap:
            flush |= capped
        carry[flush] = 0.0
        self._carry = carry
        payout = Payout(personal=np.zeros(n), override=bonus)
        return payout.capped(self.payout_cap * float(volumes.pv.sum()))
