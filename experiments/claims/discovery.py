"""Scenario discovery: the box of sampled parameters in which a claim holds (PRIM).

For a claim whose verdict depends on the sampled parameters, `prim_box` finds
the region of the robustness hypercube where it holds with the Patient Rule
Induction Method (Friedman & Fisher 1999): starting from the whole sampled
space, repeatedly peel off the ``alpha`` share of points at the low or high
end of one parameter that raises the share of holding points inside the box
most, until the box's density (share of its points where the claim holds)
reaches ``threshold`` or its support falls below ``min_support``. The box is
given with its coverage (share of all holding points that it contains) and
density, and `box_text` says it in plain words.

Why not a library: ema_workbench 2.5.3 (the newest that installs on Python
3.11; 3.x needs 3.12) raises pandas deprecation warnings, which the project's
CI turns into errors, and brings scikit-learn and statsmodels; the `prim`
package is GPL-3, which the MIT-licensed project cannot depend on. The peeling
algorithm is short and tested on constructed data (tests/test_discovery.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["DISCOVERY_COLUMNS", "Box", "box_text", "discover", "prim_box"]

DISCOVERY_COLUMNS = ("claim", "box", "coverage", "density", "support", "points")
MIN_POINTS = 10
SHOWN = 3
"""The plain-words box names at most this many parameters, the most restricted first."""
SHOWN_WIDTH = 0.8
"""...and only those the box cuts to less than this share of their sampled range."""
"""Claims with fewer settled robustness points get no box."""


@dataclass(frozen=True)
class Box:
    """A PRIM box: the limits of the restricted parameters, coverage and density.

    Attributes:
        limits: parameter -> (low, high) for the parameters the box restricts.
        coverage: share of all points where the claim holds that lie in the box.
        density: share of the box's points where the claim holds.
        support: share of all points that lie in the box.
        base_density: share of all points where the claim holds.
        widths: parameter -> the box's width as a share of the sampled range.
    """

    limits: dict[str, tuple[float, float]]
    coverage: float
    density: float
    support: float
    base_density: float
    widths: dict[str, float]


def prim_box(
    x: pd.DataFrame,
    holds: Sequence[bool] | np.ndarray,
    *,
    alpha: float = 0.05,
    threshold: float = 0.8,
    min_support: float = 0.05,
) -> Box:
    """Peel the sampled space down to a box where the claim mostly holds.

    Args:
        x: one row per sampled point, one numeric column per parameter.
        holds: whether the claim holds at each point.
        alpha: share of the box's points peeled per step.
        threshold: stop when the box's density reaches this.
        min_support: never peel the box below this share of all points.

    Returns:
        The box (no limits: the whole space, when no peel raises the density).

    Raises:
        ValueError: for mismatched lengths, no points, or alpha outside (0, 0.5).
    """
    y = np.asarray(holds, dtype=bool)
    if len(x) != y.size or y.size == 0:
        raise ValueError(f"need one flag per point, got {len(x)} points and {y.size} flags")
    if not 0 < alpha < 0.5:
        raise ValueError(f"alpha must be in (0, 0.5), got {alpha}")
    values = x.to_numpy(dtype=np.float64)
    inside = np.ones(y.size, dtype=bool)
    n_min = max(1, math.ceil(min_support * y.size))
    while y[inside].mean() < threshold:
        best, best_density = None, y[inside].mean()
        for j in range(values.shape[1]):
            column = values[inside, j]
            for side, cut in (
                ("low", np.quantile(column, alpha)),
                ("high", np.quantile(column, 1 - alpha)),
            ):
                keep = inside & (values[:, j] > cut if side == "low" else values[:, j] < cut)
                if keep.sum() < n_min or keep.sum() == inside.sum():
                    continue
                density = y[keep].mean()
                if density > best_density:
                    best, best_density = keep, density
        if best is None:
            break
        inside = best
    limits, widths = {}, {}
    for j, name in enumerate(x.columns):
        low, high = values[inside, j].min(), values[inside, j].max()
        full = values[:, j].max() - values[:, j].min()
        if low > values[:, j].min() or high < values[:, j].max():
            limits[str(name)] = (float(low), float(high))
            widths[str(name)] = float((high - low) / full) if full > 0 else 1.0
    return Box(
        limits=limits,
        coverage=float(y[inside].sum() / y.sum()) if y.any() else math.nan,
        density=float(y[inside].mean()),
        support=float(inside.mean()),
        base_density=float(y.mean()),
        widths=widths,
    )


def box_text(box: Box) -> str:
    """The box in plain words, e.g. "holds at 92% of the points with 0.3 <= sale_prob <= 0.45".

    Names the (at most three) parameters the box restricts most; the coverage and
    density are those of the whole box.
    """
    if box.base_density == 1:
        return "holds at every settled point of the sampled space"
    if box.base_density == 0:
        return "holds at none of the settled points of the sampled space"
    if not box.limits:
        return (
            f"no sub-region stands out: it holds at {box.base_density:.0%} of the sampled "
            "points, spread over the whole space"
        )
    narrowest = sorted(box.limits.items(), key=lambda item: box.widths.get(item[0], 1.0))
    shown = [(n, lh) for n, lh in narrowest if box.widths.get(n, 1.0) < SHOWN_WIDTH][:SHOWN]
    if not shown:
        shown = narrowest[:1]
    conditions = " and ".join(f"{lo:.3g} <= {name} <= {hi:.3g}" for name, (lo, hi) in shown)
    return (
        f"holds at {box.density:.0%} of the points with {conditions} "
        f"({box.coverage:.0%} of all points where it holds; {box.base_density:.0%} overall)"
    )


def discover(flags: pd.DataFrame, design: Sequence[str], claims: Sequence[str]) -> pd.DataFrame:
    """PRIM boxes of some claims over the robustness points.

    Args:
        flags: `experiments.claims.robustness.point_flags` (settled points have holds 0 or 1).
        design: the sampled parameter names.
        claims: the claims to explain (the depends-on ones).

    Returns:
        One row per claim: ``claim``, ``box`` (plain words), ``coverage``, ``density``,
        ``support``, ``points``; claims with fewer than 10 settled points are left out.
    """
    rows = []
    for claim in claims:
        settled = flags[(flags["claim"] == claim) & flags["holds"].notna()]
        if len(settled) < MIN_POINTS:
            continue
        box = prim_box(settled[list(design)], settled["holds"].to_numpy() == 1)
        rows.append(
            {
                "claim": claim,
                "box": box_text(box),
                "coverage": box.coverage,
                "density": box.density,
                "support": box.support,
                "points": len(settled),
            }
        )
    return pd.DataFrame(rows, columns=list(DISCOVERY_COLUMNS))
