"""Which model class experiments run, and the schema its parameters are checked against.

By default that is `model.MarketModel`, with `model.params.ModelParams` as the
schema, both imported lazily so that configs can be loaded while the model is
unavailable (the parameter checks are then skipped).

Test hook: the environment variable `DOWNLINE_MODEL=package.module:ClassName`
replaces the model class everywhere (config checks, every backend's workers,
`downline demo`). The class must offer the same surface as `MarketModel`
(`cls(rng=seed, **params)`, `run`, `run_metrics`, `monthly_table`,
`participant_table`); its parameter schema is its optional class attribute
`params_schema` (a pydantic model). The test suite uses it to run sweeps of a
small fake model; it is not meant for production configs.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

from pydantic import BaseModel

MODEL_ENV = "DOWNLINE_MODEL"


def load_model_class() -> Any:
    """The model class to run: `$DOWNLINE_MODEL` if set, else `model.MarketModel`.

    Returns:
        A class called as `cls(rng=seed, **params)`.

    Raises:
        ImportError: when the class cannot be imported.
    """
    target = os.environ.get(MODEL_ENV)
    if not target:
        from model import MarketModel

        return MarketModel
    module_name, _, attr = target.partition(":")
    try:
        return getattr(importlib.import_module(module_name), attr)
    except (ValueError, AttributeError) as err:
        raise ImportError(f"{MODEL_ENV}={target!r}: {err}") from err


def param_schema() -> type[BaseModel] | None:
    """The pydantic schema of the model's parameters, or None when it cannot be imported."""
    if os.environ.get(MODEL_ENV):
        try:
            return getattr(load_model_class(), "params_schema", None)
        except ImportError:
            return None
    try:
        from model.params import ModelParams
    except ImportError:
        return None
    return ModelParams


def schema_default(schema: type[BaseModel] | None, name: str) -> Any:
    """The default of parameter `name` as plain data (tables as dicts), None if unknown."""
    if schema is None or name not in schema.model_fields:
        return None
    value = schema.model_fields[name].get_default(call_default_factory=True)
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else value


def plan_parameters(plan: str) -> dict[str, Any] | None:
    """The parameters of a compensation plan by name: each one's default, range and description.

    Args:
        plan: a registered plan name.

    Returns:
        Parameter name -> {"default", "range", "description"}; None when the
        model is replaced (`DOWNLINE_MODEL`), not importable or has no such plan.
    """
    if os.environ.get(MODEL_ENV):
        return None
    try:
        from model.plans.registry import plan_class
    except ImportError:
        return None
    try:
        cls = plan_class(plan)
    except ValueError:
        return None
    return {name: _describe(field) for name, field in cls.model_fields.items()}


def plan_names() -> tuple[str, ...]:
    """Names of the model's compensation plans (empty when the model is not importable)."""
    if os.environ.get(MODEL_ENV):
        return ()
    try:
        from model.plans.registry import available_plans
    except ImportError:
        return ()
    return available_plans()


def _describe(field: Any) -> dict[str, Any]:
    bounds = []
    for item in field.metadata:
        for attr, sign in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
            value = getattr(item, attr, None)
            if value is not None:
                bounds.append(f"{sign} {value}")
    default = field.get_default(call_default_factory=True)
    return {
        "default": default.model_dump(mode="json") if isinstance(default, BaseModel) else default,
        "range": ", ".join(bounds),
        "description": field.description or "",
    }
