"""The app's input fields, generated from the parameter metadata of the model and the plans.

Every `ModelParams` field with a number or a fixed set of choices becomes a
field (a new parameter shows up without app code), and so does every field of
the chosen plan (lists of rates are typed as comma-separated numbers). The
values arrive as text; `read_settings` parses them and validates them with the
model's own checks, so a bad value gets the same one-line message as the
Python API, attached to the field it names.

Example:
    >>> texts = default_texts("unilevel")
    >>> texts["mean_degree"] = "1"
    >>> settings, errors = read_settings("unilevel", texts)
    >>> errors["mean_degree"]  # doctest: +ELLIPSIS
    'mean_degree: Input should be greater than or equal to 2 (allowed: >= 2 and <= 500), got 1.0'
"""

from __future__ import annotations

import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from model import ModelParams, ParameterError
from model.params import validate_params
from model.plans import plan_class

__all__ = [
    "GENERAL",
    "RUN_FIELDS",
    "FieldSpec",
    "Settings",
    "default_texts",
    "field_specs",
    "read_settings",
]

GENERAL = "_general"
"""Key of messages that name no single field (shown above the fields)."""

PLAN_PREFIX = "plan."
"""Prefix of plan fields' names (their keys in `plan_params` follow it)."""

Kind = Literal["int", "float", "choice", "list"]
Group = Literal["run", "plan", "model"]


@dataclass(frozen=True)
class FieldSpec:
    """One input field.

    Attributes:
        name: the parameter name (plan fields: `plan.` + the plan's field name).
        kind: how the text is read: an integer, a number, one of `choices`
            (True and False for a yes/no field), or a comma-separated list of numbers.
        default: the default as text.
        help: the description, unit and allowed range, for a tooltip.
        group: run settings, the plan's parameters or the model's parameters.
        choices: the allowed values of a `choice` field.
    """

    name: str
    kind: Kind
    default: str
    help: str
    group: Group
    choices: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The name as shown: without the plan prefix, with spaces."""
        return self.name.removeprefix(PLAN_PREFIX).replace("_", " ")


RUN_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("seed", "int", "1", "random seed of the run: same seed, same population", "run"),
    FieldSpec("months", "int", "120", "months to simulate; play stops there [months, >= 1]", "run"),
)
"""Settings of the run that are not model parameters."""

_RUN_LIMITS = {"seed": 0, "months": 1}


@dataclass(frozen=True)
class Settings:
    """A valid set of inputs: what the app builds its runs from.

    Attributes:
        seed: the runs' seed.
        months: the horizon [months].
        plan: the chosen plan.
        params: `MarketModel` keyword arguments (without `plan` and `rng`),
            including `plan_params` of the chosen plan.
    """

    seed: int
    months: int
    plan: str
    params: Mapping[str, Any] = field(default_factory=dict)


def _text(value: Any) -> str:
    if isinstance(value, tuple | list):
        return ", ".join(_text(v) for v in value)
    return str(value)


def _kind(annotation: Any) -> tuple[Kind, tuple[str, ...]] | None:
    if annotation is bool:
        return "choice", ("True", "False")
    if annotation is int:
        return "int", ()
    if annotation is float:
        return "float", ()
    if typing.get_origin(annotation) is Literal:
        return "choice", tuple(str(a) for a in typing.get_args(annotation))
    if typing.get_origin(annotation) is tuple:
        return "list", ()
    return None


def _range(info: Any) -> str:
    bounds = [
        f"{sym} {getattr(meta, attr)}"
        for meta in info.metadata
        for attr, sym in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<"))
        if getattr(meta, attr, None) is not None
    ]
    return f" (allowed: {' and '.join(bounds)})" if bounds else ""


def _specs(schema: Any, group: Group, prefix: str = "") -> list[FieldSpec]:
    specs = []
    for name, info in schema.model_fields.items():
        kind = _kind(info.annotation)
        if kind is None:
            continue
        default = info.get_default(call_default_factory=True)
        specs.append(
            FieldSpec(
                name=prefix + name,
                kind=kind[0],
                default=_text(default),
                help=f"{info.description or name}{_range(info)}",
                group=group,
                choices=kind[1],
            )
        )
    return specs


def field_specs(plan: str) -> list[FieldSpec]:
    """Every input field for a plan: run settings, the plan's fields, the model's fields.

    Args:
        plan: a registered plan name.

    Returns:
        The fields; `n_people` is a run field (first), the others keep the
        schema's order.
    """
    model = _specs(ModelParams, "model")
    people = [
        FieldSpec(s.name, s.kind, s.default, s.help, "run") for s in model if s.name == "n_people"
    ]
    return [
        *RUN_FIELDS,
        *people,
        *_specs(plan_class(plan), "plan", PLAN_PREFIX),
        *(s for s in model if s.name != "n_people"),
    ]


def default_texts(plan: str) -> dict[str, str]:
    """The default text of every field of `plan` (see `field_specs`)."""
    return {spec.name: spec.default for spec in field_specs(plan)}


def _parse(spec: FieldSpec, text: str) -> Any:
    text = text.strip()
    if spec.kind == "choice":
        if text not in spec.choices:
            raise ValueError(f"must be one of {', '.join(spec.choices)}, got {text!r}")
        return {"True": True, "False": False}.get(text, text)
    if spec.kind == "list":
        parts = [p for p in re.split(r"[,\s]+", text) if p]
        return tuple(_number(p, "float") for p in parts)
    return _number(text, spec.kind)


def _number(text: str, kind: Kind) -> int | float:
    try:
        return int(text) if kind == "int" else float(text)
    except ValueError:
        what = "an integer" if kind == "int" else "a number"
        raise ValueError(f"must be {what}, got {text!r}") from None


def read_settings(plan: str, texts: Mapping[str, str]) -> tuple[Settings | None, dict[str, str]]:
    """Parse and validate the fields' texts.

    Args:
        plan: the chosen plan.
        texts: the text of each field by name (missing fields take their default).

    Returns:
        The settings (None when any field is bad) and the error message of each
        bad field by name; messages naming no field are under `GENERAL`. Model
        and plan errors are the lines of `model.ParameterError`.
    """
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for spec in field_specs(plan):
        try:
            values[spec.name] = _parse(spec, texts.get(spec.name, spec.default))
        except ValueError as err:
            errors[spec.name] = f"{spec.name}: {err}"
    for name, low in _RUN_LIMITS.items():
        if name in values and values[name] < low:
            errors[name] = f"{name}: must be >= {low}, got {values[name]}"
    if errors:
        return None, errors
    run = {spec.name: values.pop(spec.name) for spec in RUN_FIELDS}
    plan_params = {
        name.removeprefix(PLAN_PREFIX): values.pop(name)
        for name in list(values)
        if name.startswith(PLAN_PREFIX)
    }
    params = {**values, "plan_params": plan_params}
    try:
        validate_params(plan=plan, **params)
    except ParameterError as err:
        for line in str(err).splitlines():
            errors.setdefault(_field_of(line, values), line)
        return None, errors
    return Settings(seed=run["seed"], months=run["months"], plan=plan, params=params), errors


def _field_of(line: str, names: Mapping[str, Any]) -> str:
    """The field a `ParameterError` line is about, or `GENERAL`."""
    loc, _, message = line.partition(": ")
    if loc in names:
        return loc
    for text in (loc, message):
        plan_field = re.match(r"plan_params\.([a-z_]+)", text)
        if plan_field:
            return PLAN_PREFIX + plan_field.group(1)
        first = re.match(r"[a-z_]+", text)
        if first and first.group() in names:
            return first.group()
    return GENERAL
