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

Part `P` of suite `S` is the experiment named `S.P`, run into `<out>/P/`, an
ordinary resumable results folder (`load_results` reads it). The suite's own
folder holds `suite.json` (kind `downline-suite`: the suite's name, its parts
in order, each part's config hash), written atomically before the first part
runs.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from experiments.config import (
    ConfigError,
    ExperimentConfig,
    config_hash,
    find_config,
    parse_config,
    read_toml,
)
from experiments.layout import NotAResultsFolder, read_kind_json
from experiments.runner import SweepSummary, run_experiment
from experiments.store import StoreError, write_json

__all__ = [
    "SUITE_KIND",
    "SUITE_MANIFEST",
    "Suite",
    "is_suite",
    "load_suite",
    "parse_suite",
    "read_suite_manifest",
    "run_suite",
    "suite_manifest",
]

SUITE_MANIFEST = "suite.json"
SUITE_KIND = "downline-suite"
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
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False
    return "parts" in data


def load_suite(path: str | Path) -> Suite:
    """Read and validate a suite file.

    Args:
        path: the suite's TOML file.

    Returns:
        The suite; `name` defaults to the file's stem.

    Raises:
        ConfigError: listing every problem, one per line, key paths from the file's root.
    """
    return parse_suite(read_toml(path))


def parse_suite(data: dict[str, Any]) -> Suite:
    """Validate a suite given as a dict (the parsed TOML).

    Args:
        data: the suite's tables.

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
        if not isinstance(table, dict):
            errors.append(f"parts.{part}: must be a table")
            continue
        if "name" in table:
            errors.append(f"parts.{part}.name: not allowed; a part is named <suite>.<part>")
            continue
        try:
            configs[part] = parse_config(_part_data(data, name, part, table))
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


def suite_manifest(suite: Suite, config_file: Path | None = None) -> dict[str, Any]:
    """The content of a suite folder's `suite.json`.

    Args:
        suite: the validated suite.
        config_file: the suite file's path.

    Returns:
        `kind`, `name`, `config_file` and `parts` (name, folder, config hash, in order).
    """
    return {
        "kind": SUITE_KIND,
        "name": suite.name,
        "config_file": str(config_file) if config_file is not None else None,
        "parts": [
            {"name": part, "folder": part, "config_hash": config_hash(cfg)}
            for part, cfg in suite.parts.items()
        ],
    }


def read_suite_manifest(root: Path) -> dict[str, Any]:
    """The `suite.json` of a suite folder.

    Args:
        root: the suite's results folder.

    Returns:
        The manifest as a dict.

    Raises:
        NotAResultsFolder: when `root` has no readable suite manifest.
    """
    return read_kind_json(root, SUITE_MANIFEST, SUITE_KIND, "suite results")


def run_suite(
    suite: Suite,
    out: Path,
    *,
    config_file: Path | None = None,
    **options: Any,
) -> list[SweepSummary]:
    """Run every part of a suite into `<out>/<part>/`, in file order.

    Args:
        suite: the validated suite.
        out: the suite's results folder.
        config_file: the suite file's path, for the manifests.
        **options: passed to `run_experiment` (workers, scheduler, force, quiet).

    Returns:
        One summary per part.

    Raises:
        StoreError: when the folder is not a suite folder of this suite's name
            (a non-empty folder of something else is never touched), or a
            part's folder is refused or locked.
        BackendError: when the backend cannot be used.
        ImportError: when the model cannot be imported.
    """
    _check_target(out, suite)
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / SUITE_MANIFEST, suite_manifest(suite, config_file))
    return [
        run_experiment(cfg, out / part, config_file=config_file, **options)
        for part, cfg in suite.parts.items()
    ]


def _check_target(out: Path, suite: Suite) -> None:
    """Refuse a non-empty folder that is not this suite's results folder."""
    if not out.is_dir() or not any(out.iterdir()):
        return
    try:
        manifest = read_suite_manifest(out)
    except NotAResultsFolder as err:
        raise StoreError(f"{err}; refusing to write into it") from None
    if manifest.get("name") != suite.name:
        raise StoreError(
            f"{out}: holds the results of suite {manifest.get('name')!r}, not {suite.name!r}"
        )
