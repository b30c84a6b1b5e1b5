"""Single-level referral (affiliate) plan: the word-of-mouth regime."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import Field

from model.plans.base import CompensationPlan, Payout, PlanInput
from model.plans.registry import register_plan


@register_plan
class Referral(CompensationPlan):
    """Referral: a flat rate on purchases by the customers you brought; nothing for recruiting.

    Customers buy from the company at the retail price; the participant who
    brought them (their referrer) earns `rate` of what they spend, every
    month they keep buying, as long as the referrer is active and qualified.
    Recruiting another affiliate earns nothing, so participants only pitch the
    product. By default there is no fee and no purchase requirement, as in
    Amazon Associates.

    Example: rate 0.10; A's two customers spend $50 each this month: A earns $10.

    Parameters: starter_fee [$], monthly_fee [$/month], qualification_pv
    [BV/month], rate (share of customers' retail spend, 0..1). Default rate
    10% (Amazon Associates' rate for beauty; 4% is typical across categories).
    """

    name: ClassVar[str] = "referral"
    family: ClassVar[str] = "single-level referral / affiliate"
    recruiting_reward: ClassVar[bool] = False
    resale: ClassVar[bool] = False
    volume_basis: ClassVar[str] = "customer_sales"

    rate: float = Field(0.10, ge=0, le=1, allow_inf_nan=False, description="share of retail spend")

    @property
    def max_depth(self) -> int:
        """Own customers only."""
        return 0

    @property
    def max_payout_share(self) -> float:
        """The referral rate."""
        return self.rate

    def pay(self, volumes: PlanInput) -> Payout:
        """Pay the rate on the month's retail spend of each qualified referrer's customers."""
        personal = np.where(volumes.qualified, self.rate * volumes.customer_sales, 0.0)
        return Payout(personal=personal, override=np.zeros(volumes.pv.size))
