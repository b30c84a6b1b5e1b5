"""Verdict rules: the numbers each claim's rule needs, and the verdict at the defaults.

docs/claims.md ("Verdicts") states the rules; this module implements them.
`Context` holds the per-run measures of each part of the claims suite
(`experiments.claims.measures.run_measures`) and computes, with caching:

* levels: the mean over replications with a 95% BCa bootstrap CI;
* paired differences between two conditions with the same seeds (common
  random numbers): mean and BCa CI, Wilcoxon signed-rank p, Vargha-Delaney A.

Every number it computes is recorded as one row of the tidy estimates table
(`ESTIMATE_COLUMNS`). Primary paired tests are registered for Holm's
adjustment over the whole catalogue; `evaluate_claims` therefore evaluates the
rules twice: the first pass collects the raw p-values, the second (all
numbers cached) decides with the adjusted ones.

The rule of claim ``Cn`` is the function ``_cn``; each returns a `Decision`.
"""

from __future__ import annotations

import itertools
import math
import warnings
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from experiments.claims.stats import (
    BootstrapFallbackWarning,
    Interval,
    PairedDifference,
    a12_magnitude,
    bootstrap_ci,
    holm,
    paired_difference,
    replications_for_cv,
)

__all__ = [
    "ALPHA",
    "ESTIMATE_COLUMNS",
    "PART_OF_EXPERIMENT",
    "RELATIVE_EFFECT",
    "Context",
    "Decision",
    "Paired",
    "beyond",
    "combine",
    "directional",
    "evaluate_claims",
    "final_verdict",
    "is_above",
    "is_below",
    "min_effect",
    "scaled_thresholds",
    "split",
]

ALPHA = 0.05
ROBUST_SHARE = 0.75
RELATIVE_EFFECT = 0.2
"""Minimum effects are at least this share of the base value (docs/claims.md)."""
LEADS_EFFECT = 10.0
"""Minimum gain in mean net profit, in dollars, for buying leads to count as paying (C16)."""
PART_OF_EXPERIMENT = {
    "claims": "main",
    "training": "training",
    "leads": "leads",
    "budget": "budget",
    "prequalify": "prequalify",
    "depth": "depth",
    "neg_wom": "neg_wom",
    "robustness": "robustness",
}
"""The suite part that holds each catalogue experiment's runs."""

ESTIMATE_COLUMNS = (
    "claim",
    "role",
    "part",
    "measure",
    "kind",
    "scenario",
    "condition",
    "n",
    "estimate",
    "low",
    "high",
    "mean_a",
    "mean_b",
    "p_value",
    "p_holm",
    "a12",
    "magnitude",
)
"""Columns of the tidy estimates table: role is primary / also / report; kind is
level or paired; scenario is the scenario (level) or ``A - B`` (paired);
condition names the design point(s) compared."""

Where = Mapping[str, float]


@dataclass(frozen=True)
class Paired:
    """A paired comparison with its Holm-adjusted p-value (NaN unless primary)."""

    diff: PairedDifference
    p_holm: float = math.nan

    @property
    def estimate(self) -> float:
        """Mean of the differences."""
        return self.diff.estimate

    @property
    def low(self) -> float:
        """Lower bound of the CI of the mean difference."""
        return self.diff.low

    @property
    def high(self) -> float:
        """Upper bound of the CI of the mean difference."""
        return self.diff.high


@dataclass(frozen=True)
class Decision:
    """The verdict of a claim at the defaults and why.

    Attributes:
        verdict: supported, refuted, depends-on or inconclusive.
        reason: the numbers that decided it, in one sentence.
        resolve: for an inconclusive verdict, the per-run values of the
            deciding measure and the threshold its CI straddles, to estimate
            the replications that would resolve it.
    """

    verdict: str
    reason: str
    resolve: tuple[np.ndarray, float] | None = None

    def replications_to_resolve(self) -> float:
        """Replications for a 95% CI half-width below the distance to the threshold; NaN if n/a."""
        if self.verdict != "inconclusive" or self.resolve is None:
            return math.nan
        values, threshold = self.resolve
        values = values[~np.isnan(values)]
        if values.size < 2:
            return math.nan
        distance = abs(float(values.mean()) - threshold)
        sd = float(values.std(ddof=1))
        if distance == 0:
            return math.inf
        return float(replications_for_cv(sd / distance, rel_precision=1.0))


def is_above(iv: Interval | Paired, threshold: float) -> bool:
    """Whether the CI lies entirely above the threshold (False if undefined)."""
    return bool(iv.low > threshold)


def is_below(iv: Interval | Paired, threshold: float) -> bool:
    """Whether the CI lies entirely below the threshold (False if undefined)."""
    return bool(iv.high < threshold)


def directional(d: Paired, delta: float, *, p: float | None = None) -> str:
    """The directional rule with minimum effect delta (docs/claims.md).

    Args:
        d: the paired comparison, claimed direction positive.
        delta: the minimum effect.
        p: the p-value the rule uses (default: the Holm-adjusted one); NaN fails.

    Returns:
        "supported" if the CI lies above 0, the estimate is >= delta and p < 0.05;
        "refuted" if the CI's upper bound is below delta; else "inconclusive".
    """
    p = d.p_holm if p is None else p
    if d.low > 0 and d.estimate >= delta and p < ALPHA:
        return "supported"
    if d.high < delta:
        return "refuted"
    return "inconclusive"


