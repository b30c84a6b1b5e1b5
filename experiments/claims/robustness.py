"""Robustness: the share of a sampled parameter space in which each claim holds.

The `robustness` part of the claims suite runs `mlm` and `referral` at every
point of a Latin hypercube over the uncertain behavioural parameters
(docs/claims.md, "Robustness ranges"), with both scenarios sharing each
point's seeds. At each point a claim's rule is applied to the point's means
over its replications, without CIs (few replications per point): the flag
functions in `FLAGS` say "holds" (1), "fails" (0) or undefined (NaN, left
out). A paired difference at a point is the difference of the two scenarios'
means. The claims tested in the grid experiments (training, leads, negative
word of mouth) have no flag: the hypercube runs neither their conditions nor
their baselines, so their robustness is judged over their own grids instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats as _st

from experiments.claims.stats import Interval, share_true
from experiments.claims.verdicts import C19_MARGINS

__all__ = ["FLAGS", "POINT_COLUMNS", "point_flags", "point_means", "sensitivity", "summarise"]

POINT_COLUMNS = ("point", "claim", "holds", "value")
"""Columns of the per-point table besides the design parameters: the flag (1, 0
or NaN) and the value whose sign or level decides it (for ranking parameters)."""

Means = Callable[[str, str], float]
Flag = Callable[[Means], tuple[float, float]]


def _flag(holds: bool, value: float, *others: float) -> tuple[float, float]:
    """(1.0 or 0.0, value), or (NaN, value) when the value or another input is undefined."""
    undefined = any(math.isnan(x) for x in (value, *others))
    return (math.nan if undefined else float(holds)), value


def _c1(v: Means) -> tuple[float, float]:
    sr, lr = v("mlm", "success_rate"), v("mlm", "loss_rate")
    return _flag(sr < 0.5 and lr > 0.5, sr, lr)


def _c2(v: Means) -> tuple[float, float]:
    d = v("referral", "success_rate") - v("mlm", "success_rate")
    return _flag(d >= 0.02, d)


def _c3(v: Means) -> tuple[float, float]:
    rc, top = v("mlm", "rank_corr:depth,net_profit"), v("mlm", "top10_share")
    return _flag(rc < 0 and top > 0.5, rc, top)


def _c4(v: Means) -> tuple[float, float]:
    m = "cohort_slope:net_profit"
    slope = v("mlm", m)
    return _flag(slope < 0 and slope - v("referral", m) < 0, slope, v("referral", m))


def _c5(v: Means) -> tuple[float, float]:
    ref = v("referral", "top1_share")
    d = v("mlm", "top1_share") - ref
    return _flag(ref < 0.10 and d > 0, ref, d)


def _c6(v: Means) -> tuple[float, float]:
    ref = v("referral", "per_sale_spread")
    d = v("mlm", "per_sale_spread") - ref
    return _flag(ref <= 1.05 and d > 0, d, ref)


def _c7(v: Means) -> tuple[float, float]:
    share = v("mlm", "override_share:successful")
    return _flag(share > 0.5, share)


def _shapley(v: Means, scenario: str, measure: str, group: str, bar: float) -> tuple[bool, float]:
    diff, share = v(scenario, measure), v(scenario, f"{measure}|shapley_{group}")
    return diff > 0 and share > bar, diff if not math.isnan(share) else math.nan


def _c8(v: Means) -> tuple[float, float]:
    m = "variance_explained:ability_effort-vs-timing_position"
    mlm, d_mlm = _shapley(v, "mlm", m, "ability_effort", 0.10)
    ref, d_ref = _shapley(v, "referral", m, "ability_effort", 0.10)
    return _flag(mlm and ref, float(np.minimum(d_mlm, d_ref)))


def _c9(v: Means) -> tuple[float, float]:
    m = "variance_explained:belief_ability_effort-vs-timing_position"
    holds, d = _shapley(v, "mlm", m, "belief_ability_effort", 0.5)
    return _flag(holds, d)


def _c10(v: Means) -> tuple[float, float]:
    share = v("mlm", "retail_share")
    d = v("referral", "retail_share") - share
    return _flag(share < 0.5 and d > 0, share, d)


def _c11(v: Means) -> tuple[float, float]:
    rho = v("mlm", "partial_rank_corr:downline_size,net_profit,tenure")
    return _flag(rho >= 0.1, rho)


def _c12(v: Means) -> tuple[float, float]:
    decline, gap = v("mlm", "decline_from_peak"), v("mlm", "cohort_gap:success_rate")
    return _flag(decline < 0.2 and gap > -0.05, decline, gap)


def _c13(v: Means) -> tuple[float, float]:
    gap = v("mlm", "quantile_gap:budget:success_rate")
    return _flag(gap > -0.05, gap)


def _c18(v: Means) -> tuple[float, float]:
    given, link = v("mlm", "team_link:given_team_success"), v("mlm", "team_link:success")
    return _flag(given > 0.75 and link > 0, given, link)


def _c19(v: Means) -> tuple[float, float]:
    gaps = [abs(v("referral", m) - v("mlm", m)) / margin for m, margin in C19_MARGINS.items()]
    worst = float(np.max(gaps))
    return _flag(worst < 1, worst)


FLAGS: Mapping[str, Flag] = {
    "C1": _c1,
    "C2": _c2,
    "C3": _c3,
    "C4": _c4,
    "C5": _c5,
    "C6": _c6,
    "C7": _c7,
    "C8": _c8,
    "C9": _c9,
    "C10": _c10,
    "C11": _c11,
    "C12": _c12,
    "C13": _c13,
    "C18": _c18,
    "C19": _c19,
}
"""claim -> flag function of the point means; the value is the deciding measure (or, for
C19, the largest |difference| / margin)."""


def point_means(measures: pd.DataFrame, design: Sequence[str]) -> pd.DataFrame:
    """Means over replications per point and scenario.

    Args:
        measures: per-run measures of the robustness part (`run_measures`).
        design: its design parameter names.

    Returns:
        One row per (point, scenario): the design values, then the measures' means.
    """
    numeric = measures.drop(columns=["run_id", "replication", "seed"])
    return numeric.groupby(["point", "scenario", *design], sort=True).mean().reset_index()


def point_flags(means: pd.DataFrame, design: Sequence[str]) -> pd.DataFrame:
    """Every claim with a flag, at every point.

    Args:
        means: `point_means`.
        design: the design parameter names.

    Returns:
        One row per (point, claim): ``point``, the design values, ``claim``,
        ``holds`` (1, 0 or NaN) and ``value``.
    """
    rows = []
    for point, group in means.groupby("point", sort=True):
        by_scenario = group.set_index("scenario")

        def v(scenario: str, measure: str, table: pd.DataFrame = by_scenario) -> float:
            return float(table.at[scenario, measure])

        values = {name: float(group[name].iloc[0]) for name in design}
        for claim, flag in FLAGS.items():
            with np.errstate(invalid="ignore"):
                holds, value = flag(v)
            rows.append({"point": point, **values, "claim": claim, "holds": holds, "value": value})
    return pd.DataFrame(rows, columns=["point", *design, "claim", "holds", "value"])


def summarise(flags: pd.DataFrame) -> dict[str, tuple[Interval, int]]:
    """Share of points where each claim holds (Wilson 95% interval) and the points counted.

    Args:
        flags: `point_flags`.

    Returns:
        claim -> (share interval, number of points with a defined flag).
    """
    out = {}
    for claim, group in flags.groupby("claim", sort=False):
        defined = group["holds"].dropna()
        out[str(claim)] = (share_true(defined.to_numpy()), int(defined.size))
    return out


def sensitivity(flags: pd.DataFrame, design: Sequence[str], claim: str, top: int = 3) -> str:
    """The sampled parameters most rank-correlated with a claim's deciding value across points.

    Args:
        flags: `point_flags`.
        design: the design parameter names.
        claim: the claim.
        top: how many parameters to name.

    Returns:
        E.g. ``"recruit_prob (+0.62), sale_prob (-0.41)"``; empty if undefined.
    """
    group = flags[(flags["claim"] == claim) & flags["value"].notna()]
    if len(group) < 3:
        return ""
    rhos = {}
    for name in design:
        rho = _st.spearmanr(group[name], group["value"]).statistic
        if np.isfinite(rho):
            rhos[name] = float(rho)
    ranked = sorted(rhos.items(), key=lambda item: -abs(item[1]))[:top]
    return ", ".join(f"{name} ({rho:+.2f})" for name, rho in ranked)
