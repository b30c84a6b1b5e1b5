"""Statistics for comparing replicated simulation runs: pure functions on arrays.

Every function takes plain arrays (one value per replication, or per design
point) and returns numbers; nothing here reads results or touches the model.
Functions that resample take a seed or a `numpy.random.Generator` as the
required keyword ``rng``; the global ``np.random`` state is never used, so
results are reproducible.

Missing values (NaN) are dropped, with the pairs they belong to in paired
functions: a per-run metric is NaN when it is undefined in that run (for
example ``top1_share`` when nobody earned commissions). Infinite values are
refused.

Conventions and references:

* Bootstrap confidence intervals: bias-corrected and accelerated (BCa,
  Efron 1987, J. Am. Stat. Assoc. 82(397):171-185) by default, percentile
  on request or when BCa is undefined; via `scipy.stats.bootstrap`.
* Paired comparisons (common random numbers: the two scenarios of one
  replication share a seed): the mean difference with a bootstrap CI and the
  Wilcoxon signed-rank test. The test is about the location of the
  differences (their pseudo-median), the CI about their mean; both are
  reported because simulation differences are often skewed.
* Effect size: the Vargha-Delaney A measure of stochastic superiority,
  ``A = P(X > Y) + P(X = Y) / 2`` (Vargha & Delaney 2000, J. Educ. Behav.
  Stat. 25(2):101-132), with their magnitude labels: negligible below 0.56,
  small below 0.64, medium below 0.71, large otherwise, symmetric below 0.5.
* Proportions (the share of sampled parameter points where a claim holds):
  the Wilson (1927) score interval, J. Am. Stat. Assoc. 22(158):209-212.
* Multiple tests: Holm's (1979) step-down adjustment, Scand. J. Stat.
  6(2):65-70.
* Replication counts: ``n = (z cv / r)^2`` for a CI half-width of ``r`` times
  the mean (Law 2015, Simulation Modeling and Analysis, 5th ed., sec. 9.4.1).
"""

from __future__ import annotations

import inspect
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np
import numpy.typing as npt
from scipy import stats as _st

__all__ = [
    "BootstrapFallbackWarning",
    "Interval",
    "MannWhitney",
    "PairedDifference",
    "a12_magnitude",
    "bootstrap_ci",
    "holm",
    "mann_whitney",
    "paired_difference",
    "replications_for_cv",
    "replications_needed",
    "share_true",
    "vargha_delaney_a",
]

ArrayLike = npt.ArrayLike
Seed = int | np.random.Generator | np.random.SeedSequence
Alternative = Literal["two-sided", "greater", "less"]


class BootstrapFallbackWarning(RuntimeWarning):
    """BCa was undefined for the data, so the percentile interval was returned."""


class Interval(NamedTuple):
    """A point estimate with the bounds of its confidence interval."""

    estimate: float
    low: float
    high: float


@dataclass(frozen=True)
class PairedDifference:
    """Result of `paired_difference`: a - b over complete pairs.

    Attributes:
        n: number of complete pairs used.
        mean_a: mean of a over those pairs.
        mean_b: mean of b over those pairs.
        estimate: mean of the differences a - b.
        low: lower bound of the bootstrap CI of the mean difference.
        high: upper bound of the bootstrap CI of the mean difference.
        p_value: Wilcoxon signed-rank p-value (1.0 if every difference is 0).
        a12: paired effect size: the share of pairs with a > b, ties counting one half
            (Vargha-Delaney A of the differences against 0; 0.5: no tendency).
        magnitude: label of ``a12`` (negligible, small, medium, large).
    """

    n: int
    mean_a: float
    mean_b: float
    estimate: float
    low: float
    high: float
    p_value: float
    a12: float
    magnitude: str


@dataclass(frozen=True)
class MannWhitney:
    """Result of `mann_whitney` for two independent samples.

    Attributes:
        n_a: size of sample a (NaN dropped).
        n_b: size of sample b.
        u: Mann-Whitney U statistic of a (pairs with a > b, plus half the ties).
        p_value: p-value of the test (1.0 when all values are equal).
        a12: Vargha-Delaney A of a against b, ``u / (n_a n_b)``.
        magnitude: label of ``a12``.
    """

    n_a: int
    n_b: int
    u: float
    p_value: float
    a12: float
    magnitude: str


# ----------------------------------------------------------------- helpers
def _values(x: ArrayLike, name: str = "x") -> np.ndarray:
    """Flatten to float64, drop NaN, refuse infinities."""
    arr = np.asarray(x, dtype=np.float64).ravel()
    arr = arr[~np.isnan(arr)]
    if np.isinf(arr).any():
        raise ValueError(f"{name} contains infinite values")
    return arr