_SCALE = [1.0]
"""The factor on every threshold and minimum effect (`scaled_thresholds`); 1 normally."""


@contextmanager
def scaled_thresholds(factor: float) -> Iterator[None]:
    """Within the block, every rule's thresholds and minimum effects are multiplied by factor.

    The threshold-sensitivity analysis evaluates the rules at 0.5 and 1.5 to show
    which verdicts hinge on where a bar was put (docs/claims.md).
    """
    previous = _SCALE[0]
    _SCALE[0] = factor
    try:
        yield
    finally:
        _SCALE[0] = previous


def min_effect(base: float, absolute: float, relative: float = RELATIVE_EFFECT) -> float:
    """The minimum effect of practical size: max(absolute, relative x |base|); absolute if NaN."""
    if math.isnan(base):
        return absolute * _SCALE[0]
    return max(absolute, relative * abs(base)) * _SCALE[0]


def beyond(
    iv: Interval | Paired, threshold: float, margin: float, side: str, *, scales: bool = True
) -> str:
    """A level rule with a practical margin: is the value beyond the threshold on the claimed side?

    Args:
        iv: the value's estimate and CI.
        threshold: the claim's threshold.
        margin: how far beyond the threshold the estimate must be to count.
        side: "above" or "below": where the claim puts the value.
        scales: whether `scaled_thresholds` moves the threshold and margin (False
            when the caller passes an already scaled `min_effect` as threshold).

    Returns:
        "supported" if the CI lies on the claimed side and the estimate is at
        least ``margin`` beyond; "refuted" if the CI lies entirely short of
        ``threshold +- margin``; "inconclusive" otherwise (NaN: inconclusive).

    Raises:
        ValueError: if side is neither "above" nor "below".
    """
    if side not in ("above", "below"):
        raise ValueError(f"side must be above or below, got {side!r}")
    if scales:
        threshold, margin = threshold * _SCALE[0], margin * _SCALE[0]
    sign = 1.0 if side == "above" else -1.0
    low, high = sorted((sign * (iv.low - threshold), sign * (iv.high - threshold)))
    estimate = sign * (iv.estimate - threshold)
    if low > 0 and estimate >= margin:
        return "supported"
    if high < margin:
        return "refuted"
    return "inconclusive"


def combine(*verdicts: str) -> str:
    """All parts supported: supported; any refuted: refuted; else inconclusive."""
    if "refuted" in verdicts:
        return "refuted"
    if verdicts and all(v == "supported" for v in verdicts):
        return "supported"
    return "inconclusive"


def split(decided: Mapping[Any, str], at: Any) -> str:
    """The verdict at ``at``, or depends-on when decided verdicts (supported, refuted) differ."""
    if {"supported", "refuted"} <= set(decided.values()):
        return "depends-on"
    return decided[at]


def final_verdict(at_defaults: str, robustness: Interval | None) -> str:
    """Combine the verdict at the defaults with its robustness (docs/claims.md, "Robustness").

    Args:
        at_defaults: the rule's verdict at the defaults.
        robustness: the share of sampled points where the claim holds, with its
            Wilson interval; None (or NaN) when the claim has no robustness flag.

    Returns:
        A supported (refuted) verdict stays when the interval's lower bound is at
        least 0.75 (upper bound at most 0.25); it becomes depends-on only when the
        interval shows real dependence, its upper bound below 0.75 (lower bound
        above 0.25); in between the sampled points cannot tell, and it becomes
        inconclusive.
    """
    if robustness is None or math.isnan(robustness.estimate):
        return at_defaults
    if at_defaults == "supported":
        if robustness.low >= ROBUST_SHARE:
            return "supported"
        return "depends-on" if robustness.high < ROBUST_SHARE else "inconclusive"
    if at_defaults == "refuted":
        if robustness.high <= 1 - ROBUST_SHARE:
            return "refuted"
        return "depends-on" if robustness.low > 1 - ROBUST_SHARE else "inconclusive"
    return at_defaults


def fmt(iv: Interval | Paired) -> str:
    """`0.012 [0.011, 0.013]`."""
    return f"{iv.estimate:.4g} [{iv.low:.4g}, {iv.high:.4g}]"


def _seed(key: str) -> int:
    """A stable bootstrap seed for one estimate (its key), so reruns give the same CI."""
    return zlib.crc32(key.encode("utf-8"))


def _condition(where: Where | None) -> str:
    if not where:
        return ""
    return ", ".join(f"{k}={v:g}" for k, v in where.items())


