"""Refining the search: batches of points proposed by Optuna's TPE sampler.

After the design, the optimiser learns from every scored point (the
distance D of `experiments.calibrate.fit`) and proposes `batch_size` new
points at a time; each batch is an ordinary experiment (design kind
"points") run through the experiments layer. The sampler is seeded and
rebuilt from the stored results at every start, so a rerun proposes the
same batches and the runner skips what is stored: the refinement resumes
like any sweep and gives the same points on any backend.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pandas as pd

from experiments.spec.loader import parse_config
from experiments.spec.schema import ExperimentConfig

FAILED_DISTANCE = 1e12
"""The distance told to the sampler for a point whose measures are undefined."""


def _optuna() -> Any:
    try:
        import optuna
    except ImportError:
        raise ImportError(
            'downline calibrate needs Optuna: pip install "downline[calibrate]"'
        ) from None
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna


def distributions(cfg: ExperimentConfig) -> dict[str, Any]:
    """Optuna's distribution of each design parameter (its range, log and integer flags)."""
    optuna = _optuna()
    out = {}
    for name, spec in cfg.design.parameters.items():
        if spec.integer:
            out[name] = optuna.distributions.IntDistribution(
                int(spec.low), int(spec.high), log=spec.log
            )
        else:
            out[name] = optuna.distributions.FloatDistribution(spec.low, spec.high, log=spec.log)
    return out


def points_config(
    cfg: ExperimentConfig,
    name: str,
    points: list[dict[str, Any]],
    replications: dict[str, int] | None = None,
) -> ExperimentConfig:
    """The search config named `name`, its design replaced by explicit points.

    Args:
        cfg: the search config.
        name: the new config's name.
        points: each point's value of every design parameter.
        replications: a `[replications]` table to use instead of the search's.
    """
    data = cfg.model_dump(mode="json", exclude_none=True)
    data["name"] = name
    data["design"] = {
        "kind": "points",
        "parameters": {
            param: {"values": [point[param] for point in points]} for param in cfg.design.parameters
        },
    }
    if replications is not None:
        data["replications"] = replications
    return parse_config(data)


def refine(
    cfg: ExperimentConfig,
    scored: pd.DataFrame,
    batches: int,
    batch_size: int,
    run_batch: Callable[[int, ExperimentConfig], pd.DataFrame],
) -> list[pd.DataFrame]:
    """Propose, run and score `batches` batches of points.

    Args:
        cfg: the search config (its design's ranges bound the proposals; its
            seed seeds the sampler).
        scored: the design's scored points (parameters and `distance`).
        batches: number of batches.
        batch_size: points per batch.
        run_batch: runs one batch config and returns its scored points (same columns).

    Returns:
        The scored points of every batch, in order.
    """
    optuna = _optuna()
    dists = distributions(cfg)
    sampler = optuna.samplers.TPESampler(
        seed=cfg.design.seed, multivariate=True, constant_liar=True
    )
    study = optuna.create_study(direction="minimize", sampler=sampler)
    _tell_all(optuna, study, dists, scored)
    results = []
    for batch in range(batches):
        trials = [study.ask(dists) for _ in range(batch_size)]
        points = [trial.params for trial in trials]
        batch_scored = run_batch(batch, points_config(cfg, f"{cfg.name}-refine{batch:02d}", points))
        for trial, distance in zip(trials, batch_scored["distance"], strict=True):
            study.tell(trial, _finite(distance))
        results.append(batch_scored)
    return results


def _tell_all(optuna: Any, study: Any, dists: dict[str, Any], scored: pd.DataFrame) -> None:
    for _, row in scored.iterrows():
        params = {name: _plain(row[name], dists[name]) for name in dists}
        study.add_trial(
            optuna.trial.create_trial(
                params=params, distributions=dists, value=_finite(row["distance"])
            )
        )


def _plain(value: Any, dist: Any) -> Any:
    """A stored value as the distribution's type, inside its range (log scaling can round out)."""
    value = min(max(float(value), dist.low), dist.high)
    return int(value) if type(dist).__name__ == "IntDistribution" else value


def _finite(distance: float) -> float:
    return float(distance) if math.isfinite(distance) else FAILED_DISTANCE