def _pairs(a: ArrayLike, b: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Two equal-length arrays with every pair containing a NaN dropped."""
    x = np.asarray(a, dtype=np.float64).ravel()
    y = np.asarray(b, dtype=np.float64).ravel()
    if x.shape != y.shape:
        raise ValueError(f"paired samples differ in length: {x.size} and {y.size}")
    keep = ~(np.isnan(x) | np.isnan(y))
    x, y = x[keep], y[keep]
    if np.isinf(x).any() or np.isinf(y).any():
        raise ValueError("paired samples contain infinite values")
    return x, y


def _generator(rng: Seed) -> np.random.Generator:
    """A Generator from an explicit seed; None (OS entropy) is refused."""
    if rng is None:
        raise TypeError("pass an explicit seed or numpy Generator as rng")
    return np.random.default_rng(rng)


def _accepts_axis(stat: Callable[..., float]) -> bool:
    """Whether ``stat`` takes an ``axis`` argument (so scipy can vectorise it)."""
    try:
        return "axis" in inspect.signature(stat).parameters
    except (TypeError, ValueError):
        return False


def _check_level(level: float) -> None:
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level}")


def _z(level: float) -> float:
    """Two-sided standard normal quantile for a confidence level."""
    _check_level(level)
    return float(_st.norm.ppf(0.5 + level / 2))


# --------------------------------------------------------------- bootstrap
def bootstrap_ci(
    x: ArrayLike,
    stat: Callable[..., float] = np.mean,
    level: float = 0.95,
    n_resamples: int = 9999,
    *,
    rng: Seed,
    method: Literal["BCa", "percentile"] = "BCa",
) -> Interval:
    """Bootstrap confidence interval of a statistic of one sample.

    Degenerate cases are answered without resampling: no values gives
    ``(nan, nan, nan)``; one value gives ``(stat(x), nan, nan)`` (no
    uncertainty can be estimated from one replication); identical values give
    the degenerate interval ``(stat(x), stat(x), stat(x))``, which is what every
    bootstrap resample would give. When BCa is undefined for non-constant
    data (e.g. a median whose resamples rarely differ) the percentile interval
    is returned and a `BootstrapFallbackWarning` is issued.

    Args:
        x: sample values; NaN are dropped.
        stat: statistic of a 1-d array; vectorised via ``axis`` if it takes one.
        level: confidence level.
        n_resamples: bootstrap resamples.
        rng: seed or Generator (required; the global state is never used).
        method: "BCa" (default) or "percentile".

    Returns:
        ``Interval(estimate, low, high)`` with ``estimate = stat(x)``.
    """
    _check_level(level)
    gen = _generator(rng)
    values = _values(x)
    if values.size == 0:
        return Interval(math.nan, math.nan, math.nan)
    estimate = float(stat(values))
    if values.size == 1:
        return Interval(estimate, math.nan, math.nan)
    if np.all(values == values[0]):
        return Interval(estimate, estimate, estimate)
    vectorized = _accepts_axis(stat)

    def run(how: str) -> tuple[float, float]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = _st.bootstrap(
                (values,),
                stat,
                n_resamples=n_resamples,
                confidence_level=level,
                method=how,
                vectorized=vectorized,
                rng=gen,
            )
        return float(res.confidence_interval.low), float(res.confidence_interval.high)

    low, high = run(method)
    if method == "BCa" and (math.isnan(low) or math.isnan(high)):
        warnings.warn(
            "BCa interval undefined for these data; returned the percentile interval",
            BootstrapFallbackWarning,
            stacklevel=2,
        )
        low, high = run("percentile")
    return Interval(estimate, low, high)


# ------------------------------------------------------------ effect sizes
def vargha_delaney_a(a: ArrayLike, b: ArrayLike) -> float:
    """Vargha-Delaney A: probability that a random a exceeds a random b, plus half the ties.

    ``A = (R_a / m - (m + 1) / 2) / n`` with ``R_a`` the rank sum of the ``m``
    values of a among all ``m + n`` values (midranks for ties); equal to
    ``U_a / (m n)``. Vargha & Delaney (2000), J. Educ. Behav. Stat.
    25(2):101-132.

    Args:
        a: first sample; NaN dropped.
        b: second sample; NaN dropped.

    Returns:
        A in [0, 1]; 0.5 for identical samples; NaN if either sample is empty.
    """
    x, y = _values(a, "a"), _values(b, "b")
    m, n = x.size, y.size
    if m == 0 or n == 0:
        return math.nan
    ranks = _st.rankdata(np.concatenate([x, y]))
    rank_sum = float(ranks[:m].sum())
    return (rank_sum / m - (m + 1) / 2) / n


def a12_magnitude(a12: float) -> str:
    """Vargha & Delaney's label for an A value, symmetric about 0.5.

    Args:
        a12: the A measure.

    Returns:
        "negligible" (A < 0.56), "small" (< 0.64), "medium" (< 0.71) or "large",
        using ``max(A, 1 - A)``; "undefined" for NaN.
    """
    if math.isnan(a12):
        return "undefined"
    dominance = round(max(a12, 1.0 - a12), 12)
    if dominance < 0.56:
        return "negligible"
    if dominance < 0.64:
        return "small"
    if dominance < 0.71:
        return "medium"
    return "large"


# ------------------------------------------------------------- comparisons
def paired_difference(
    a: ArrayLike,
    b: ArrayLike,
    level: float = 0.95,
    n_resamples: int = 9999,
    *,
    rng: Seed,
    zero_method: Literal["pratt", "wilcox", "zsplit"] = "pratt",
    alternative: Alternative = "two-sided",
    method: Literal["BCa", "percentile"] = "BCa",
) -> PairedDifference:
    """Compare paired samples (same replication seeds): mean of a - b, CI, test, effect size.

    Pairs with a NaN are dropped. The Wilcoxon signed-rank test
    (`scipy.stats.wilcoxon`) uses Pratt's treatment of zero differences by
    default (zeros are ranked, then their ranks dropped; Pratt 1959), which
    keeps exact ties between scenarios, common with common random numbers,
    from inflating significance. If every difference is zero the p-value is
    1.0 (no evidence of a difference) and the CI is ``(0, 0)``. With fewer
    than two pairs the CI is NaN (see `bootstrap_ci`).

    Args:
        a: values under the first condition, one per replication.
        b: values under the second condition, same replications in the same order.
        level: confidence level of the CI.
        n_resamples: bootstrap resamples.
        rng: seed or Generator (required).
        zero_method: Wilcoxon's treatment of zero differences.
        alternative: "two-sided", "greater" (a - b > 0) or "less".
        method: bootstrap CI method.

    Returns:
        A `PairedDifference`; all NaN (n = 0) if there are no complete pairs.
    """
    x, y = _pairs(a, b)
    n = int(x.size)
    if n == 0:
        nan = math.nan
        return PairedDifference(0, nan, nan, nan, nan, nan, nan, nan, "undefined")
    diff = x - y
    ci = bootstrap_ci(diff, np.mean, level, n_resamples, rng=rng, method=method)
    if np.all(diff == 0):
        p_value = 1.0
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            p_value = float(
                _st.wilcoxon(diff, zero_method=zero_method, alternative=alternative).pvalue
            )
    a12 = float(np.mean(diff > 0) + 0.5 * np.mean(diff == 0))
    return PairedDifference(
        n=n,
        mean_a=float(x.mean()),
        mean_b=float(y.mean()),
        estimate=ci.estimate,
        low=ci.low,
        high=ci.high,
        p_value=p_value,
        a12=a12,
        magnitude=a12_magnitude(a12),
    )


def mann_whitney(a: ArrayLike, b: ArrayLike, alternative: Alternative = "two-sided") -> MannWhitney:
    """Mann-Whitney U test for two independent samples, with Vargha-Delaney A.

    Use it for unpaired comparisons, e.g. design points whose replications
    have different seeds. The p-value is `scipy.stats.mannwhitneyu`'s
    (``method="auto"``: exact for small samples without ties, else normal with
    tie and continuity corrections); 1.0 when every value is equal.

    Args:
        a: first sample; NaN dropped.
        b: second sample; NaN dropped.
        alternative: "two-sided", "greater" (a tends to exceed b) or "less".

    Returns:
        A `MannWhitney`; NaN statistics if either sample is empty.
    """
    x, y = _values(a, "a"), _values(b, "b")
    if x.size == 0 or y.size == 0:
        return MannWhitney(int(x.size), int(y.size), math.nan, math.nan, math.nan, "undefined")
    combined = np.concatenate([x, y])
    if np.all(combined == combined[0]):
        u, p_value = x.size * y.size / 2, 1.0
    else:
        res = _st.mannwhitneyu(x, y, alternative=alternative)
        u, p_value = float(res.statistic), float(res.pvalue)
    a12 = u / (x.size * y.size)
    return MannWhitney(int(x.size), int(y.size), float(u), p_value, a12, a12_magnitude(a12))


def holm(p_values: ArrayLike) -> np.ndarray:
    """Holm's step-down adjustment of a family of p-values.

    Args:
        p_values: the family; NaN entries are left NaN and not counted.

    Returns:
        Adjusted p-values in the input order, monotone in the raw ones, capped at 1.
    """
    p = np.asarray(p_values, dtype=np.float64).ravel()
    out = np.full(p.shape, np.nan)
    finite = np.flatnonzero(~np.isnan(p))
    m = finite.size
    if m == 0:
        return out
    order = finite[np.argsort(p[finite], kind="stable")]
    scaled = (m - np.arange(m)) * p[order]
    out[order] = np.minimum(np.maximum.accumulate(scaled), 1.0)
    return out


# -------------------------------------------------------------- proportions
def share_true(flags: ArrayLike, level: float = 0.95) -> Interval:
    """Share of true flags with its Wilson score interval.

    Used for robustness: the share of sampled parameter points at which a
    claim holds. Wilson's interval stays inside [0, 1] and behaves well at
    shares near 0 or 1 and for small counts (Wilson 1927).

    Args:
        flags: booleans or 0/1; NaN entries (undecided points) are dropped.
        level: confidence level.

    Returns:
        ``Interval(share, low, high)``; all NaN if there are no flags.

    Raises:
        ValueError: if a flag is not 0, 1, True, False or NaN.
    """
    z = _z(level)
    values = _values(flags, "flags")
    if not np.all((values == 0) | (values == 1)):
        raise ValueError("flags must be booleans or 0/1")
    n = values.size
    if n == 0:
        return Interval(math.nan, math.nan, math.nan)
    p = float(values.mean())
    z2n = z * z / n
    centre = (p + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * math.sqrt(p * (1 - p) / n + z2n / (4 * n))
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half))


# ------------------------------------------------------ replication counts
def replications_for_cv(
    cv: float,
    rel_precision: float = 0.05,
    level: float = 0.95,
    *,
    t: bool = False,
    minimum: int = 2,
) -> int:
    """Replications for a CI half-width of the mean within ``rel_precision`` of the mean.

    ``n = ceil((z cv / rel_precision)^2)``, with ``z`` the two-sided normal
    quantile. With ``t=True`` the Student t quantile with ``n - 1`` degrees of
    freedom replaces ``z`` and ``n`` is iterated to a fixed point (slightly
    larger; matters when n is small).

    Args:
        cv: coefficient of variation of the per-run value, ``sd / |mean|``.
        rel_precision: wanted half-width as a fraction of the mean.
        level: confidence level.
        t: use the t quantile instead of the normal one.
        minimum: smallest count returned (2, the fewest that give a CI).

    Returns:
        The number of replications.
    """
    if not cv >= 0 or math.isinf(cv):
        raise ValueError(f"cv must be finite and >= 0, got {cv}")
    if not rel_precision > 0:
        raise ValueError(f"rel_precision must be > 0, got {rel_precision}")
    z = _z(level)
    n = max(minimum, math.ceil((z * cv / rel_precision) ** 2 - 1e-9))
    if t:
        for _ in range(1000):
            q = float(_st.t.ppf(0.5 + level / 2, df=max(n - 1, 1)))
            new = max(minimum, math.ceil((q * cv / rel_precision) ** 2 - 1e-9))
            if new == n:
                break
            n = new
    return int(n)


def replications_needed(
    x: ArrayLike,
    rel_precision: float = 0.05,
    level: float = 0.95,
    *,
    t: bool = False,
    minimum: int = 2,
) -> int:
    """Replications needed, from a pilot sample's coefficient of variation.

    ``cv = sd(x, ddof=1) / |mean(x)|``, then `replications_for_cv`. Use it on a
    pilot of 10 or more runs of the metric that matters; the answer is only
    as good as the pilot's sd.

    Args:
        x: pilot values of a per-run metric; NaN dropped.
        rel_precision: wanted CI half-width as a fraction of the mean.
        level: confidence level.
        t: use the t quantile (see `replications_for_cv`).
        minimum: smallest count returned.

    Returns:
        The number of replications.

    Raises:
        ValueError: with fewer than 2 values, or a zero mean with non-zero
            spread (relative precision is then undefined; fix an absolute
            half-width instead).
    """
    values = _values(x)
    if values.size < 2:
        raise ValueError("need at least 2 pilot values to estimate the spread")
    sd = float(values.std(ddof=1))
    mean = float(values.mean())
    if sd == 0:
        return replications_for_cv(0.0, rel_precision, level, t=t, minimum=minimum)
    if mean == 0:
        raise ValueError("the pilot mean is 0: relative precision is undefined")
    return replications_for_cv(sd / abs(mean), rel_precision, level, t=t, minimum=minimum)