@dataclass
class Context:
    """The per-run measures of every part and the estimates computed from them.

    Attributes:
        parts: part name -> `run_measures` table of that part.
        scenarios: part name -> scenario settings (`experiments.claims.assess.scenario_settings`),
            indexed by scenario.
        designs: part name -> its design parameter names.
        n_resamples: bootstrap resamples per CI.
        adjusted: Holm-adjusted p-values of the primary tests, by key (second pass).
        claim: the claim being evaluated (recorded in the rows).
        rows: the estimates recorded in this pass.
        primary: raw p-values of the primary tests registered in this pass, by key.
    """

    parts: Mapping[str, pd.DataFrame]
    scenarios: Mapping[str, pd.DataFrame]
    designs: Mapping[str, list[str]]
    n_resamples: int = 9999
    adjusted: dict[str, float] = field(default_factory=dict)
    claim: str = ""
    rows: list[dict[str, Any]] = field(default_factory=list)
    primary: dict[str, float] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict)
    _recorded: set[tuple[str, ...]] = field(default_factory=set)

    def clear_rows(self) -> None:
        """Forget the recorded rows (the cached estimates stay)."""
        self.rows.clear()
        self._recorded.clear()

    # --- selecting runs -----------------------------------------------------------
    def values(
        self, part: str, scenario: str, measure: str, where: Where | None = None
    ) -> pd.Series:
        """Per-run values of a measure in one scenario at one design point, by replication.

        Args:
            part: the suite part.
            scenario: the scenario.
            measure: a column of the part's measures table.
            where: design parameter values of the point (default: all points, which
                must then be one).

        Returns:
            The values indexed by replication, sorted.

        Raises:
            KeyError: when the part, scenario or measure has no runs.
        """
        table = self.parts[part]
        rows = table[table["scenario"] == scenario]
        for name, value in (where or {}).items():
            rows = rows[np.isclose(rows[name].astype(float), value)]
        if rows.empty:
            raise KeyError(f"{part}: no runs of scenario {scenario!r} at {_condition(where)}")
        if rows["replication"].duplicated().any():
            raise KeyError(f"{part}: several design points match {_condition(where)}")
        return rows.set_index("replication")[measure].astype(float).sort_index()

    # --- estimates ------------------------------------------------------------------
    def level(
        self,
        part: str,
        scenario: str,
        measure: str,
        where: Where | None = None,
        role: str = "also",
    ) -> Interval:
        """Mean over replications with a 95% BCa CI; recorded as a row."""
        x = self.values(part, scenario, measure, where).to_numpy()
        return self.level_of(x, part, scenario, measure, _condition(where), role)

    def level_of(
        self, x: np.ndarray, part: str, scenario: str, measure: str, condition: str, role: str
    ) -> Interval:
        """Like `level`, for values computed by the caller."""
        key = f"level|{part}|{scenario}|{measure}|{condition}"
        if key not in self._cache:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", BootstrapFallbackWarning)
                self._cache[key] = bootstrap_ci(
                    x, n_resamples=self.n_resamples, rng=_seed(key), method="BCa"
                )
        iv: Interval = self._cache[key]
        self._record(
            role, part, measure, "level", scenario, condition, int(np.isfinite(x).sum()), iv
        )
        return iv

    def paired(
        self,
        part: str,
        a: tuple[str, Where | None],
        b: tuple[str, Where | None],
        measure: str,
        role: str = "also",
        primary: bool = False,
    ) -> Paired:
        """Paired difference a - b over replications (same seeds); recorded as a row.

        Args:
            part: the suite part.
            a: (scenario, design point) of the first condition.
            b: (scenario, design point) of the second condition.
            measure: the measure compared.
            role: primary / also / report, for the table.
            primary: register the test in the catalogue's Holm family.

        Returns:
            The comparison, with the adjusted p-value when primary (second pass).
        """
        xa = self.values(part, a[0], measure, a[1])
        xb = self.values(part, b[0], measure, b[1])
        both = xa.index.intersection(xb.index)
        label = a[0] if a[0] == b[0] else f"{a[0]} - {b[0]}"
        condition = (
            _condition(a[1]) if a[1] == b[1] else f"{_condition(a[1])} vs {_condition(b[1])}"
        )
        return self.paired_of(
            xa[both].to_numpy(), xb[both].to_numpy(), part, label, measure, condition, role, primary
        )

    def paired_of(
        self,
        xa: np.ndarray,
        xb: np.ndarray,
        part: str,
        scenario: str,
        measure: str,
        condition: str,
        role: str,
        primary: bool,
    ) -> Paired:
        """Like `paired`, for aligned values computed by the caller."""
        key = f"paired|{part}|{scenario}|{measure}|{condition}"
        if key not in self._cache:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", BootstrapFallbackWarning)
                self._cache[key] = paired_difference(
                    xa, xb, n_resamples=self.n_resamples, rng=_seed(key)
                )
        diff: PairedDifference = self._cache[key]
        if primary:
            self.primary[key] = diff.p_value
        result = Paired(diff, self.adjusted.get(key, math.nan) if primary else math.nan)
        self._record(role, part, measure, "paired", scenario, condition, diff.n, result)
        return result

    def _record(
        self,
        role: str,
        part: str,
        measure: str,
        kind: str,
        scenario: str,
        condition: str,
        n: int,
        value: Interval | Paired,
    ) -> None:
        """Append a row, unless this claim already recorded the same estimate (first role wins)."""
        key = (self.claim, kind, part, scenario, measure, condition)
        if key in self._recorded:
            return
        self._recorded.add(key)
        row: dict[str, Any] = dict.fromkeys(ESTIMATE_COLUMNS, math.nan)
        row.update(
            claim=self.claim,
            role=role,
            part=part,
            measure=measure,
            kind=kind,
            scenario=scenario,
            condition=condition,
            n=n,
            estimate=value.estimate,
            low=value.low,
            high=value.high,
            magnitude="",
        )
        if isinstance(value, Paired):
            d = value.diff
            row.update(
                mean_a=d.mean_a,
                mean_b=d.mean_b,
                p_value=d.p_value,
                p_holm=value.p_holm,
                a12=d.a12,
                magnitude=d.magnitude,
            )
        self.rows.append(row)


