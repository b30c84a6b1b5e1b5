"""Compensation plans and their registry.

Importing this package registers every plan module below.
"""

from model.plans import binary, breakaway, matrix, referral, unilevel  # noqa: F401  (registration)
from model.plans.base import CompensationPlan, Payout, PlanInput
from model.plans.registry import available_plans, make_plan, plan_class, register_plan

__all__ = [
    "CompensationPlan",
    "Payout",
    "PlanInput",
    "available_plans",
    "make_plan",
    "plan_class",
    "register_plan",
]
