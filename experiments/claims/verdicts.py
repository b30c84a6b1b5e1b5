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
from collections.abc import Callable, Mapping
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
    "Context",
    "Decision",
    "Paired",
    "directional",
    "evaluate_claims",
    "final_verdict",
    "is_above",
    "is_below",
]

ALPHA = 0.05
ROBUST_SHARE = 0.75
PART_OF_EXPERIMENT = {
    "claims": "main",
    "training": "training",
    "leads": "leads",
    "budget": "budget",
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


def final_verdict(at_defaults: str, robustness: Interval | None) -> str:
    """Combine the verdict at the defaults with its robustness (docs/claims.md, "Robustness").

    Args:
        at_defaults: the rule's verdict at the defaults.
        robustness: the share of sampled points where the claim holds, with its
            Wilson interval; None (or NaN) when the claim has no robustness flag.

    Returns:
        The verdict: supported needs the interval's lower bound >= 0.75, refuted
        its upper bound <= 0.25; otherwise such a verdict becomes depends-on.
    """
    if robustness is None or math.isnan(robustness.estimate):
        return at_defaults
    if at_defaults == "supported" and not robustness.low >= ROBUST_SHARE:
        return "depends-on"
    if at_defaults == "refuted" and not robustness.high <= 1 - ROBUST_SHARE:
        return "depends-on"
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
def _c1(ctx: Context) -> Decision:
    sr = ctx.level("main", "mlm", "success_rate", role="primary")
    lr = ctx.level("main", "mlm", "loss_rate")
    ctx.level("main", "mlm", "success_rate_after_time")
    reason = f"mlm success_rate {fmt(sr)}, loss_rate {fmt(lr)}; thresholds 0.5"
    if is_below(sr, 0.5) and is_above(lr, 0.5):
        return Decision("supported", reason)
    if is_above(sr, 0.5):
        return Decision("refuted", reason)
    return Decision("inconclusive", reason, (ctx.values("main", "mlm", "success_rate").values, 0.5))


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
        _winners_per_1000(ctx, s)
    d = ctx.paired(
        "main", ("referral", None), ("mlm", None), "success_rate", "primary", primary=True
    )
    ctx.paired("main", ("referral", None), ("mlm", None), "success_rate_after_time")
    for s in ctx.scenarios["depth"].index:
        ctx.level("depth", s, "success_rate", role="report")
    verdict = directional(d, 0.02)
    reason = f"referral - mlm success_rate {fmt(d)}, Holm p {d.p_holm:.3g}; minimum effect 0.02"
    return Decision(verdict, reason)


def _c3(ctx: Context) -> Decision:
    rc = ctx.level("main", "mlm", "rank_corr:depth,net_profit", role="primary")
    top = ctx.level("main", "mlm", "top10_share")
    ctx.level("main", "referral", "rank_corr:depth,net_profit", role="report")
    ctx.level("main", "referral", "top10_share", role="report")
    ctx.paired("main", ("mlm", None), ("referral", None), "rank_corr:depth,net_profit", "report")
    reason = f"mlm Spearman(depth, net) {fmt(rc)} (claim: < 0), top10_share {fmt(top)} (> 0.5)"
    if is_below(rc, 0) and is_above(top, 0.5):
        return Decision("supported", reason)
    if is_above(rc, 0):
        return Decision("refuted", reason)
    measure = "rank_corr:depth,net_profit"
    return Decision("inconclusive", reason, (ctx.values("main", "mlm", measure).values, 0.0))


def _c4(ctx: Context) -> Decision:
    measure = "cohort_slope:net_profit"
    slope = ctx.level("main", "mlm", measure, role="primary")
    ctx.level("main", "referral", measure, role="report")
    for s in ("mlm", "referral"):
        ctx.level("main", s, "rank_corr:join_month,net_profit", role="report")
    d = ctx.paired("main", ("mlm", None), ("referral", None), measure, "primary", primary=True)
    reason = f"mlm cohort slope {fmt(slope)} $/year of later entry, mlm - referral {fmt(d)}"
    if is_below(slope, 0) and is_below(d, 0):
        return Decision("supported", reason)
    if is_above(slope, 0):
        return Decision("refuted", reason)
    return Decision("inconclusive", reason, (ctx.values("main", "mlm", measure).values, 0.0))


def _c5(ctx: Context) -> Decision:
    top = ctx.level("main", "referral", "top1_share", role="primary")
    ctx.level("main", "mlm", "top1_share", role="report")
    for s in ("referral", "mlm"):
        ctx.level("main", s, "gini_commissions", role="report")
        ctx.level("main", s, "override_share", role="report")
    ctx.level("main", "referral", "p99_net", role="report")
    d = ctx.paired("main", ("mlm", None), ("referral", None), "top1_share", "primary", primary=True)
    reason = f"referral top1_share {fmt(top)} (claim: < 0.10), mlm - referral {fmt(d)}"
    if is_below(top, 0.10) and is_above(d, 0) and d.p_holm < ALPHA:
        return Decision("supported", reason)
    if is_above(top, 0.10) or is_below(d, 0):
        return Decision("refuted", reason)
    return Decision("inconclusive", reason)


def _c6(ctx: Context) -> Decision:
    ref = ctx.level("main", "referral", "per_sale_spread", role="primary")
    ctx.level("main", "mlm", "per_sale_spread", role="report")
    ctx.level("main", "mlm", "override_share", role="report")
    d = ctx.paired(
        "main", ("mlm", None), ("referral", None), "per_sale_spread", "primary", primary=True
    )
    for s in ctx.scenarios["depth"].index:
        ctx.level("depth", s, "per_sale_spread", role="report")
    reason = (
        f"referral per-sale spread {fmt(ref)} (claim: within [1, 1.05]), mlm - referral {fmt(d)}"
    )
    if ref.low >= 1 - 1e-9 and ref.high <= 1.05 and is_above(d, 0):
        return Decision("supported", reason)
    if is_above(ref, 1.05) or d.high <= 0:
        return Decision("refuted", reason)
    return Decision("inconclusive", reason)


def _c7(ctx: Context) -> Decision:
    measure = "override_share:successful"
    share = ctx.level("main", "mlm", measure, role="primary")
    ctx.level("main", "mlm", "override_share:top10")
    reason = f"override share of successful mlm participants {fmt(share)} (claim: > 0.5)"
    if is_above(share, 0.5):
        return Decision("supported", reason)
    if is_below(share, 0.5):
        return Decision("refuted", reason)
    return Decision("inconclusive", reason, (ctx.values("main", "mlm", measure).values, 0.5))


def _shapley_rule(
    ctx: Context, scenario: str, measure: str, group: str, bar: float, role: str
) -> tuple[str, str]:
    """Holds / fails / unclear for one scenario of C8 or C9, and its numbers."""
    diff = ctx.level("main", scenario, measure, role=role)
    share = ctx.level("main", scenario, f"{measure}|shapley_{group}")
    for companion in ("r2_joint", f"shapley_{measure.split('-vs-')[1]}"):
        ctx.level("main", scenario, f"{measure}|{companion}", role="report")
    text = f"{scenario}: Shapley difference {fmt(diff)}, own-trait share {fmt(share)} (> {bar})"
    if is_above(diff, 0) and is_above(share, bar):
        return "holds", text
    if is_below(diff, 0) or is_below(share, bar):
        return "fails", text
    return "unclear", text


def _c8(ctx: Context) -> Decision:
    measure = "variance_explained:ability_effort-vs-timing_position"
    outcomes = [
        _shapley_rule(ctx, s, measure, "ability_effort", 0.10, "primary")
        for s in ("mlm", "referral")
    ]
    for s in ("mlm", "referral"):
        ctx.level("main", s, "variance_explained:ability_effort-vs-timing_position_downline")
    states = {state for state, _ in outcomes}
    reason = "; ".join(text for _, text in outcomes)
    if states == {"holds"}:
        return Decision("supported", reason)
    if states == {"fails"}:
        return Decision("refuted", reason)
    if states == {"holds", "fails"}:
        return Decision("depends-on", f"the regime: {reason}")
    return Decision("inconclusive", reason)


def _c9(ctx: Context) -> Decision:
    measure = "variance_explained:belief_ability_effort-vs-timing_position"
    state, reason = _shapley_rule(ctx, "mlm", measure, "belief_ability_effort", 0.5, "primary")
    verdict = {"holds": "supported", "fails": "refuted"}.get(state, "inconclusive")
    return Decision(verdict, reason)


def _c10(ctx: Context) -> Decision:
    share = ctx.level("main", "mlm", "retail_share", role="primary")
    ctx.level("main", "referral", "retail_share", role="report")
    ctx.level("main", "mlm", "override_share")
    d = ctx.paired(
        "main", ("referral", None), ("mlm", None), "retail_share", "primary", primary=True
    )
    reason = f"mlm retail_share {fmt(share)} (claim: < 0.5), referral - mlm {fmt(d)}"
    if is_below(share, 0.5) and is_above(d, 0):
        return Decision("supported", reason)
    if is_above(share, 0.5):
        return Decision("refuted", reason)
    return Decision("inconclusive", reason, (ctx.values("main", "mlm", "retail_share").values, 0.5))


def _c11(ctx: Context) -> Decision:
    measure = "partial_rank_corr:downline_size,net_profit,tenure"
    rho = ctx.level("main", "mlm", measure, role="primary")
    ctx.level("main", "mlm", "rank_corr:downline_size,net_profit")
    ctx.level("main", "mlm", "success_gap:recruiters")
    ctx.level("main", "referral", measure, role="report")
    reason = f"mlm partial Spearman(downline, net | tenure) {fmt(rho)}; minimum effect 0.1"
    if rho.low > 0 and rho.estimate >= 0.1:
        return Decision("supported", reason)
    if is_below(rho, 0.1):
        return Decision("refuted", reason)
    return Decision("inconclusive", reason, (ctx.values("main", "mlm", measure).values, 0.1))


def _c12(ctx: Context) -> Decision:
    decline = ctx.level("main", "mlm", "decline_from_peak", role="primary")
    gap = ctx.level("main", "mlm", "cohort_gap:success_rate")
    ctx.level("main", "mlm", "peak_month")
    ctx.level("main", "referral", "decline_from_peak", role="report")
    reason = (
        f"mlm decline from peak {fmt(decline)} (claim: < 0.2), late - early entrants' "
        f"success {fmt(gap)} (claim: > -0.05)"
    )
    if is_below(decline, 0.2) and is_above(gap, -0.05):
        return Decision("supported", reason)
    if is_above(decline, 0.2) or is_below(gap, -0.05):
        return Decision("refuted", reason)
    return Decision("inconclusive", reason)


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
        ctx.level("budget", scenario, "quantile_gap:budget:net_profit", role="report")
        verdicts[scale] = (
            "supported"
            if is_above(gap, -0.05)
            else "refuted"
            if is_below(gap, -0.05)
            else "inconclusive"
        )
        texts.append(f"scale {scale:g}: {fmt(gap)}")
    for _, scenario in _scale_scenarios(ctx, "referral"):
        ctx.level("budget", scenario, measure, role="report")
    reason = f"mlm bottom - top budget quintile success (claim: > -0.05), {'; '.join(texts)}"
    if len(set(verdicts.values())) > 1:
        return Decision("depends-on", f"the budget scale: {reason}")
    return Decision(verdicts[1.0], reason)


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
    paid = ctx.paired("training", (scenario, costly), (scenario, base), "success_rate", "report")
    _design_contrasts(ctx, "training", scenario, ("success_rate", "mean_net"), lambda point: base)
    verdict = directional(d, 0.02)
    with_cost = directional(paid, 0.02, p=paid.diff.p_value)
    reason = (
        f"{scenario} success_rate, training_effect 0.5 - none {fmt(d)} (Holm p {d.p_holm:.3g}); "
        f"with training_cost $25/month {fmt(paid)}; minimum effect 0.02"
    )
    if with_cost != verdict:
        return Decision("depends-on", f"the cost of training ({with_cost} at $25): {reason}")
    return Decision(verdict, reason)


def _c14(ctx: Context) -> Decision:
    return _training(ctx, "referral")


def _c15(ctx: Context) -> Decision:
    return _training(ctx, "mlm")


def _c16(ctx: Context) -> Decision:
    def base(point: Mapping[str, float]) -> Where:
        return {"leads_per_month": 0.0, "cost_per_lead": point["cost_per_lead"]}

    grid = ctx.parts["leads"][["leads_per_month", "cost_per_lead"]].drop_duplicates()
    costs = sorted(grid["cost_per_lead"].unique())
    primary_cost = 1.0 if 1.0 in costs else costs[len(costs) // 2]
    estimates = {}
    for scenario in ("mlm", "referral"):
        for cost in costs:
            point = {"leads_per_month": 20.0, "cost_per_lead": cost}
            primary = scenario == "mlm" and cost == primary_cost
            d = ctx.paired(
                "leads",
                (scenario, point),
                (scenario, base(point)),
                "mean_net",
                "primary" if primary else "report",
                primary=primary,
            )
            if scenario == "mlm":
                estimates[cost] = d
        _design_contrasts(ctx, "leads", scenario, ("mean_net", "success_rate"), base)
        for point in grid.to_dict("records"):
            ctx.level("leads", scenario, "quantile_gap:budget:success_rate", point, "report")
    d = estimates[primary_cost]
    signs = {np.sign(e.estimate) for e in estimates.values()}
    means = [estimates[c].estimate for c in costs]
    reason = (
        f"mlm mean_net with 20 leads/month at ${primary_cost:g} - without {fmt(d)} "
        f"(Holm p {d.p_holm:.3g}); at {' / '.join(f'${c:g}' for c in costs)} per lead: "
        f"{', '.join(f'{m:.4g}' for m in means)}; break-even cost per lead "
        f"{_break_even(costs, means)}"
    )
    if len(signs) > 1:
        return Decision("depends-on", f"the price of leads: {reason}")
    if d.low > 0 and d.p_holm < ALPHA:
        return Decision("supported", reason)
    if d.high < 0:
        return Decision("refuted", reason)
    return Decision("inconclusive", reason)


def _break_even(costs: list[float], means: list[float]) -> str:
    """The cost at which the mean difference crosses 0 (linear interpolation), as text."""
    points = list(zip(costs, means, strict=True))
    for (c0, m0), (c1, m1) in itertools.pairwise(points):
        if m0 == 0:
            return f"${c0:.3g}"
        if m0 * m1 < 0:
            return f"${c0 + (c1 - c0) * m0 / (m0 - m1):.3g}"
    side = "above" if means[-1] > 0 else "below"
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
    outcomes, flips, texts = {}, False, []
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
        a, b = drops[wom[0.2]], drops[shocks[0.2]]
        d = ctx.paired_of(
            a.to_numpy(),
            b.to_numpy(),
            "neg_wom",
            f"{wom[0.2]} - {shocks[0.2]}",
            f"relative_drop:{metric}",
            "",
            "primary",
            primary=True,
        )
        signs = set()
        for w in wom.values():
            for k in shocks.values():
                if (w, k) == (wom[0.2], shocks[0.2]):
                    signs.add(np.sign(d.estimate))
                    continue
                grid = ctx.paired_of(
                    drops[w].to_numpy(),
                    drops[k].to_numpy(),
                    "neg_wom",
                    f"{w} - {k}",
                    f"relative_drop:{metric}",
                    "",
                    "report",
                    primary=False,
                )
                signs.add(np.sign(grid.estimate))
        flips = flips or len(signs - {0.0}) > 1
        outcomes[regime] = (
            "supported"
            if d.low > 0 and d.p_holm < ALPHA
            else "refuted"
            if d.high < 0
            else "unclear"
        )
        texts.append(f"{regime}: drop from word of mouth 0.2 - from a 20% shock {fmt(d)}")
    reason = "; ".join(texts)
    states = set(outcomes.values())
    if states == {"supported", "refuted"} or (flips and states <= {"supported", "refuted"}):
        why = "the regime" if states == {"supported", "refuted"} else "the sizes of the two shocks"
        return Decision("depends-on", f"{why}: {reason}")
    if len(states) == 1 and states != {"unclear"}:
        return Decision(states.pop(), reason)
    return Decision("inconclusive", reason)


def _c18(ctx: Context) -> Decision:
    given = ctx.level("main", "mlm", "team_link:given_team_success", role="primary")
    link = ctx.level("main", "mlm", "team_link:success")
    ctx.level("main", "mlm", "team_link:given_team_loss")
    for kind in ("given_team_success", "success", "given_team_loss"):
        ctx.level("main", "referral", f"team_link:{kind}", role="report")
    reason = (
        f"mlm P(sponsor profits | team profits) {fmt(given)} (claim: > 0.75) over "
        f"{int(np.isfinite(ctx.values('main', 'mlm', 'team_link:given_team_success')).sum())} "
        f"runs with a successful team; difference to a losing team {fmt(link)}"
    )
    if is_above(given, 0.75) and is_above(link, 0):
        return Decision("supported", reason)
    if is_below(given, 0.75) or link.high <= 0:
        return Decision("refuted", reason)
    return Decision("inconclusive", reason)


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
}


def evaluate_claims(ctx: Context) -> tuple[dict[str, Decision], pd.DataFrame]:
    """Apply every claim's rule at the defaults, with Holm's adjustment over the primary tests.

    Args:
        ctx: a fresh context over the suite's parts.

    Returns:
        The decision of each claim, and the tidy estimates table (`ESTIMATE_COLUMNS`).
    """
    for claim_id, rule in RULES.items():
        ctx.claim = claim_id
        rule(ctx)
    keys = list(ctx.primary)
    ctx.adjusted = dict(zip(keys, holm([ctx.primary[k] for k in keys]), strict=True))
    ctx.clear_rows()
    decisions = {}
    for claim_id, rule in RULES.items():
        ctx.claim = claim_id
        decisions[claim_id] = rule(ctx)
    return decisions, pd.DataFrame(ctx.rows, columns=list(ESTIMATE_COLUMNS))
