"""Checking every run's model parameters against the model's schema, before any run starts.

Each scenario at each design point is resolved (see `experiments.spec.runspec`)
and given to the schema (building the parameters object only, never the
model). Every problem is reported once, under the config key it came from:
`design.parameters.<name>` when a design parameter sets it,
`scenarios.<scenario>.<key>` when the scenario does, `model.<key>` when the
`[model]` table does, else the scenario itself.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from pydantic import BaseModel, ValidationError

from experiments.spec.designs import design_points
from experiments.spec.modelref import plan_parameters
from experiments.spec.runspec import resolve_params
from experiments.spec.schema import ExperimentConfig, allowed_keys

MAX_LINES_PER_KEY = 3
_EXTRA = "Extra inputs are not permitted"
_PATH_PREFIX = re.compile(r"^([A-Za-z_][\w.]*): (.+)$")


def check_model_params(cfg: ExperimentConfig, schema: type[BaseModel]) -> list[str]:
    """Problems with the resolved model parameters of every scenario and design point.

    Args:
        cfg: a structurally valid config.
        schema: the model's parameter schema.

    Returns:
        One line per distinct problem (at most a few per key), key path first.
    """
    points = design_points(cfg.design)
    by_key: dict[str, list[str]] = defaultdict(list)
    for scenario in cfg.scenario_names:
        for index, values in enumerate(points):
            for key, line in _problems(cfg, schema, scenario, index, values):
                if line not in by_key[key]:
                    by_key[key].append(line)
    lines = []
    for key, problems in by_key.items():
        lines += problems[:MAX_LINES_PER_KEY]
        if len(problems) > MAX_LINES_PER_KEY:
            lines.append(f"{key}: ... and {len(problems) - MAX_LINES_PER_KEY} more like these")
    return lines


def _problems(
    cfg: ExperimentConfig,
    schema: type[BaseModel],
    scenario: str,
    index: int,
    values: dict[str, Any],
) -> list[tuple[str, str]]:
    try:
        params = resolve_params(cfg, scenario, values, schema)
        schema.model_validate(params, strict=True)  # "500" is not a number, true not a count
    except ValidationError as err:
        problems = []
        for loc, message in _flatten(err, schema):
            if message.endswith(_EXTRA):
                message = _unknown_plan_key(params.get("plan"), message.removesuffix(_EXTRA))
            key = _origin(cfg, scenario, values, loc)
            where = f" (design point {index})" if key.startswith("design.") else ""
            problems.append((key, f"{key}: {message}{where}"))
        return problems
    except (ValueError, TypeError) as err:
        key = f"scenarios.{scenario}" if cfg.scenarios else "model"
        return [(key, f"{key}: {err}")]
    return []


def _unknown_plan_key(plan: Any, prefix: str) -> str:
    """`unknown key; allowed: ...` naming the parameters of the plan, when it is known."""
    allowed = plan_parameters(plan) if isinstance(plan, str) else None
    listed = f"; allowed: {', '.join(allowed)}" if allowed else ""
    return f"{prefix}unknown key{listed}"


def _flatten(err: ValidationError, schema: type[BaseModel]) -> list[tuple[tuple[str, ...], str]]:
    """(location, message) pairs.

    Errors of the whole parameter set (no location) are located where their
    message says: `path: message` (one or more, joined by "; "), or a message
    that starts with a parameter name (`mean_degree must be < n_people ...`).

    Unknown top-level parameters are left out: `experiments.spec.loader` reports them
    with the list of allowed names.
    """
    out = []
    for e in err.errors():
        loc = tuple(str(part) for part in e["loc"])
        message = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            if len(loc) == 1:
                continue  # unknown parameter names are reported by the config's own checks
            allowed = allowed_keys(schema, loc[:-1])
            message = f"unknown key; allowed: {', '.join(allowed)}" if allowed else "unknown key"
        elif e["type"] != "value_error":
            message = f"{message}, got {e['input']!r}"
        if not loc:
            pieces = [_PATH_PREFIX.match(piece) for piece in message.split("; ")]
            if all(pieces):
                out += [(tuple(m.group(1).split(".")), m.group(2)) for m in pieces if m]
                continue
            first_word = message.split(" ", 1)[0]
            loc = (first_word,) if first_word in schema.model_fields else ()
        out.append((loc, message))
    return out


def _origin(
    cfg: ExperimentConfig, scenario: str, values: dict[str, Any], loc: tuple[str, ...]
) -> str:
    """The config key a problem at parameter location `loc` comes from."""
    dotted = ".".join(loc)
    for name in values:
        parts = tuple(name.split("."))
        shared = min(len(parts), len(loc))
        if shared and loc[:shared] == parts[:shared]:  # the design sets it or a part of it
            return f"design.parameters.{name}"
    if loc and loc[0] in cfg.scenarios.get(scenario, {}):
        return f"scenarios.{scenario}.{dotted}"
    if loc and loc[0] in cfg.model:
        return f"model.{dotted}"
    base = f"scenarios.{scenario}" if cfg.scenarios else "model"
    return f"{base}.{dotted}" if dotted else base
