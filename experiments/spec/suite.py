"""Suites: several experiments (parts) in one TOML file, each run into its own results folder.

One config holds one design. An experiment that needs several designs (the
claims experiment: paired scenarios, grids, a Latin hypercube) is a suite:

```toml
name = "claims"
months = 120                 # shared by every part unless a part sets its own
[model]                      # shared base model arguments; a part's [model] adds to them
n_people = 10000
[outputs]                    # shared outputs; a part's [outputs] overrides keys
participants = true

[parts.main.scenarios.mlm]   # each part is an ordinary config without `name`
plan = "unilevel"
[parts.main.replications]
count = 30
```

Part `P` of suite `S` is the experiment named `S.P`. This module reads and
validates suite files; `experiments.run.suite` runs them, each part into
`<out>/P/`, and `experiments.store.writer` writes and reads the suite folder's
`suite.json`.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from experiments.spec.loader import MAX_RUNS, find_config, parse_config, read_toml
from experiments.spec.schema import SCENARIO_PATTERN, ConfigError, ExperimentConfig

__all__ = ["Suite", "is_suite", "load_suite", "parse_suite"]

_SUITE_KEYS = ("name", "months", "model", "outputs", "parts")


@dataclass(frozen=True)
class Suite:
    """A validated suite.

    Attributes:
        name: the suite's name; default output folder `results/<name>/`.
        parts: part name -> its validated config (named `<suite>.<part>`), in file order.
    """

    name: str
    parts: dict[str, ExperimentConfig]


def is_suite(path: str | Path) -> bool:
    """Whether a config file is a suite (has a `[parts]` table).

    Args:
        path: the config file (bare names are also looked up in the package folder).

    Returns:
        True for a suite; False for an ordinary config or unreadable TOML
        (`load_config` then reports the problem).
    """
    try:
        data = tomllib.loads(find_config(path).read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
        return False
    return "parts" in data


def load_suite(path: str | Path, max_runs: int | None = MAX_RUNS) -> Suite:
    """Read and validate a suite file.

    Args:
        path: the suite's TOML file.
        max_runs: refuse parts with more runs than this (None: no cap).

    Returns:
        The suite; `name` defaults to the file's stem.

    Raises:
        ConfigError: listing every problem, one per line, key paths from the file's root.
    """
    return parse_suite(read_toml(path), max_runs)


def parse_suite(data: dict[str, Any], max_runs: int | None = MAX_RUNS) -> Suite:
    """Validate a suite given as a dict (the parsed TOML).

    Args:
        data: the suite's tables.
        max_runs: refuse parts with more runs than this (None: no cap).

    Returns:
        The suite.

    Raises:
        ConfigError: listing every problem, one per line.
    """
    errors = [
        f"{key}: unknown key in a suite; allowed: {', '.join(_SUITE_KEYS)}"
        for key in data
        if key not in _SUITE_KEYS
    ]
    parts = data.get("parts")
    if not isinstance(parts, dict) or not parts:
        errors.append("parts: must be a table of at least one part")
        raise ConfigError(errors)
    bad_tables = [
        f"{key}: must be a table"
        for key in ("model", "outputs")
        if not isinstance(data.get(key, {}), dict)
    ]
    if bad_tables:
        raise ConfigError(errors + bad_tables)
    name = str(data.get("name", ""))
    configs: dict[str, ExperimentConfig] = {}
    for part, table in parts.items():
        if not SCENARIO_PATTERN.fullmatch(part):
            errors.append(f"parts.{part}: part names must be letters, digits, '_' or '-'")
            continue
        if not isinstance(table, dict):
            errors.append(f"parts.{part}: must be a table")
            continue
        if "name" in table:
            errors.append(f"parts.{part}.name: not allowed; a part is named <suite>.<part>")
            continue
        try:
            configs[part] = parse_config(_part_data(data, name, part, table), max_runs)
        except ConfigError as err:
            errors += [_prefix(line, part) for line in err.errors]
    if errors:
        raise ConfigError(errors)
    return Suite(name=name, parts=configs)


def _part_data(
    suite: dict[str, Any], name: str, part: str, table: dict[str, Any]
) -> dict[str, Any]:
    """A part's config: the suite's months, model and outputs under the part's own keys."""
    merged = copy.deepcopy(table)
    merged["name"] = f"{name}.{part}"
    if "months" in suite:
        merged.setdefault("months", suite["months"])
    for key in ("model", "outputs"):
        if key in suite:
            own = merged.get(key, {})
            merged[key] = {**suite[key], **own} if isinstance(own, dict) else own
    return merged


def _prefix(line: str, part: str) -> str:
    """An error line of a part's config, with its key path from the suite's root."""
    if line.startswith("name: "):
        return f"name: {line.removeprefix('name: ')}"
    return f"parts.{part}.{line}"