# ------------------------------------------------------------------- the rules
def _mean_of(
    ctx: Context, part: str, scenario: str, measure: str, where: Where | None = None
) -> float:
    """Mean over replications (NaN runs left out): the base of a relative minimum effect."""
    x = ctx.values(part, scenario, measure, where).to_numpy()
    x = x[np.isfinite(x)]
    return float(x.mean()) if x.size else math.nan


def _c1(ctx: Context) -> Decision:
    sr = ctx.level("main", "mlm", "success_rate", role="primary")
    lr = ctx.level("main", "mlm", "loss_rate")
    ctx.level("main", "mlm", "success_rate_after_time")
    reason = f"mlm success_rate {fmt(sr)}, loss_rate {fmt(lr)}; thresholds 0.5, margin 0.05"
    verdict = combine(beyond(sr, 0.5, 0.05, "below"), beyond(lr, 0.5, 0.05, "above"))
    resolve = (ctx.values("main", "mlm", "success_rate").values, 0.45)
    return Decision(verdict, reason, resolve if verdict == "inconclusive" else None)


def _winners_per_1000(ctx: Context, scenario: str) -> None:
    table = ctx.parts["main"]
    rows = table[table["scenario"] == scenario]
    n_people = float(ctx.scenarios["main"].loc[scenario, "n_people"])
    for measure in ("success_rate", "loss_rate"):
        x = (rows[measure] * rows["participants_ever"] / n_people * 1000).to_numpy(dtype=float)
        per = "winners" if measure == "success_rate" else "losers"
        ctx.level_of(x, "main", scenario, f"{per}_per_1000_people", "", "report")


def _c2(ctx: Context) -> Decision:
    for s in ("referral", "mlm"):
        ctx.level("main", s, "success_rate")
        if "main" in ctx.scenarios:
            _winners_per_1000(ctx, s)
    ctx.paired("main", ("referral", None), ("mlm", None), "success_rate_after_time")
    if "depth" in ctx.scenarios:
        for s in ctx.scenarios["depth"].index:
            ctx.level("depth", s, "success_rate", role="report")
    return _above(ctx, "main", "referral", "mlm", "success_rate", 0.005)


def _above(ctx: Context, part: str, a: str, b: str, measure: str, absolute: float) -> Decision:
    """The directional rule on a - b (paired); minimum effect `min_effect` of b's mean."""
    d = ctx.paired(part, (a, None), (b, None), measure, "primary", primary=True)
    delta = min_effect(d.diff.mean_b, absolute)
    reason = (
        f"{a} - {b} {measure} {fmt(d)}, Holm p {d.p_holm:.3g}, share of pairs "
        f"{a} > {b} {d.diff.a12:.2f}; minimum effect {delta:.3g}"
    )
    return Decision(directional(d, delta), reason)


def _c3(ctx: Context) -> Decision:
    measure = "rank_corr:depth,gross_per_year"
    rc = ctx.level("main", "mlm", measure, role="primary")
    top = ctx.level("main", "mlm", "top_share:gross_income:0.1")
    ctx.level("main", "referral", measure, role="report")
    ctx.level("main", "referral", "top_share:gross_income:0.1", role="report")
    ctx.paired("main", ("mlm", None), ("referral", None), measure, "report")
    reason = (
        f"mlm Spearman(depth, gross per year) {fmt(rc)} (claim: <= -0.1), top 10% share of "
        f"gross income {fmt(top)} (claim: >= 0.55)"
    )
    verdict = combine(beyond(rc, 0.0, 0.1, "below"), beyond(top, 0.5, 0.05, "above"))
    return Decision(verdict, reason)


def _c4(ctx: Context) -> Decision:
    measure = "cohort_slope:gross_per_year"
    slope = ctx.level("main", "mlm", measure, role="primary")
    ctx.level("main", "referral", measure, role="report")
    for s in ("mlm", "referral"):
        ctx.level("main", s, "rank_corr:join_month,gross_per_year", role="report")
    d = ctx.paired("main", ("referral", None), ("mlm", None), measure, "primary", primary=True)
    delta = min_effect(d.diff.mean_a, 10.0)
    reason = (
        f"mlm cohort slope {fmt(slope)} $/year per year of later entry, referral - mlm {fmt(d)} "
        f"(Holm p {d.p_holm:.3g}); minimum effect {delta:.3g}"
    )
    slope_verdict = "refuted" if is_above(slope, 0) else "supported" if is_below(slope, 0) else ""
    verdict = combine(slope_verdict or "inconclusive", directional(d, delta))
    return Decision(verdict, reason)


def _c5(ctx: Context) -> Decision:
    measure = "top_share:gross_income:0.01"
    top = ctx.level("main", "referral", measure, role="primary")
    ctx.level("main", "mlm", measure, role="report")
    for s in ("referral", "mlm"):
        ctx.level("main", s, "gini_commissions", role="report")
        ctx.level("main", s, "override_share", role="report")
        ctx.level("main", s, "quantile:gross_per_year:0.99", role="report")
    d = ctx.paired("main", ("mlm", None), ("referral", None), measure, "primary", primary=True)
    delta = min_effect(d.diff.mean_b, 0.01)
    reason = (
        f"referral top 1% share of gross income {fmt(top)} (claim: <= 0.08), mlm - referral "
        f"{fmt(d)} (Holm p {d.p_holm:.3g}); minimum effect {delta:.3g}"
    )
    return Decision(combine(beyond(top, 0.10, 0.02, "below"), directional(d, delta)), reason)


