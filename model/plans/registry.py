"""The registry of compensation plans: name -> plan class.

Plans register themselves with `@register_plan`; `model.plans` imports every
plan module so that the registry is complete once the package is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from model.plans.base import CompensationPlan

_REGISTRY: dict[str, type[CompensationPlan]] = {}
PlanClass = TypeVar("PlanClass", bound="type[CompensationPlan]")


def register_plan(cls: PlanClass) -> PlanClass:
    """Class decorator adding a plan class to the registry under `cls.name`.

    Args:
        cls: a concrete CompensationPlan subclass with a unique `name`.

    Returns:
        The class, unchanged.
    """
    if cls.name in _REGISTRY:
        raise ValueError(f"plan name {cls.name!r} is registered twice")
    _REGISTRY[cls.name] = cls
    return cls


def available_plans() -> tuple[str, ...]:
    """Names of all registered plans, sorted."""
    return tuple(sorted(_REGISTRY))


def plan_class(name: str) -> type[CompensationPlan]:
    """The plan class registered under `name`.

    Raises:
        ValueError: naming the allowed plans when `name` is unknown.
    """
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(
            f"plan must be one of {', '.join(available_plans())}, got {name!r}"
        ) from None


def make_plan(
    plan: str | CompensationPlan, overrides: dict[str, Any] | None = None
) -> CompensationPlan:
    """A fresh plan object (never shared between models, since plans keep per-run state).

    Args:
        plan: a registered name or a plan object to copy.
        overrides: plan parameters to change.

    Returns:
        A new, validated plan.
    """
    overrides = dict(overrides or {})
    if isinstance(plan, str):
        return plan_class(plan)(**overrides)
    return type(plan)(**{**plan.params(), **overrides})
