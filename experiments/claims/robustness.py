"""Robustness: the share of a sampled parameter space in which each claim holds.

The `robustness` part of the claims suite runs `mlm`, `mlm_prequalify` (C25's
pair) and `referral` at every point of a Latin hypercube over the uncertain
behavioural and structural parameters (docs/claims.md, "Robustness ranges"),
with all scenarios sharing each point's seeds. At each point a claim's rule
is applied to the point's means over its replications, without CIs (few
replications per point): the flag functions in `FLAGS` say "holds" (1),
"fails" (0) or undefined (NaN, left out). A paired difference at a point is
the difference of the two scenarios' means. The claims tested in the grid
experiments (training, leads, negative word of mouth) have no flag: the
hypercube runs neither their conditions nor their baselines, so their
robustness is judged over their own grids instead.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats as _st

from experiments.claims.stats import Interval, share_true
from experiments.claims.verdicts import C19_MARGINS, min_effect

__all__ = [
    "AGREEMENT",
    "FLAGS",
    "POINT_COLUMNS",
    "STATUSES",
    "point_flags",
    "point_means",
    "sensitivity",
    "status_counts",
    "summarise",
]

POINT_COLUMNS = ("point", "claim", "holds", "value", "agreement", "status")
"""Columns of the per-point table besides the design parameters: the flag (1, 0 or NaN),
the value whose sign or level decides it (for ranking parameters), the share of
replications whose own flag agrees, and the status (`STATUSES`)."""
STATUSES = ("holds", "fails", "noisy", "undefined")
AGREEMENT = 0.8
"""Share of a point's replications that must agree with its flag for the flag to count
(with 3 replications all must agree; with 5, four)."""

Means = Callable[[str, str], float]
Flag = Callable[[Means], tuple[float, float]]


def _flag(holds: bool, value: float, *others: float) -> tuple[float, float]:
    """(1.0 or 0.0, value), or (NaN, value) when the value or another input is undefined."""
    undefined = any(math.isnan(x) for x in (value, *others))
    return (math.nan if undefined else float(holds)), value


def _rel(base: float, absolute: float) -> float:
    """The minimum effect at a point, as in the verdict rules (`min_effect`)."""
    return min_effect(base, absolute)


def _c1(v: Means) -> tuple[float, float]:
    sr, lr = v("mlm", "success_rate"), v("mlm", "loss_rate")
    return _flag(sr <= 0.45 and lr >= 0.55, sr, lr)


def _above(v: Means, a: str, b: str, measure: str, absolute: float) -> tuple[float, float]:
    """Holds where a - b of the measure reaches the minimum effect relative to b's value."""
    base = v(b, measure)
    d = v(a, measure) - base
    return _flag(d >= _rel(base, absolute), d)


def _c2(v: Means) -> tuple[float, float]:
    return _above(v, "referral", "mlm", "success_rate", 0.005)


def _c3(v: Means) -> tuple[float, float]:
    rc = v("mlm", "rank_corr:depth,gross_per_year")
    top = v("mlm", "top_share:gross_income:0.1")
    return _flag(rc <= -0.1 and top >= 0.55, rc, top)


def _c4(v: Means) -> tuple[float, float]:
    m = "cohort_slope:gross_per_year"
    slope, ref = v("mlm", m), v("referral", m)
    return _flag(slope < 0 and ref - slope >= _rel(ref, 10.0), ref - slope, slope)


def _c5(v: Means) -> tuple[float, float]:
    m = "top_share:gross_income:0.01"
    ref = v("referral", m)
    d = v("mlm", m) - ref
    return _flag(ref <= 0.08 and d >= _rel(ref, 0.01), d, ref)


def _c6(v: Means) -> tuple[float, float]:
    ref = v("referral", "per_sale_spread")
    d = v("mlm", "per_sale_spread") - ref
    return _flag(ref <= 1.05 and d >= _rel(ref - 1, 0.05), d, ref)


def _c7(v: Means) -> tuple[float, float]:
    share = v("mlm", "override_share:successful")
    return _flag(share >= 0.55, share)


def _shapley(v: Means, scenario: str, measure: str, group: str, bar: float) -> tuple[bool, float]:
    diff, share = v(scenario, measure), v(scenario, f"{measure}|shapley_{group}")
    return diff >= 0.02 and share > bar, diff if not math.isnan(share) else math.nan


def _c8(v: Means) -> tuple[float, float]:
    m = "variance_explained:ability_effort-vs-timing_position:gross_per_year_rank"
    mlm, d_mlm = _shapley(v, "mlm", m, "ability_effort", 0.10)
    ref, d_ref = _shapley(v, "referral", m, "ability_effort", 0.10)
    return _flag(mlm and ref, float(np.minimum(d_mlm, d_ref)))


def _c9(v: Means) -> tuple[float, float]:
    m = "variance_explained:belief_ability_effort-vs-timing_position:gross_per_year_rank"
    holds, d = _shapley(v, "mlm", m, "belief_ability_effort", 0.25)
    return _flag(holds, d)


def _c10(v: Means) -> tuple[float, float]:
    share = v("mlm", "retail_share")
    d = v("referral", "retail_share") - share
    return _flag(share <= 0.45 and d >= _rel(share, 0.05), share, d)


def _c11(v: Means) -> tuple[float, float]:
    rho = v("mlm", "partial_rank_corr:downline_size,net_per_year,tenure")
    return _flag(rho >= 0.1, rho)