def _c6(ctx: Context) -> Decision:
    ref = ctx.level("main", "referral", "per_sale_spread", role="primary")
    ctx.level("main", "mlm", "per_sale_spread", role="report")
    ctx.level("main", "mlm", "override_share", role="report")
    d = ctx.paired(
        "main", ("mlm", None), ("referral", None), "per_sale_spread", "primary", primary=True
    )
    if "depth" in ctx.scenarios:
        for s in ctx.scenarios["depth"].index:
            ctx.level("depth", s, "per_sale_spread", role="report")
    delta = min_effect(d.diff.mean_b - 1, 0.05)
    reason = (
        f"referral per-sale spread {fmt(ref)} (check: within [1, 1.05]), mlm - referral {fmt(d)}"
        f" (Holm p {d.p_holm:.3g}); minimum effect {delta:.3g}"
    )
    linear = (
        "supported"
        if ref.low >= 1 - 1e-9 and ref.high <= 1.05
        else "refuted"
        if is_above(ref, 1.05)
        else "inconclusive"
    )
    return Decision(combine(linear, directional(d, delta)), reason)


def _c7(ctx: Context) -> Decision:
    measure = "override_share:successful"
    share = ctx.level("main", "mlm", measure, role="primary")
    ctx.level("main", "mlm", "override_share:top10")
    reason = f"override share of successful mlm participants {fmt(share)} (claim: >= 0.55)"
    verdict = beyond(share, 0.5, 0.05, "above")
    resolve = (ctx.values("main", "mlm", measure).values, 0.55)
    return Decision(verdict, reason, resolve if verdict == "inconclusive" else None)


def _shapley_rule(
    ctx: Context, scenario: str, measure: str, group: str, bar: float, role: str
) -> tuple[str, str]:
    """(supported / refuted / inconclusive, text) for one scenario of a Shapley rule."""
    diff = ctx.level("main", scenario, measure, role=role)
    share = ctx.level("main", scenario, f"{measure}|shapley_{group}")
    text = f"{scenario}: Shapley difference {fmt(diff)} (>= 0.02), {group} {fmt(share)} (> {bar})"
    share_verdict = beyond(share, bar, 0.0, "above")
    return combine(beyond(diff, 0.0, 0.02, "above"), share_verdict), text


def _c8(ctx: Context) -> Decision:
    measure = "variance_explained:ability_effort-vs-timing_position:gross_per_year_rank"
    outcomes = [
        _shapley_rule(ctx, s, measure, "ability_effort", 0.10, "primary")
        for s in ("mlm", "referral")
    ]
    for s in ("mlm", "referral"):
        ctx.level("main", s, "variance_explained:ability_effort-vs-timing_position:net_per_year")
    reason = "; ".join(text for _, text in outcomes)
    return Decision(combine(*(state for state, _ in outcomes)), reason)


def _c9(ctx: Context) -> Decision:
    measure = "variance_explained:belief_ability_effort-vs-timing_position:gross_per_year_rank"
    state, reason = _shapley_rule(ctx, "mlm", measure, "belief_ability_effort", 0.25, "primary")
    return Decision(state, reason)


def _c10(ctx: Context) -> Decision:
    share = ctx.level("main", "mlm", "retail_share", role="primary")
    ctx.level("main", "referral", "retail_share", role="report")
    ctx.level("main", "mlm", "override_share")
    d = ctx.paired(
        "main", ("referral", None), ("mlm", None), "retail_share", "primary", primary=True
    )
    delta = min_effect(d.diff.mean_b, 0.05)
    reason = (
        f"mlm retail_share {fmt(share)} (claim: <= 0.45), referral - mlm {fmt(d)} "
        f"(Holm p {d.p_holm:.3g}); minimum effect {delta:.3g}"
    )
    return Decision(combine(beyond(share, 0.5, 0.05, "below"), directional(d, delta)), reason)


def _c11(ctx: Context) -> Decision:
    measure = "partial_rank_corr:downline_size,net_per_year,tenure"
    rho = ctx.level("main", "mlm", measure, role="primary")
    ctx.level("main", "mlm", "rank_corr:downline_size,gross_per_year")
    ctx.level("main", "mlm", "success_gap:recruiters")
    ctx.level("main", "referral", measure, role="report")
    reason = f"mlm partial Spearman(downline, net per year | tenure) {fmt(rho)}; minimum 0.1"
    verdict = beyond(rho, 0.0, 0.1, "above")
    resolve = (ctx.values("main", "mlm", measure).values, 0.1)
    return Decision(verdict, reason, resolve if verdict == "inconclusive" else None)


