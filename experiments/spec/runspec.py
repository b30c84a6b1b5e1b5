"""Runs of an experiment: every (scenario, design point, replication) with its parameters.

A run's parameters are resolved in three layers: the `[model]` table, then the
scenario's table (whose keys replace whole keys of `[model]`, nested tables
such as `plan_params` included, so switching plan does not carry the other
plan's parameters over), then the design point's values. A dotted design
parameter (`plan_params.starter_fee`) sets one entry of a nested table,
starting from the scenario's table or, when absent, the model's default.
A design parameter named ``SCENARIO:name`` (``mlm:plan_params.starter_fee``)
applies to that scenario only, so plan parameters can be varied in an
experiment whose scenarios run different plans; ``A+B:name`` applies to
scenarios A and B, which then share the point's value.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from experiments.spec.designs import design_points
from experiments.spec.modelref import param_schema, schema_default
from experiments.spec.schema import ExperimentConfig
from experiments.spec.seeds import run_seed

_UNSET: Any = object()


@dataclass(frozen=True)
class RunSpec:
    """Everything one run needs: what to simulate and which tables to keep.

    Attributes:
        run_id: stable identifier, `s=<scenario>/p=<point:04d>/r=<replication:03d>`.
        scenario: scenario name.
        point: design point index.
        replication: replication index.
        seed: the model's `rng` seed.
        design_values: the design point's parameter values by (dotted) name.
        params: the resolved keyword arguments of the model.
        months: months to simulate.
        keep_monthly: return the monthly table.
        keep_participants: return the participant table.
    """

    run_id: str
    scenario: str
    point: int
    replication: int
    seed: int
    design_values: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    months: int = 120
    keep_monthly: bool = True
    keep_participants: bool = False


def make_run_id(scenario: str, point: int, replication: int) -> str:
    """The run id `s=<scenario>/p=<point:04d>/r=<replication:03d>`."""
    return f"s={scenario}/p={point:04d}/r={replication:03d}"


def expand_runs(cfg: ExperimentConfig, schema: type[BaseModel] | None = _UNSET) -> list[RunSpec]:
    """Every run of an experiment, design point by design point.

    Args:
        cfg: a validated config.
        schema: the model's parameter schema, for defaults of nested tables
            (default: the model's, when importable).

    Returns:
        The runs ordered by point, replication, then scenario (config order).
    """
    if schema is _UNSET:
        schema = param_schema()
    reps = cfg.replications
    runs = []
    for point, values in enumerate(design_points(cfg.design)):
        resolved = {s: resolve_params(cfg, s, values, schema) for s in cfg.scenario_names}
        for rep in range(reps.n):
            seed = run_seed(reps.base_seed, reps.seeds, point, rep)
            runs += [
                RunSpec(
                    run_id=make_run_id(scenario, point, rep),
                    scenario=scenario,
                    point=point,
                    replication=rep,
                    seed=seed,
                    design_values=dict(values),
                    params=copy.deepcopy(params),
                    months=cfg.months,
                    keep_monthly=cfg.outputs.monthly,
                    keep_participants=cfg.outputs.participants,
                )
                for scenario, params in resolved.items()
            ]
    return runs


def resolve_params(
    cfg: ExperimentConfig,
    scenario: str,
    design_values: dict[str, Any],
    schema: type[BaseModel] | None = None,
) -> dict[str, Any]:
    """The model keyword arguments of one scenario at one design point.

    Args:
        cfg: a validated config.
        scenario: a scenario name (or the default scenario).
        design_values: the point's values by (dotted) parameter name.
        schema: the model's parameter schema, for defaults of nested tables.

    Returns:
        A new dict (deep copies; safe to modify).

    Raises:
        ValueError: when a dotted name reaches into a value that is not a table.
    """
    params = copy.deepcopy({**cfg.model, **cfg.scenarios.get(scenario, {})})
    for scoped, value in design_values.items():
        target, _, name = scoped.rpartition(":")
        if target and scenario not in target.split("+"):
            continue
        head, *rest = name.split(".")
        if not rest:
            params[head] = value
            continue
        start = params.get(head, _UNSET)
        if start is _UNSET:
            start = schema_default(schema, head)
        params[head] = _with_entry(copy.deepcopy(start) if start is not None else {}, rest, value)
    return params


def _with_entry(table: Any, path: list[str], value: Any) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ValueError(f"cannot set {'.'.join(path)} inside {table!r}: not a table")
    key, *rest = path
    table[key] = _with_entry(table.get(key, {}), rest, value) if rest else value
    return table