def _c12(v: Means) -> tuple[float, float]:
    gap, decline = v("mlm", "cohort_gap:success_rate"), v("mlm", "decline_from_peak")
    margin = _rel(v("mlm", "success_rate"), 0.005)
    return _flag(gap > -margin and decline < 0.5, gap, decline)


def _c13(v: Means) -> tuple[float, float]:
    gap, loss = v("mlm", "quantile_gap:budget:success_rate"), v("mlm", "loss_budget_share")
    margin = _rel(v("mlm", "success_rate"), 0.005)
    return _flag(gap > -margin and loss < 0.1, gap, loss)


def _c18(v: Means) -> tuple[float, float]:
    given, link = v("mlm", "team_link:given_team_success"), v("mlm", "team_link:success")
    delta = _rel(v("mlm", "team_link:given_team_loss"), 0.05)
    return _flag(given >= 0.55 and link >= delta, given, link)


def _c19(v: Means) -> tuple[float, float]:
    gaps = [abs(v("referral", m) - v("mlm", m)) / margin for m, margin in C19_MARGINS.items()]
    worst = float(np.max(gaps))
    return _flag(worst < 1, worst)


def _c20(v: Means) -> tuple[float, float]:
    share = v("mlm", "success_rate_after_time")
    return _flag(share >= 0.55, share)


def _c21(v: Means) -> tuple[float, float]:
    rho = v("mlm", "partial_rank_corr:downline_size,gross_per_year,tenure")
    return _flag(rho >= 0.1, rho)


def _c22(v: Means) -> tuple[float, float]:
    share = v("referral", "share_above:gross_per_year:15080")
    return _flag(share >= 0.01, share)


def _c23(v: Means) -> tuple[float, float]:
    rho = v("referral", "rank_corr:ties,gross_per_year")
    return _flag(rho >= 0.1, rho)


def _c24(v: Means) -> tuple[float, float]:
    return _above(v, "referral", "mlm", "customer_retention", 0.02)


def _c25(v: Means) -> tuple[float, float]:
    return _above(v, "mlm_prequalify", "mlm", "founders_mean:net_per_year", 100.0)


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
    "C20": _c20,
    "C21": _c21,
    "C22": _c22,
    "C23": _c23,
    "C24": _c24,
    "C25": _c25,
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


def _flag_at(flag: Flag, table: pd.DataFrame) -> tuple[float, float]:
    """A flag on one table indexed by scenario (point means or one replication's values)."""

    def v(scenario: str, measure: str) -> float:
        return float(table.at[scenario, measure])

    with np.errstate(invalid="ignore", divide="ignore"):
        return flag(v)


def point_flags(
    measures: pd.DataFrame, design: Sequence[str], agreement: float = AGREEMENT
) -> pd.DataFrame:
    """Every claim with a flag, at every point, with its agreement over replications.

    The flag on the point's means decides; the same flag on each replication
    alone says how settled it is. A point is ``noisy`` when fewer than
    ``agreement`` of the replications with a defined flag agree with it (the
    stated tolerance of docs/claims.md, "Robustness"), ``undefined`` when the
    flag on the means is NaN; both are counted, not dropped.

    Args:
        measures: per-run measures of the robustness part (`run_measures`).
        design: the design parameter names.
        agreement: the share of replications that must agree with the point's flag.

    Returns:
        One row per (point, claim): ``point``, the design values, ``claim``,
        ``holds`` (1, 0, or NaN when undefined or noisy), ``value``, ``agreement``
        and ``status`` (holds, fails, noisy, undefined).
    """
    means = point_means(measures, design)
    rows = []
    for point, group in means.groupby("point", sort=True):
        by_scenario = group.set_index("scenario")
        runs = measures[measures["point"] == point]
        replications = [r.set_index("scenario") for _, r in runs.groupby("replication")]
        values = {name: float(group[name].iloc[0]) for name in design}
        for claim, flag in FLAGS.items():
            holds, value = _flag_at(flag, by_scenario)
            each = np.array([_flag_at(flag, r)[0] for r in replications])
            each = each[~np.isnan(each)]
            agree = (
                float(np.mean(each == holds)) if each.size and not math.isnan(holds) else math.nan
            )
            if math.isnan(holds):
                status = "undefined"
            elif not agree >= agreement:
                status, holds = "noisy", math.nan
            else:
                status = "holds" if holds == 1 else "fails"
            rows.append(
                {
                    "point": point,
                    **values,
                    "claim": claim,
                    "holds": holds,
                    "value": value,
                    "agreement": agree,
                    "status": status,
                }
            )
    columns = ["point", *design, *POINT_COLUMNS[1:]]
    return pd.DataFrame(rows, columns=columns)


def status_counts(flags: pd.DataFrame) -> pd.DataFrame:
    """Points per claim and status (holds, fails, noisy, undefined), zeros included."""
    counts = flags.groupby(["claim", "status"]).size().unstack(fill_value=0)
    return counts.reindex(columns=list(STATUSES), fill_value=0)


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
        with warnings.catch_warnings():  # a constant column has no correlation: NaN, skipped
            warnings.simplefilter("ignore", _st.ConstantInputWarning)
            rho = _st.spearmanr(group[name], group["value"]).statistic
        if np.isfinite(rho):
            rhos[name] = float(rho)
    ranked = sorted(rhos.items(), key=lambda item: -abs(item[1]))[:top]
    return ", ".join(f"{name} ({rho:+.2f})" for name, rho in ranked)
