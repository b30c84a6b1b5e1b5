"""Global sensitivity of the key outcomes: Morris screening and Sobol indices (SALib).

Both read a stored results folder whose design is SALib's (kind ``morris`` or
``saltelli``, `experiments.spec.designs`): the unit-cube sample is rebuilt from
the stored config (same seed, same points), and each point's outcome is the
mean over its replications of one scenario's measure, or of the difference of
two scenarios (`OUTCOMES`). Morris gives each parameter's mean absolute
elementary effect mu* (with a bootstrap CI) and its spread sigma; Sobol gives
first-order and total indices with bootstrap CIs. Analysis reads only saved
results (DESIGN.md).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from experiments.spec.designs import MORRIS_LEVELS, unit_sample
from experiments.spec.schema import Design

__all__ = ["OUTCOMES", "SENSITIVITY_COLUMNS", "morris_indices", "outcome_matrix", "sobol_indices"]

OUTCOMES: Mapping[str, tuple[str, str, str | None]] = {
    "mlm success rate": ("success_rate", "mlm", None),
    "referral success rate": ("success_rate", "referral", None),
    "referral - mlm success rate": ("success_rate", "referral", "mlm"),
    "mlm top 1% share of gross income": ("top_share:gross_income:0.01", "mlm", None),
    "mlm Gini of net income": ("gini_net", "mlm", None),
    "mlm payout ratio": ("payout_ratio", "mlm", None),
}
"""Outcome label -> (measure, scenario, scenario subtracted or None)."""

SENSITIVITY_COLUMNS = ("method", "outcome", "parameter", "index", "estimate", "low", "high")
"""Columns of the tidy sensitivity table; index is mu_star, sigma, S1 or ST."""


def outcome_matrix(measures: pd.DataFrame, n_points: int) -> pd.DataFrame:
    """One row per design point (in point order), one column per outcome (`OUTCOMES`).

    Args:
        measures: per-run measures of the folder (`run_measures`), with `point`.
        n_points: the design's number of points.

    Returns:
        The point means; NaN where a point has no run with the measure.
    """
    index = pd.RangeIndex(n_points, name="point")
    columns = {}
    for label, (measure, scenario, minus) in OUTCOMES.items():
        if measure not in measures.columns:
            continue
        means = measures.groupby(["scenario", "point"])[measure].mean()
        value = means.get(scenario, pd.Series(dtype=float)).reindex(index)
        if minus is not None:
            value = value - means.get(minus, pd.Series(dtype=float)).reindex(index)
        columns[label] = value.to_numpy(dtype=float)
    return pd.DataFrame(columns, index=index)


def _problem(design: Design) -> dict:
    names = list(design.parameters)
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


def _rows(method: str, outcome: str, names: list[str], index: str, est, conf) -> list[dict]:
    est, conf = np.asarray(est, dtype=float), np.asarray(conf, dtype=float)
    return [
        {
            "method": method,
            "outcome": outcome,
            "parameter": name,
            "index": index,
            "estimate": e,
            "low": e - c,
            "high": e + c,
        }
        for name, e, c in zip(names, est, conf, strict=True)
    ]


def morris_indices(measures: pd.DataFrame, design: Design, seed: int = 0) -> pd.DataFrame:
    """Morris elementary effects of every outcome: mu* with its 95% bootstrap CI, and sigma.

    Args:
        measures: per-run measures of a folder with a ``morris`` design.
        design: that folder's design.
        seed: seed of SALib's bootstrap of mu*.

    Returns:
        The tidy table (`SENSITIVITY_COLUMNS`); outcomes undefined at some point
        are left out (SALib needs every point).

    Raises:
        ValueError: if the design is not a Morris design.
    """
    if design.kind != "morris":
        raise ValueError(f"Morris indices need a morris design, not {design.kind!r}")
    from SALib.analyze import morris

    x = unit_sample(design)
    problem = _problem(design)
    rows: list[dict] = []
    for outcome, y in outcome_matrix(measures, len(x)).items():
        values = y.to_numpy(dtype=float)
        if not np.isfinite(values).all():
            continue
        res = morris.analyze(problem, x, values, num_levels=MORRIS_LEVELS, seed=seed)
        rows += _rows(
            "morris", str(outcome), problem["names"], "mu_star", res["mu_star"], res["mu_star_conf"]
        )
        rows += _rows(
            "morris",
            str(outcome),
            problem["names"],
            "sigma",
            res["sigma"],
            np.zeros(len(problem["names"])),
        )
    return pd.DataFrame(rows, columns=list(SENSITIVITY_COLUMNS))


def sobol_indices(measures: pd.DataFrame, design: Design, seed: int = 0) -> pd.DataFrame:
    """Sobol first-order (S1) and total (ST) indices of every outcome, with 95% bootstrap CIs.

    Args:
        measures: per-run measures of a folder with a ``saltelli`` design.
        design: that folder's design.
        seed: seed of SALib's bootstrap.

    Returns:
        The tidy table (`SENSITIVITY_COLUMNS`); outcomes undefined at some point
        or constant are left out.

    Raises:
        ValueError: if the design is not a Saltelli design.
    """
    if design.kind != "saltelli":
        raise ValueError(f"Sobol indices need a saltelli design, not {design.kind!r}")
    from SALib.analyze import sobol

    x = unit_sample(design)
    problem = _problem(design)
    second = design.calc_second_order is not False
    rows: list[dict] = []
    for outcome, y in outcome_matrix(measures, len(x)).items():
        values = y.to_numpy(dtype=float)
        if not np.isfinite(values).all() or np.ptp(values) == 0:
            continue
        res = sobol.analyze(problem, values, calc_second_order=second, seed=seed)
        for index in ("S1", "ST"):
            rows += _rows(
                "sobol", str(outcome), problem["names"], index, res[index], res[f"{index}_conf"]
            )
    return pd.DataFrame(rows, columns=list(SENSITIVITY_COLUMNS))
