"""The experiment config schema: its tables as pydantic classes, `ConfigError` and the config hash.

The schema is the bottom of the specification layer: `designs`, `runspec`
and `paramcheck` import these classes, and the loader (`experiments.spec.loader`)
reads TOML, validates it against them and adds the checks that need more than
one key or the model's own schema. `docs/experiments.md` documents every key.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

DESIGN_KINDS = ("none", "grid", "points", "lhs", "sobol", "saltelli", "morris")
SAMPLED_KINDS = ("lhs", "sobol", "saltelli", "morris")
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
"""Experiment names (used with `fullmatch`: a trailing newline does not pass)."""
SCENARIO_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
"""Scenario and suite part names (used with `fullmatch`)."""
DEFAULT_SCENARIO = "base"


class ConfigError(ValueError):
    """An invalid experiment config; the message has one line per problem, key path first.

    Attributes:
        errors: the problems, one line each.
    """

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


MAX_SEED = (1 << 63) - 1
"""Largest explicit seed: seeds are stored in a signed 64-bit column."""


def _bad_integer(value: Any, minimum: int, maximum: int | None) -> bool:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        return True
    return maximum is not None and value > maximum


def _range_text(minimum: int, maximum: int | None) -> str:
    return f">= {minimum}" if maximum is None else f"in [{minimum}, {maximum}]"


def _integer(minimum: int, maximum: int | None = None) -> BeforeValidator:
    def check(value: Any) -> Any:
        if _bad_integer(value, minimum, maximum):
            raise ValueError(f"must be an integer {_range_text(minimum, maximum)}, got {value!r}")
        return value

    return BeforeValidator(check)


def _integers(minimum: int, maximum: int | None = None) -> BeforeValidator:
    def check(value: Any) -> Any:
        allowed = _range_text(minimum, maximum)
        if not isinstance(value, list) or not value:
            raise ValueError(f"must be a non-empty array of integers {allowed}, got {value!r}")
        bad = [v for v in value if _bad_integer(v, minimum, maximum)]
        if bad:
            raise ValueError(f"must be integers {allowed}, got {bad[0]!r}")
        return value

    return BeforeValidator(check)


def _matching(pattern: re.Pattern[str], what: str) -> BeforeValidator:
    def check(value: Any) -> Any:
        if not isinstance(value, str) or not pattern.fullmatch(value):
            raise ValueError(f"must be {what}, got {value!r}")
        return value

    return BeforeValidator(check)


def _one_of(choices: tuple[str, ...]) -> BeforeValidator:
    def check(value: Any) -> Any:
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}, got {value!r}")
        return value

    return BeforeValidator(check)


Count = Annotated[int, _integer(1)]
Seed = Annotated[int, _integer(0)]


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class DesignParameter(_Table):
    """One varied parameter: `values` for a grid, `low`/`high` for sampled designs.

    Attributes:
        values: the grid values (kind = "grid"), or each point's value (kind = "points").
        low: lower bound (lhs, sobol, saltelli).
        high: upper bound, > low.
        integer: draw integers in [low, high].
        log: sample uniformly on a log scale (needs low > 0).
    """

    values: list[Any] | None = None
    low: float | None = None
    high: float | None = None
    integer: bool = False
    log: bool = False


class Design(_Table):
    """Which points of parameter space to run.

    Attributes:
        kind: none (one point), grid, points (explicit points: the i-th
            point takes the i-th of every parameter's `values`), lhs, sobol,
            saltelli or morris.
        parameters: the varied parameters by name (dotted names reach into
            nested tables, e.g. `plan_params.starter_fee`).
        n: number of points (lhs, sobol), of base samples (saltelli) or of
            trajectories (morris).
        seed: seed of the sampler (lhs, sobol, saltelli).
        calc_second_order: saltelli only; include second-order samples (default true).
    """

    kind: Annotated[str, _one_of(DESIGN_KINDS)] = "none"
    parameters: dict[str, DesignParameter] = Field(default_factory=dict)
    n: Annotated[int | None, _integer(1)] = None
    seed: Seed = 0
    calc_second_order: bool | None = None


class Replications(_Table):
    """How many times each scenario and design point is run, and with which seeds.

    Attributes:
        count: number of replications, seeds derived from `base_seed`.
        seeds: explicit seeds, one per replication (instead of `count`).
        base_seed: root of the derived seeds.
    """

    count: Annotated[int | None, _integer(1)] = None
    seeds: Annotated[list[int] | None, _integers(0, MAX_SEED)] = None
    base_seed: Seed = 0

    @property
    def n(self) -> int:
        """Number of replications."""
        return len(self.seeds) if self.seeds is not None else (self.count or 1)


class Outputs(_Table):
    """Which tables to keep besides the per-run metrics.

    Attributes:
        monthly: the monthly series of each run.
        participants: the participant table of each run (large).
    """

    monthly: bool = True
    participants: bool = False


class ExperimentConfig(_Table):
    """A validated experiment config.

    Attributes:
        name: experiment name; default output folder `results/<name>`.
        months: months each run simulates.
        model: base keyword arguments of the model.
        scenarios: named overrides of `model` (whole keys are replaced).
        design: the design over model parameters.
        replications: replications and seeds.
        outputs: which tables to keep.
    """

    name: Annotated[str, _matching(NAME_PATTERN, "letters, digits, '_', '.' or '-'")]
    months: Count = 120
    model: dict[str, Any] = Field(default_factory=dict)
    scenarios: dict[str, dict[str, Any]] = Field(default_factory=dict)
    design: Design = Field(default_factory=Design)
    replications: Replications = Field(default_factory=Replications)
    outputs: Outputs = Field(default_factory=Outputs)

    @property
    def scenario_names(self) -> list[str]:
        """Scenario names in config order (`base` when no scenario is given)."""
        return list(self.scenarios) or [DEFAULT_SCENARIO]


def config_hash(cfg: ExperimentConfig) -> str:
    """SHA-256 of the canonical JSON of the resolved config (defaults included).

    Args:
        cfg: a validated config.

    Returns:
        64 hex digits.
    """
    return hashlib.sha256(canonical_json(cfg).encode()).hexdigest()


def canonical_json(cfg: ExperimentConfig) -> str:
    """The resolved config as JSON with sorted keys and no whitespace."""
    return json.dumps(cfg.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))


def allowed_keys(schema: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names of the nested table at `loc` of a schema (empty when it is not a table).

    Dict-valued fields (such as `scenarios`) are stepped through to their values' schema.
    """
    node: Any = schema
    for part in loc:
        if get_origin(node) is dict:
            node = get_args(node)[1]
            continue
        field = node.model_fields.get(part) if _is_table(node) else None
        if field is None:
            return []
        node = field.annotation
    return list(node.model_fields) if _is_table(node) else []


def _is_table(node: Any) -> bool:
    return isinstance(node, type) and issubclass(node, BaseModel)