def _c12(ctx: Context) -> Decision:
    gap = ctx.level("main", "mlm", "cohort_gap:success_rate", role="primary")
    decline = ctx.level("main", "mlm", "decline_from_peak")
    ctx.level("main", "mlm", "peak_month")
    ctx.level("main", "mlm", "cohort_gap:gross_per_year")
    ctx.level("main", "referral", "decline_from_peak", role="report")
    margin = min_effect(_mean_of(ctx, "main", "mlm", "success_rate"), 0.005)
    reason = (
        f"mlm late - early entrants' success {fmt(gap)} (claim: > -{margin:.3g}), decline from "
        f"peak {fmt(decline)} (claim: < 0.5)"
    )
    not_worse = beyond(gap, -margin, 0.0, "above", scales=False)
    going = beyond(decline, 0.5, 0.0, "below")
    return Decision(combine(not_worse, going), reason)


def _scale_scenarios(ctx: Context, regime: str) -> list[tuple[float, str]]:
    """(budget scale, scenario) of one regime in the budget part, by scale."""
    table = ctx.scenarios["budget"]
    rows = table[table["regime"] == regime].sort_values("budget_scale")
    return list(zip(rows["budget_scale"], rows.index, strict=True))


def _c13(ctx: Context) -> Decision:
    measure = "quantile_gap:budget:success_rate"
    verdicts, texts = {}, []
    for scale, scenario in _scale_scenarios(ctx, "mlm"):
        role = "primary" if scale == 1 else "report"
        gap = ctx.level("budget", scenario, measure, role=role)
        loss = ctx.level("budget", scenario, "loss_budget_share", role=role)
        ctx.level("budget", scenario, "quantile_gap:budget:net_per_year", role="report")
        margin = min_effect(_mean_of(ctx, "budget", scenario, "success_rate"), 0.005)
        verdicts[float(scale)] = combine(
            beyond(gap, -margin, 0.0, "above", scales=False), beyond(loss, 0.1, 0.0, "below")
        )
        texts.append(f"scale {scale:g}: gap {fmt(gap)} (> -{margin:.3g}), loss {fmt(loss)}")
    for _, scenario in _scale_scenarios(ctx, "referral"):
        ctx.level("budget", scenario, measure, role="report")
    reason = (
        "mlm bottom - top budget quintile success, and median loss in years of budget "
        f"(claim: < 0.1): {'; '.join(texts)}"
    )
    verdict = split(verdicts, 1.0)
    return Decision(verdict, f"the budget scale: {reason}" if verdict == "depends-on" else reason)


def _design_contrasts(
    ctx: Context,
    part: str,
    scenario: str,
    measures: tuple[str, ...],
    baseline: Callable[[Mapping[str, float]], Where],
) -> None:
    """Every design point against its baseline point, as report rows."""
    points = ctx.parts[part][ctx.designs[part]].drop_duplicates().to_dict("records")
    for point in points:
        base = baseline(point)
        if all(math.isclose(point[k], v) for k, v in base.items()):
            continue
        for measure in measures:
            ctx.paired(part, (scenario, point), (scenario, base), measure, "report")


def _training(ctx: Context, scenario: str) -> Decision:
    base = {"training_effect": 0.0, "training_cost": 0.0}
    trained = {"training_effect": 0.5, "training_cost": 0.0}
    costly = {"training_effect": 0.5, "training_cost": 25.0}
    d = ctx.paired(
        "training", (scenario, trained), (scenario, base), "success_rate", "primary", primary=True
    )
    ctx.paired("training", (scenario, trained), (scenario, base), "mean_net")
    paid = ctx.paired(
        "training", (scenario, costly), (scenario, base), "success_rate", "primary", primary=True
    )
    _design_contrasts(ctx, "training", scenario, ("success_rate", "mean_net"), lambda point: base)
    delta = min_effect(d.diff.mean_b, 0.005)
    verdicts = {"free": directional(d, delta), "paid": directional(paid, delta)}
    reason = (
        f"{scenario} success_rate, training_effect 0.5 - none {fmt(d)} (Holm p {d.p_holm:.3g}); "
        f"with training_cost $25/month {fmt(paid)} (Holm p {paid.p_holm:.3g}); minimum effect "
        f"{delta:.3g}"
    )
    verdict = split(verdicts, "free")
    if verdict == "depends-on":
        return Decision(verdict, f"the cost of training: {reason}")
    return Decision(verdict, reason)


def _c14(ctx: Context) -> Decision:
    return _training(ctx, "referral")


def _c15(ctx: Context) -> Decision:
    return _training(ctx, "mlm")


