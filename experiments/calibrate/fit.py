"""Scoring a calibration run against the targets: the accepted set and the calibrated point.

Every design point of the search is summarised by the mean of each target's
measure over its replications (in the target's scenario), with the standard
error. The score is simulated method of moments with each target weighted by
its uncertainty: the distance of a point is

    D = sum_k (m_k - c_k)^2 / (h_k^2 + se_k^2),

where c_k and h_k are the centre and half-width of target k's band and se_k
the standard error of the point's mean m_k; D is what the optimiser
minimises (`experiments.calibrate.refine`). A point is *accepted* when every
mean lies in its band (rejection ABC with the bands as the tolerance); the
accepted set is the calibration's uncertainty. A point's margin is how far
inside the bands its means lie: min_k (h_k - |m_k - c_k|) / h_k over the
band edges that bind (an edge at the end of what the measure can take, such
as a share's 1, cannot be crossed and does not count; `Target.margin`).

The means of the search rest on a few replications, so the best of many
points is partly the luckiest. The calibration therefore reruns the
`candidates` best points (`candidates`: accepted points by largest margin,
then the others by most targets in band and least D) with fresh seeds and
more replications, and the calibrated point is the confirmed point chosen by
the same rule (`fit`). When no point is accepted, the point with the most
targets in band, then the smallest D, is reported as such.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from experiments.calibrate.targets import TARGETS, Target


@dataclass(frozen=True)
class Fit:
    """The scored search.

    Attributes:
        points: one row per design point: the parameters, each target's mean,
            standard error and in-band flag, `n_in_band`, `distance`, `accepted`.
        parameters: names of the calibrated (design) parameters.
        best: the index (design point) of the calibrated point.
    """

    points: pd.DataFrame
    parameters: list[str]
    best: int

    @property
    def accepted(self) -> pd.DataFrame:
        """The accepted points (every target in band)."""
        return self.points[self.points["accepted"]]

    def best_values(self) -> dict[str, Any]:
        """The calibrated point's parameter values by (dotted) name."""
        return point_values(self.points, self.parameters, self.best)


def point_values(points: pd.DataFrame, parameters: list[str], point: int) -> dict[str, Any]:
    """One point's parameter values by (dotted) name, as plain Python numbers."""
    row = points.loc[point]
    return {name: _plain(row[name]) for name in parameters}


def summarise_points(
    runs: pd.DataFrame, parameters: list[str], targets: tuple[Target, ...] = TARGETS
) -> pd.DataFrame:
    """Each design point's parameters and, per target, the mean and standard error.

    Args:
        runs: the stored runs (one row per run, with `scenario` and `point`).
        parameters: the design parameter columns.
        targets: the targets.

    Returns:
        One row per point (index `point`): parameters, then `<target>` (mean),
        `<target>_se` and `<target>_n` per target.

    Raises:
        ValueError: naming a target whose scenario or measure the runs lack.
    """
    table = runs.groupby("point")[parameters].first() if parameters else None
    if table is None:
        table = pd.DataFrame(index=pd.Index(sorted(runs["point"].unique()), name="point"))
    for target in targets:
        rows = runs[runs["scenario"] == target.scenario]
        if rows.empty or target.measure not in rows.columns:
            raise ValueError(
                f"target {target.name}: no runs of scenario {target.scenario!r} with "
                f"measure {target.measure!r}; the calibration config needs both"
            )
        values = rows.groupby("point")[target.measure]
        table[target.name] = values.mean()
        table[f"{target.name}_se"] = values.std(ddof=1) / np.sqrt(values.count())
        table[f"{target.name}_n"] = values.count()
    return table


def score_points(points: pd.DataFrame, targets: tuple[Target, ...] = TARGETS) -> pd.DataFrame:
    """Add in-band flags, the number in band, D, the least margin and `accepted` (module doc)."""
    scored = points.copy()
    distance = np.zeros(len(scored))
    margin = np.full(len(scored), np.inf)
    in_band = np.zeros(len(scored), dtype=np.int64)
    for target in targets:
        mean = scored[target.name].to_numpy(dtype=np.float64)
        se = np.nan_to_num(scored[f"{target.name}_se"].to_numpy(dtype=np.float64))
        ok = (mean >= target.low) & (mean <= target.high)
        scored[f"{target.name}_ok"] = ok
        in_band += ok
        term = (mean - target.centre) ** 2 / (target.half_width**2 + se**2)
        distance += np.where(np.isnan(term), np.inf, term)
        edge = target.margin(mean)
        margin = np.fmin(margin, np.where(np.isnan(edge), -np.inf, edge))
    scored["n_in_band"] = in_band
    scored["distance"] = distance
    scored["margin"] = margin
    scored["accepted"] = in_band == len(targets)
    return scored


def score_runs(
    runs: pd.DataFrame, parameters: list[str], targets: tuple[Target, ...] = TARGETS
) -> pd.DataFrame:
    """`summarise_points` then `score_points`: one scored row per design point."""
    return score_points(summarise_points(runs, parameters, targets), targets)


def candidates(points: pd.DataFrame, count: int) -> list[int]:
    """The points worth confirming, best first (module doc).

    Args:
        points: scored points (`score_points`), one row each, with a unique index.
        count: how many to return (fewer when there are fewer points).

    Returns:
        Point indices: accepted points by largest margin, then the rest by
        most targets in band and least distance.
    """
    accepted = points[points["accepted"]].sort_values("margin", ascending=False, kind="stable")
    others = points[~points["accepted"]].sort_values(
        ["n_in_band", "distance"], ascending=[False, True], kind="stable"
    )
    return [int(point) for point in [*accepted.index, *others.index][:count]]


def fit(points: pd.DataFrame, parameters: list[str]) -> Fit:
    """Pick the calibrated point among scored points (`score_runs`, possibly several stages).

    Args:
        points: scored points, one row each, with a unique index.
        parameters: the parameter columns (the calibrated inputs).

    Returns:
        The points, the parameter names and the calibrated point: the
        accepted point of largest least margin, else the most targets in
        band, then the least distance.
    """
    accepted = points[points["accepted"]]
    if len(accepted):
        best = accepted["margin"].idxmax()
    else:
        best = points.sort_values(
            ["n_in_band", "distance"], ascending=[False, True], kind="stable"
        ).index[0]
    return Fit(points=points, parameters=parameters, best=int(best))


def confirmation_table(runs: pd.DataFrame, targets: tuple[Target, ...] = TARGETS) -> pd.DataFrame:
    """Each target at one parameter set: mean, 95% interval of the mean, in band.

    Args:
        runs: the runs of the confirmation (one design point, many replications).
        targets: the targets.

    Returns:
        One row per target: name, measure, scenario, source, published, low,
        high, unit, n, mean, ci_low, ci_high (t interval), in_band.
    """
    rows = []
    for target in targets:
        values = runs.loc[runs["scenario"] == target.scenario, target.measure].dropna()
        n = int(values.size)
        mean = float(values.mean()) if n else math.nan
        half = (
            float(stats.t.ppf(0.975, n - 1) * values.std(ddof=1) / math.sqrt(n))
            if n > 1
            else math.nan
        )
        rows.append(
            {
                "name": target.name,
                "measure": target.measure,
                "scenario": target.scenario,
                "source": target.source,
                "published": target.published,
                "low": target.low,
                "high": target.high,
                "unit": target.unit,
                "n": n,
                "mean": mean,
                "ci_low": mean - half,
                "ci_high": mean + half,
                "in_band": bool(target.low <= mean <= target.high),
            }
        )
    return pd.DataFrame(rows)


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value
