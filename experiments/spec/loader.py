"""Experiment configs: loading TOML, validating it against the schema and the model's parameters.

A config names an experiment, the base model parameters (`[model]`), named
scenarios that override them (`[scenarios.NAME]`), an optional design over
model parameters (`[design]`), the replications and which outputs to keep.
The tables are defined in `experiments.spec.schema`; `docs/experiments.md`
documents every key.

Validation refuses a bad config with a `ConfigError` whose message has one
line per problem, each starting with the key path (`replications.count:
must be an integer >= 1, got 0`). Model parameters are checked against the
model's own schema (`model.params.ModelParams`) when the model is importable:
unknown names here, value ranges by the schema itself, for every scenario and
design point.
"""

from __future__ import annotations

import tomllib
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from experiments.paths import CONFIG_DIR
from experiments.spec.designs import design_size
from experiments.spec.modelref import param_schema
from experiments.spec.paramcheck import check_model_params
from experiments.spec.schema import (
    SAMPLED_KINDS,
    SCENARIO_PATTERN,
    ConfigError,
    Design,
    DesignParameter,
    ExperimentConfig,
    Replications,
    allowed_keys,
)


def find_config(path: str | Path) -> Path:
    """The config file at `path`, or in the package folder when `path` is a bare file name.

    Args:
        path: a path, or a file name such as `claims.toml`.

    Returns:
        The existing file.

    Raises:
        ConfigError: when the file is found in neither place.
    """
    path = Path(path)
    if path.is_file():
        return path
    if path.parent == Path() and (CONFIG_DIR / path).is_file():
        return CONFIG_DIR / path
    where = f" (also looked in {CONFIG_DIR})" if path.parent == Path() else ""
    raise ConfigError([f"config: file not found: {path}{where}"])


MAX_RUNS = 100_000
"""Default cap on the runs of one experiment (`--max-runs` passes it)."""


def load_config(path: str | Path, max_runs: int | None = MAX_RUNS) -> ExperimentConfig:
    """Read, parse and validate a TOML experiment config.

    Args:
        path: the config file (bare names are also looked up in the package folder).
        max_runs: refuse configs with more runs than this (None: no cap).

    Returns:
        The validated config; `name` defaults to the file's stem.

    Raises:
        ConfigError: listing every problem, one per line.
    """
    return parse_config(read_toml(path), max_runs)