def _c16(ctx: Context) -> Decision:
    def base(point: Mapping[str, float]) -> Where:
        return {"leads_per_month": 0.0, "cost_per_lead": point["cost_per_lead"]}

    grid = ctx.parts["leads"][["leads_per_month", "cost_per_lead"]].drop_duplicates()
    costs = sorted(float(c) for c in grid["cost_per_lead"].unique())
    primary_cost = 1.0 if 1.0 in costs else costs[len(costs) // 2]
    estimates, decided = {}, {}
    for scenario in ("mlm", "referral"):
        for cost in costs:
            point = {"leads_per_month": 20.0, "cost_per_lead": cost}
            tested = scenario == "mlm"
            d = ctx.paired(
                "leads",
                (scenario, point),
                (scenario, base(point)),
                "mean_net",
                "primary" if tested and cost == primary_cost else "report",
                primary=tested,
            )
            if tested:
                estimates[cost] = d
                decided[cost] = directional(d, min_effect(math.nan, LEADS_EFFECT))
        _design_contrasts(ctx, "leads", scenario, ("mean_net", "success_rate"), base)
        for point in grid.to_dict("records"):
            ctx.level("leads", scenario, "quantile_gap:budget:success_rate", point, "report")
    d = estimates[primary_cost]
    means = [estimates[c].estimate for c in costs]
    reason = (
        f"mlm mean_net with 20 leads/month at ${primary_cost:g} - without {fmt(d)} "
        f"(Holm p {d.p_holm:.3g}); at {' / '.join(f'${c:g}' for c in costs)} per lead: "
        f"{', '.join(f'{m:.4g}' for m in means)} ({', '.join(decided.values())}); break-even "
        f"cost per lead {_break_even(costs, means)}"
    )
    verdict = split(decided, primary_cost)
    return Decision(verdict, f"the price of leads: {reason}" if verdict == "depends-on" else reason)


def _break_even(costs: list[float], means: list[float]) -> str:
    """The cost at which the mean difference crosses 0 (linear interpolation), as text.

    A price whose mean is undefined (NaN: no complete pairs there) is skipped, so
    the crossing is found between the prices on either side of it. Signs are
    compared, not multiplied: the product of two tiny means can underflow to 0.
    """
    points = [(c, m) for c, m in zip(costs, means, strict=True) if not math.isnan(m)]
    if not points:
        return "undefined (no price has a mean)"
    for (c0, m0), (c1, m1) in itertools.pairwise(points):
        if m0 == 0:
            return f"${c0:.3g}"
        if m1 != 0 and (m0 < 0) != (m1 < 0):
            return f"${c0 + (c1 - c0) * m0 / (m0 - m1):.3g}"
    last_cost, last_mean = points[-1]
    if last_mean == 0:
        return f"${last_cost:.3g}"
    side = "above" if last_mean > 0 else "below"
    return f"outside [${costs[0]:g}, ${costs[-1]:g}] (always {side} 0)"


def _neg_wom_scenarios(ctx: Context, regime: str) -> tuple[str, dict[float, str], dict[float, str]]:
    """Baseline, negative word-of-mouth scenarios by strength, shock scenarios by shock."""
    table = ctx.scenarios["neg_wom"]
    rows = table[table["regime"] == regime]
    shock = (1 - rows["budget_scale"]).round(6)
    strength = rows["neg_wom_strength"].round(6)
    baseline = rows.index[(shock == 0) & (strength == 0)][0]
    wom = {float(s): name for name, s in strength[(shock == 0) & (strength > 0)].items()}
    shocks = {float(k): name for name, k in shock[(shock > 0) & (strength == 0)].items()}
    return baseline, wom, shocks


def _drop(ctx: Context, scenario: str, baseline: str, metric: str) -> pd.Series:
    x = ctx.values("neg_wom", scenario, metric)
    base = ctx.values("neg_wom", baseline, metric)
    return 1 - x / base


def _c17(ctx: Context) -> Decision:
    metric = "company_revenue"
    outcomes, texts = {}, []
    for regime in ("mlm", "referral"):
        baseline, wom, shocks = _neg_wom_scenarios(ctx, regime)
        drops = {}
        for scenario in [*wom.values(), *shocks.values()]:
            for m in ("company_revenue", "participants_ever"):
                drop = _drop(ctx, scenario, baseline, m)
                ctx.level_of(
                    drop.to_numpy(), "neg_wom", scenario, f"relative_drop:{m}", "", "report"
                )
                if m == metric:
                    drops[scenario] = drop
        by_pair = {}
        for w in wom.values():
            for k in shocks.values():
                main = (w, k) == (wom[0.2], shocks[0.2])
                d = ctx.paired_of(
                    drops[w].to_numpy(),
                    drops[k].to_numpy(),
                    "neg_wom",
                    f"{w} - {k}",
                    f"relative_drop:{metric}",
                    "",
                    "primary" if main else "report",
                    primary=True,
                )
                by_pair[(w, k)] = directional(d, min_effect(d.diff.mean_b, 0.01))
                if main:
                    texts.append(f"{regime}: word of mouth 0.2 - 20% shock {fmt(d)}")
        outcomes[regime] = split(by_pair, (wom[0.2], shocks[0.2]))
    reason = "; ".join(texts)
    if "depends-on" in outcomes.values():
        return Decision("depends-on", f"the sizes of the two shocks: {reason}")
    if split(outcomes, "mlm") == "depends-on":
        return Decision("depends-on", f"the regime: {reason}")
    return Decision(combine(*outcomes.values()), reason)


def _c18(ctx: Context) -> Decision:
    given = ctx.level("main", "mlm", "team_link:given_team_success", role="primary")
    link = ctx.level("main", "mlm", "team_link:success")
    ctx.level("main", "mlm", "team_link:given_team_loss")
    for kind in ("given_team_success", "success", "given_team_loss"):
        ctx.level("main", "referral", f"team_link:{kind}", role="report")
    delta = min_effect(_mean_of(ctx, "main", "mlm", "team_link:given_team_loss"), 0.05)
    defined = int(np.isfinite(ctx.values("main", "mlm", "team_link:given_team_success")).sum())
    reason = (
        f"mlm P(sponsor profits | team profits) {fmt(given)} (claim: >= 0.55) over {defined} runs "
        f"with a successful team; difference to a losing team {fmt(link)} (>= {delta:.3g})"
    )
    verdict = combine(beyond(given, 0.5, 0.05, "above"), beyond(link, 0.0, delta, "above"))
    return Decision(verdict, reason)


C19_MARGINS = {
    "success_rate": 0.02,
    "mean_net": 25.0,
    "top10_share": 0.05,
    "retail_share": 0.05,
    "gini_net": 0.05,
}


def _c19(ctx: Context) -> Decision:
    inside, outside, texts = [], [], []
    for measure, margin in C19_MARGINS.items():
        primary = measure == "success_rate"
        d = ctx.paired(
            "main",
            ("referral", None),
            ("mlm", None),
            measure,
            "primary" if primary else "also",
            primary=primary,
        )
        inside.append(d.low > -margin and d.high < margin and d.diff.magnitude == "negligible")
        different = d.low > margin or d.high < -margin
        outside.append(different and a12_magnitude(d.diff.a12) in ("medium", "large"))
        texts.append(f"{measure} {fmt(d)} (margin {margin:g}, A {d.diff.a12:.2f})")
    reason = "referral - mlm: " + "; ".join(texts)
    if all(inside):
        return Decision("supported", reason)
    if any(outside):
        return Decision("refuted", reason)
    return Decision("inconclusive", reason)


def _c20(ctx: Context) -> Decision:
    share = ctx.level("main", "mlm", "success_rate_after_time", role="primary")
    for s in ("mlm", "referral"):
        ctx.level("main", s, "quantile:net_per_year:0.5", role="report")
        ctx.level("main", s, "quantile:hours_per_month:0.5", role="report")
    ctx.level("main", "referral", "success_rate_after_time", role="report")
    reason = f"mlm share earning more than the opportunity wage per hour {fmt(share)} (>= 0.55)"
    return Decision(beyond(share, 0.5, 0.05, "above"), reason)


def _c21(ctx: Context) -> Decision:
    measure = "partial_rank_corr:downline_size,gross_per_year,tenure"
    rho = ctx.level("main", "mlm", measure, role="primary")
    ctx.level("main", "mlm", "override_share")
    reason = f"mlm partial Spearman(downline, gross per year | tenure) {fmt(rho)}; minimum 0.1"
    return Decision(beyond(rho, 0.0, 0.1, "above"), reason)


def _c22(ctx: Context) -> Decision:
    share = ctx.level("main", "referral", "share_above:gross_per_year:15080", role="primary")
    for s in ("referral", "mlm"):
        for q in ("0.5", "0.9", "0.99"):
            ctx.level("main", s, f"quantile:gross_per_year:{q}", role="report")
    ctx.level("main", "mlm", "share_above:gross_per_year:15080", role="report")
    reason = f"referral share with a minimum-wage year of gross income {fmt(share)} (>= 0.01)"
    return Decision(beyond(share, 0.0, 0.01, "above"), reason)


def _c23(ctx: Context) -> Decision:
    measure = "rank_corr:ties,gross_per_year"
    rho = ctx.level("main", "referral", measure, role="primary")
    ctx.level("main", "mlm", measure, role="report")
    reason = f"referral Spearman(ties, gross per year) {fmt(rho)}; minimum 0.1"
    return Decision(beyond(rho, 0.0, 0.1, "above"), reason)


def _c24(ctx: Context) -> Decision:
    for s in ("referral", "mlm"):
        ctx.level("main", s, "customer_retention")
    return _above(ctx, "main", "referral", "mlm", "customer_retention", 0.02)


def _c25(ctx: Context) -> Decision:
    for s in ("mlm_prequalify", "mlm"):
        for measure in ("founders_mean:gross_per_year", "participants_ever", "success_rate"):
            ctx.level("prequalify", s, measure, role="report")
    return _above(ctx, "prequalify", "mlm_prequalify", "mlm", "founders_mean:net_per_year", 100.0)


RULES: dict[str, Callable[[Context], Decision]] = {
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
    "C14": _c14,
    "C15": _c15,
    "C16": _c16,
    "C17": _c17,
    "C18": _c18,
    "C19": _c19,
    "C20": _c20,
    "C21": _c21,
    "C22": _c22,
    "C23": _c23,
    "C24": _c24,
    "C25": _c25,
}


def evaluate_claims(
    ctx: Context, rules: Mapping[str, Callable[[Context], Decision]] | None = None
) -> tuple[dict[str, Decision], pd.DataFrame]:
    """Apply every claim's rule at the defaults, with Holm's adjustment over the primary tests.

    Args:
        ctx: a context over the suite's parts (cached estimates are reused).
        rules: the rules to apply (default: `RULES`, the whole catalogue); Holm's
            family is the primary tests of these rules.

    Returns:
        The decision of each claim, and the tidy estimates table (`ESTIMATE_COLUMNS`).
    """
    rules = RULES if rules is None else rules
    ctx.primary.clear()
    ctx.adjusted.clear()
    ctx.clear_rows()
    for claim_id, rule in rules.items():
        ctx.claim = claim_id
        rule(ctx)
    keys = list(ctx.primary)
    ctx.adjusted = dict(zip(keys, holm([ctx.primary[k] for k in keys]), strict=True))
    ctx.clear_rows()
    decisions = {}
    for claim_id, rule in rules.items():
        ctx.claim = claim_id
        decisions[claim_id] = rule(ctx)
    return decisions, pd.DataFrame(ctx.rows, columns=list(ESTIMATE_COLUMNS))
