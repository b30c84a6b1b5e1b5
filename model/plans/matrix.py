"""Forced matrix plan: width x depth positions filled breadth-first, rates per level."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from pydantic import Field, PrivateAttr, field_validator, model_validator

from model.plans.base import CompensationPlan, Payout, PlanInput, check_level_rates
from model.plans.registry import register_plan
from model.plans.slots import SlotTree
from model.plans.tree import pay_by_level


@register_plan
class Matrix(CompensationPlan):
    """Forced matrix: `width` slots below everyone, filled breadth-first; a rate per level.

    A recruit takes the first open slot under its sponsor; when the
    sponsor's front line (`width` slots) is full it spills over into the
    sponsor's downline, to the first open slot breadth-first, left to right.
    Each member's PV then pays `rates[k]` to its (k+1)-th qualified upline in
    the matrix, for `depth` levels, with compression past unqualified and
    quit members as in the unilevel plan. When all width + width^2 + ... +
    width^depth positions below a member are filled, the member earns
    `completion_bonus` once, in that month, if qualified (else it is
    forfeited). If a month's commissions exceed `payout_cap` of the month's
    PV, all are cut pro rata (the company's payout ceiling).

    Example: width 3, rates (0.05, 0.05). A sponsors B, C and D, who fill
    A's front line; A's fourth recruit E spills over into B's first slot.
    E buys 100 PV: B (level 1) earns 5 and A (level 2) earns 5. With width 2,
    depth 1 and completion_bonus 20, A's matrix is complete once B and C are
    placed, and A earns 20 that month.

    Parameters: starter_fee [$], monthly_fee [$/month], qualification_pv
    [BV/month], width [slots], depth [levels], rates (share of PV per level,
    one per level), completion_bonus [$, once], payout_cap (share of the
    month's PV). Defaults: $100 starter kit, 100 PV, 3 x 7, 5% a level, no
    completion bonus, 40% ceiling.
    """

    name: ClassVar[str] = "matrix"
    family: ClassVar[str] = "forced matrix"
    structure: ClassVar[str] = "matrix"
    recruiting_reward: ClassVar[bool] = True
    stateless_pay: ClassVar[bool] = False

    starter_fee: float = Field(100.0, ge=0, allow_inf_nan=False, description="one-off fee [$]")
    qualification_pv: float = Field(
        100.0, ge=0, allow_inf_nan=False, description="personal volume needed to earn [BV/month]"
    )
    width: int = Field(3, ge=2, le=10, description="slots directly below each member [people]")
    depth: int = Field(7, ge=1, le=12, description="levels of the matrix that pay [levels]")
    rates: tuple[float, ...] = Field(
        (0.05,) * 7, min_length=1, max_length=12, description="share of PV per level, nearest first"
    )
    completion_bonus: float = Field(
        0.0, ge=0, allow_inf_nan=False, description="paid once when one's matrix is full [$]"
    )
    payout_cap: float = Field(
        0.40, gt=0, le=1, allow_inf_nan=False, description="company ceiling [share of month's PV]"
    )

    _tree: SlotTree = PrivateAttr()
    _filled: np.ndarray = PrivateAttr()
    _due: np.ndarray = PrivateAttr()

    @field_validator("rates")
    @classmethod
    def _rates_are_shares(cls, rates: tuple[float, ...]) -> tuple[float, ...]:
        return check_level_rates(rates)

    @model_validator(mode="after")
    def _one_rate_per_level(self) -> Matrix:
        if len(self.rates) != self.depth:
            raise ValueError(f"rates needs one entry per level ({self.depth}), got {self.rates}")
        return self

    def model_post_init(self, context: Any, /) -> None:
        """Start with empty per-run state."""
        self.reset(0)

    @property
    def max_depth(self) -> int:
        """Number of paid levels."""
        return self.depth

    @property
    def capacity(self) -> int:
        """Positions in one member's full matrix: width + width^2 + ... + width^depth."""
        return sum(self.width**level for level in range(1, self.depth + 1))

    @property
    def max_payout_share(self) -> float:
        """Sum of the level rates, or the ceiling if lower or if a completion bonus is paid."""
        if self.completion_bonus > 0:
            return self.payout_cap
        return min(float(sum(self.rates)), self.payout_cap)

    def reset(self, n_people: int) -> None:
        """Empty the matrix for `n_people` people."""
        self._tree = SlotTree(n_people, self.width)
        self._filled = np.zeros(n_people, dtype=np.int64)
        self._due = np.zeros(n_people, dtype=bool)

    def place(self, recruits: np.ndarray, sponsors: np.ndarray, upline: np.ndarray) -> np.ndarray:
        """Place each recruit in the first open slot under its sponsor, breadth-first."""
        tree, capacity = self._tree, self.capacity
        for recruit, sponsor in zip(recruits.tolist(), sponsors.tolist(), strict=True):
            if sponsor < 0:
                continue
            parent, slot = tree.first_open(sponsor)
            tree.attach(recruit, parent, slot)
            above = parent
            for _ in range(self.depth):
                if above < 0:
                    break
                self._filled[above] += 1
                self._due[above] |= self._filled[above] == capacity
                above = int(tree.parent[above])
        return tree.parent[recruits].copy()

    def pay(self, volumes: PlanInput) -> Payout:
        """Level commissions in the matrix plus completion bonuses, within the ceiling."""
        n = volumes.pv.size
        if self._due.size != n:
            raise ValueError(f"plan was reset for {self._due.size} people, not {n}")
        override = pay_by_level(volumes.upline, volumes.qualified, volumes.pv, self.rates)
        override += np.where(self._due & volumes.qualified, self.completion_bonus, 0.0)
        self._due[:] = False
        payout = Payout(personal=np.zeros(n), override=override)
        return payout.capped(self.payout_cap * float(volumes.pv.sum()))
