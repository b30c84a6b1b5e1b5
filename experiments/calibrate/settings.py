"""A calibration file: an experiment config plus a `[calibration]` table of its own settings."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from experiments.spec.loader import parse_config, read_toml
from experiments.spec.schema import ConfigError, ExperimentConfig


class CalibrationSettings(BaseModel):
    """How the calibration searches beyond the config's design.

    Attributes:
        refine_batches: batches of points proposed by the optimiser after the design.
        batch_size: points per batch.
        candidates: the best points of the search rerun with fresh seeds, among
            which the calibrated point is chosen (`experiments.calibrate.fit`).
        confirm: replications of each candidate's confirmation run.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    refine_batches: int = Field(8, ge=0, le=1000)
    batch_size: int = Field(64, ge=1, le=100_000)
    candidates: int = Field(8, ge=1, le=1000)
    confirm: int = Field(10, ge=2, le=10_000)


def is_calibration(path: str | Path) -> bool:
    """Whether a config file is a calibration file (has a `[calibration]` table).

    Raises:
        ConfigError: when the file is missing or not valid TOML (one line).
    """
    return "calibration" in read_toml(path)


def load_calibration(path: str | Path) -> tuple[ExperimentConfig, CalibrationSettings]:
    """Read a calibration file.

    Args:
        path: the file (bare names are also looked up in the experiments package).

    Returns:
        The experiment config (without the `[calibration]` table) and the settings.

    Raises:
        ConfigError: one line per problem, naming the key.
    """
    data = read_toml(path)
    table = data.pop("calibration", {})
    errors: list[str] = []
    settings = CalibrationSettings()
    try:
        settings = CalibrationSettings.model_validate(table)
    except ValidationError as err:
        errors += [
            f"calibration.{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in err.errors()
        ]
    try:
        cfg = parse_config(data)
    except ConfigError as err:
        raise ConfigError(err.errors + errors) from None
    if not cfg.design.parameters:
        errors.append("design.parameters: a calibration needs the parameters to calibrate")
    if errors:
        raise ConfigError(errors)
    return cfg, settings
