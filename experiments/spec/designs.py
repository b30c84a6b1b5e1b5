"""Design points: which parameter values each point of an experiment uses.

- `none`: one point with no varied parameter.
- `grid`: the cartesian product of every parameter's `values`, in config
  order with the last parameter varying fastest.
- `lhs`: `n` points of a Latin hypercube (`scipy.stats.qmc.LatinHypercube`):
  on the unit scale, each parameter has exactly one point in each of the `n`
  equal strata.
- `sobol`: the first `n` points of a scrambled Sobol sequence
  (`scipy.stats.qmc.Sobol`). `n` must be a power of two; configs with
  other values are refused (rounding would silently change the run count,
  and truncating loses the sequence's balance properties).
- `saltelli`: Saltelli's scheme for Sobol sensitivity indices
  (`SALib.sample.sobol.sample`, scrambled): `n * (2d + 2)` points, or
  `n * (d + 2)` with `calc_second_order = false`, in SALib's order, so
  `SALib.analyze.sobol` applies to the results sorted by point. Needs the
  optional dependency SALib.

Sampled designs draw unit-cube points from `design.seed` and map each
coordinate u in [0, 1) to the parameter's range: `low + u (high - low)`, or
`low (high / low)^u` with `log = true`. Integer parameters cover
[low, high + 1) (on the log scale too) and are rounded down, so every
integer in [low, high] is equally likely. The same seed gives the same points.
"""

from __future__ import annotations

import inspect
import itertools
import math
from typing import Any

import numpy as np

from experiments.spec.schema import Design, DesignParameter

MORRIS_LEVELS = 4
"""Grid levels of the Morris design (SALib's default)."""


def design_size(design: Design) -> int:
    """How many points a validated design has, without generating them.

    Args:
        design: the `[design]` table.

    Returns:
        The number of points `design_points` returns.
    """
    if design.kind == "none":
        return 1
    if design.kind == "grid":
        return math.prod(len(param.values or []) for param in design.parameters.values())
    n = design.n or 1
    d = len(design.parameters)
    if design.kind == "saltelli":
        return n * (2 * d + 2 if design.calc_second_order is not False else d + 2)
    if design.kind == "morris":
        return n * (d + 1)
    return n


def design_points(design: Design) -> list[dict[str, Any]]:
    """All points of a validated design, each a dict of parameter name -> value.

    Args:
        design: the `[design]` table.

    Returns:
        The points in order; `[{}]` for kind = "none".
    """
    if design.kind == "none":
        return [{}]
    names = list(design.parameters)
    grids = [design.parameters[name].values or [] for name in names]
    if design.kind == "grid":
        return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*grids)]
    if design.kind == "points":
        return [dict(zip(names, point, strict=True)) for point in zip(*grids, strict=True)]
    unit = unit_sample(design)
    columns = [scale(unit[:, j], design.parameters[name]) for j, name in enumerate(names)]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def unit_sample(design: Design) -> np.ndarray:
    """Points of a sampled design on the unit cube, shape (points, parameters).

    Args:
        design: a design of kind lhs, sobol or saltelli with `n` set.

    Returns:
        Coordinates in [0, 1).
    """
    d = len(design.parameters)
    n = design.n or 1
    rng = np.random.default_rng(design.seed)
    if design.kind == "lhs":
        from scipy.stats import qmc

        return qmc.LatinHypercube(d, **_rng_keyword(qmc.LatinHypercube, rng)).random(n)
    if design.kind == "sobol":
        from scipy.stats import qmc

        sampler = qmc.Sobol(d, scramble=True, **_rng_keyword(qmc.Sobol, rng))
        return sampler.random_base2(int(math.log2(n)))
    if design.kind == "saltelli":
        from SALib.sample import sobol

        problem = {"num_vars": d, "names": list(design.parameters), "bounds": [[0.0, 1.0]] * d}
        second = design.calc_second_order is not False
        points = sobol.sample(problem, n, calc_second_order=second, scramble=True, seed=rng)
        return np.clip(points, 0.0, np.nextafter(1.0, 0.0))
    if design.kind == "morris":
        from SALib.sample import morris

        problem = {"num_vars": d, "names": list(design.parameters), "bounds": [[0.0, 1.0]] * d}
        points = morris.sample(problem, n, num_levels=MORRIS_LEVELS, seed=design.seed)
        return np.clip(points, 0.0, np.nextafter(1.0, 0.0))
    raise ValueError(f"design kind {design.kind!r} is not sampled")


def scale(unit: np.ndarray, param: DesignParameter) -> list[Any]:
    """Map unit coordinates to a parameter's range (see the module docstring).

    Args:
        unit: coordinates in [0, 1).
        param: the parameter with `low`, `high`, `integer` and `log`.

    Returns:
        Python ints (integer parameters) or floats.
    """
    low, high = float(param.low or 0.0), float(param.high or 0.0)
    top = high + 1.0 if param.integer else high
    values = low * (top / low) ** unit if param.log else low + unit * (top - low)
    if param.integer:
        return [int(v) for v in np.clip(np.floor(values), low, high)]
    return [float(v) for v in np.clip(values, low, high)]


def _rng_keyword(sampler: type, rng: np.random.Generator) -> dict[str, Any]:
    """`rng=` for SciPy >= 1.15 (which deprecates `seed=`), `seed=` before."""
    parameters = inspect.signature(sampler.__init__).parameters
    return {"rng": rng} if "rng" in parameters else {"seed": rng}
