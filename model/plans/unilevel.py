"""Unilevel plan: fixed commission rates by level on downline volume."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field, field_validator

from model.plans.base import CompensationPlan, Payout, PlanInput, check_level_rates
from model.plans.registry import register_plan
from model.plans.tree import pay_by_level


@register_plan
class Unilevel(CompensationPlan):
    """Unilevel: a rate per level on the personal volume of everyone below, with compression.

    Every participant's personal volume (PV, wholesale dollars) pays
    `rates[0]` to the first upline, `rates[1]` to the second, and so on.
    Uplines who quit are skipped (compression past inactive members). With
    `compression = "inactive"` (the default) an active upline who bought
    less than `qualification_pv` this month holds its level but is not paid
    it: the company keeps that commission (breakage). With `compression =
    "dynamic"` unqualified uplines are skipped too, and their levels roll up
    to the next qualified upline. Participants buy at wholesale and keep the
    retail margin on what they resell.

    Example: A sponsors B, B sponsors C, rates (0.05, 0.03). C buys 100 PV:
    if all qualify, B earns 5 and A earns 3. If B is unqualified, under
    "inactive" compression B's 5 is forfeited and A earns 3; under "dynamic"
    compression A is C's first level and earns 5.

    Parameters: starter_fee [$], monthly_fee [$/month], qualification_pv
    [BV/month], rates (share of PV per level, nearest first; sum <= 1),
    compression ("inactive" or "dynamic"). Defaults: $100 starter kit,
    100 PV qualification, 8 levels at 5%, compression past inactive members.
    """

    name: ClassVar[str] = "unilevel"
    family: ClassVar[str] = "unilevel"
    recruiting_reward: ClassVar[bool] = True

    starter_fee: float = Field(100.0, ge=0, allow_inf_nan=False)
    qualification_pv: float = Field(100.0, ge=0, allow_inf_nan=False)
    rates: tuple[float, ...] = Field(
        (0.05,) * 8, min_length=1, max_length=20, description="share of PV paid per level"
    )
    compression: Literal["inactive", "dynamic"] = Field(
        "inactive",
        description="skip only uplines who quit (inactive) or also unqualified ones (dynamic)",
    )

    @field_validator("rates")
    @classmethod
    def _rates_are_shares(cls, rates: tuple[float, ...]) -> tuple[float, ...]:
        return check_level_rates(rates)

    @property
    def max_depth(self) -> int:
        """Number of paid levels."""
        return len(self.rates)

    @property
    def max_payout_share(self) -> float:
        """Sum of the level rates."""
        return float(sum(self.rates))

    def pay(self, volumes: PlanInput) -> Payout:
        """Pay each level's rate on every participant's PV to its uplines (see compression)."""
        if self.compression == "dynamic":
            override = pay_by_level(volumes.upline, volumes.qualified, volumes.pv, self.rates)
        else:
            override = pay_by_level(
                volumes.upline, volumes.active, volumes.pv, self.rates, volumes.qualified
            )
        return Payout(personal=np.zeros(volumes.pv.size), override=override)