def read_toml(path: str | Path) -> dict[str, Any]:
    """The parsed TOML of a config or suite file, `name` defaulting to the file's stem.

    Raises:
        ConfigError: when the file is missing or not valid TOML (one line).
    """
    path = find_config(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError([f"config: {path} is not valid TOML: {err}"]) from None
    except OSError as err:
        raise ConfigError([f"config: cannot read {path}: {err.strerror or err}"]) from None
    data.setdefault("name", path.stem)
    return data


def parse_config(data: dict[str, Any], max_runs: int | None = MAX_RUNS) -> ExperimentConfig:
    """Validate a config given as a dict (the parsed TOML).

    Args:
        data: the config tables.
        max_runs: refuse configs with more runs than this (None: no cap).

    Returns:
        The validated config.

    Raises:
        ConfigError: listing every problem, one per line.
    """
    try:
        cfg = ExperimentConfig.model_validate(data)
    except ValidationError as err:
        raise ConfigError(_format_errors(err)) from None
    schema = param_schema()
    design_errors = _check_design(cfg.design)
    errors = _check_names(cfg, schema) + _check_replications(cfg.replications) + design_errors
    if not design_errors:
        design_errors = _check_size(cfg, max_runs)
        errors += design_errors
    if schema is not None and not design_errors:
        errors += check_model_params(cfg, schema)
    if errors:
        raise ConfigError(errors)
    return cfg


# --- messages for schema errors ---------------------------------------------------------

_TYPE_MESSAGES = {
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "list_type": "must be an array",
    "string_type": "must be a string",
    "bool_type": "must be true or false",
    "int_type": "must be an integer",
    "float_type": "must be a number",
}


def _format_errors(err: ValidationError) -> list[str]:
    lines = []
    for e in err.errors():
        path = ".".join(str(part) for part in e["loc"])
        if e["type"] == "missing":
            lines.append(f"{path}: required")
        elif e["type"] == "extra_forbidden":
            allowed = ", ".join(allowed_keys(ExperimentConfig, e["loc"][:-1]))
            lines.append(f"{path}: unknown key; allowed: {allowed}")
        elif e["type"] == "value_error":
            lines.append(f"{path}: {e['msg'].removeprefix('Value error, ')}")
        else:
            message = _TYPE_MESSAGES.get(e["type"], e["msg"])
            lines.append(f"{path}: {message}, got {e['input']!r}")
    return lines


# --- checks that need more than one key -------------------------------------------------


def _check_names(cfg: ExperimentConfig, schema: type[BaseModel] | None) -> list[str]:
    """Scenario names, and model parameter names where the model's schema is known."""
    errors = [
        f"scenarios.{name}: scenario names must be letters, digits, '_' or '-', got {name!r}"
        for name in cfg.scenarios
        if not SCENARIO_PATTERN.fullmatch(name)
    ]
    if schema is not None:
        errors += _unknown_parameters("model", cfg.model, schema)
        for name, overrides in cfg.scenarios.items():
            errors += _unknown_parameters(f"scenarios.{name}", overrides, schema)
        for name in cfg.design.parameters:
            target, _, path = name.rpartition(":")
            missing = [t for t in target.split("+") if t not in cfg.scenarios] if target else []
            if missing:
                errors.append(f"design.parameters.{name}: no scenario {missing[0]!r}")
            elif path.split(".")[0] not in schema.model_fields:
                errors.append(
                    f"design.parameters.{name}: not a model parameter; "
                    f"allowed: {', '.join(schema.model_fields)}"
                )
    return errors


def _unknown_parameters(where: str, table: dict[str, Any], schema: type[BaseModel]) -> list[str]:
    allowed = ", ".join(schema.model_fields)
    return [
        f"{where}.{key}: unknown parameter; allowed: {allowed}"
        for key in table
        if key not in schema.model_fields
    ]


def _check_size(cfg: ExperimentConfig, max_runs: int | None) -> list[str]:
    """The cap on runs, checked before any design point is generated."""
    points = design_size(cfg.design)
    runs = points * len(cfg.scenario_names) * cfg.replications.n
    if max_runs is None or runs <= max_runs:
        return []
    return [
        f"design: {runs:,} runs ({points:,} points x {len(cfg.scenario_names)} scenarios x "
        f"{cfg.replications.n} replications) is over the cap of {max_runs:,}; "
        "pass --max-runs N to allow more"
    ]


def _check_replications(reps: Replications) -> list[str]:
    errors = []
    if reps.count is not None and reps.seeds is not None:
        errors.append("replications.seeds: give either count or seeds, not both")
    if reps.seeds is not None and len(set(reps.seeds)) < len(reps.seeds):
        errors.append(f"replications.seeds: must be distinct, got {reps.seeds}")
    return errors


def _check_design(design: Design) -> list[str]:
    kind = design.kind
    errors = []
    if kind == "none":
        if design.parameters:
            errors.append('design.parameters: not used with kind = "none"; use grid, lhs, ...')
    elif not design.parameters:
        errors.append(f'design.parameters: kind = "{kind}" needs at least one parameter')
    if kind in SAMPLED_KINDS:
        if design.n is None:
            errors.append(f'design.n: required with kind = "{kind}" (number of points)')
        elif kind in ("sobol", "saltelli") and design.n & (design.n - 1):
            lower = 1 << (design.n.bit_length() - 1)
            errors.append(
                f"design.n: {kind} needs a power of two (its balance properties), "
                f"got {design.n}; use {lower} or {lower * 2}"
            )
    elif design.n is not None:
        errors.append(f'design.n: not used with kind = "{kind}"')
    if design.calc_second_order is not None and kind != "saltelli":
        errors.append(f'design.calc_second_order: only used with kind = "saltelli", not "{kind}"')
    if kind in ("saltelli", "morris") and find_spec("SALib") is None:
        errors.append(f'design.kind = "{kind}" needs SALib: pip install "downline[salib]"')
    names = list(design.parameters)
    sizes = {len(param.values or []) for param in design.parameters.values()}
    if kind == "points" and len(sizes) > 1:
        errors.append(
            'design.parameters: kind = "points" needs the same number of values for every '
            f"parameter (one per point), got {sorted(sizes)}"
        )
    for name, param in design.parameters.items():
        if kind in ("grid", "points"):
            problems = _check_grid_parameter(param, kind)
        else:
            problems = _check_range_parameter(param, kind) if kind != "none" else []
        errors += [f"design.parameters.{name}.{line}" for line in problems]
        scope, _, path = name.rpartition(":")
        if not all(part.isidentifier() for part in path.split(".")) or (
            scope and not all(SCENARIO_PATTERN.fullmatch(s) for s in scope.split("+"))
        ):
            errors.append(
                f"design.parameters.{name}: must be a dotted parameter name, "
                "optionally after SCENARIO: or SCENARIO+SCENARIO:"
            )
        overlaps = [other for other in names if name.startswith(f"{other}.")]
        if overlaps:
            errors.append(f"design.parameters.{name}: overlaps design parameter {overlaps[0]}")
    return errors


def _check_grid_parameter(param: DesignParameter, kind: str) -> list[str]:
    errors = [] if param.values else ["values: must be a non-empty array"]
    errors += [
        f'{key}: not used with kind = "{kind}"; use values'
        for key in ("low", "high", "integer", "log")
        if key in param.model_fields_set
    ]
    return errors


def _check_range_parameter(param: DesignParameter, kind: str) -> list[str]:
    errors = []
    if param.values is not None:
        errors.append(f'values: not used with kind = "{kind}"; use low and high')
    if param.low is None:
        errors.append("low: required")
    if param.high is None:
        errors.append("high: required")
    if param.low is None or param.high is None:
        return errors
    if not param.low < param.high:
        errors.append(f"high: must be > low ({param.low:g}), got {param.high:g}")
    if param.log and param.low <= 0:
        errors.append(f"low: must be > 0 with log = true, got {param.low:g}")
    if param.integer and not (param.low.is_integer() and param.high.is_integer()):
        errors.append(
            f"low: integer = true needs whole-number bounds, got {param.low:g} and {param.high:g}"
        )
    return errors
