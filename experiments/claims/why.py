"""Why a verdict holds: ablations and threshold sensitivity.

* **Ablations.** The suite's optional `ablations` part runs, for each
  mechanism, the two regimes with that mechanism switched off (scenarios
  ``mlm_no_<mechanism>`` and ``referral_no_<mechanism>``) beside the baseline
  ``mlm`` and ``referral``, all on the same seeds. Every claim decided in the
  main part alone (`MAIN_ONLY`) is re-decided on each pair of scenarios, as if
  they were the main part; a flip says the verdict owes itself to that
  mechanism.
* **Thresholds.** Every rule's thresholds and minimum effects are multiplied by
  0.5 and by 1.5 (`experiments.claims.verdicts.scaled_thresholds`) and the
  verdicts at the defaults decided again; a flip says the verdict hinges on
  where a bar was put.

Analysis reads only saved results (DESIGN.md).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from experiments.claims.catalogue import CLAIMS
from experiments.claims.verdicts import RULES, Context, evaluate_claims, scaled_thresholds

__all__ = [
    "ABLATION_COLUMNS",
    "MAIN_ONLY",
    "THRESHOLD_COLUMNS",
    "THRESHOLD_FACTORS",
    "ablation_verdicts",
    "threshold_verdicts",
]

MAIN_ONLY = tuple(c.id for c in CLAIMS if c.experiment == "claims")
"""Claims whose rule needs only the main part's mlm and referral runs."""
THRESHOLD_FACTORS = (0.5, 1.5)
ABLATION_COLUMNS = ("claim", "mechanism", "verdict", "baseline", "flipped", "reason")
THRESHOLD_COLUMNS = ("claim", "factor", "verdict", "baseline", "flipped")
_PREFIX = "_no_"


def _mechanisms(scenarios: pd.Series) -> list[str]:
    """Mechanisms with both an mlm and a referral scenario, in order of first appearance."""
    names = list(dict.fromkeys(scenarios))
    found = []
    for name in names:
        if name.startswith(f"mlm{_PREFIX}"):
            mechanism = name.removeprefix(f"mlm{_PREFIX}")
            if f"referral{_PREFIX}{mechanism}" in names:
                found.append(mechanism)
    return found


def _main_rules(table: pd.DataFrame, n_resamples: int) -> dict[str, tuple[str, str]]:
    """(verdict, reason) of every main-only claim with `table` as the main part."""
    ctx = Context(
        parts={"main": table}, scenarios={}, designs={"main": []}, n_resamples=n_resamples
    )
    rules = {claim: RULES[claim] for claim in MAIN_ONLY}
    decisions, _ = evaluate_claims(ctx, rules)
    return {claim: (d.verdict, d.reason) for claim, d in decisions.items()}


def ablation_verdicts(measures: pd.DataFrame, n_resamples: int = 999) -> pd.DataFrame:
    """Every main-only claim decided with each mechanism switched off, against the baseline.

    Args:
        measures: per-run measures of the ablations part (`run_measures`), with
            scenarios ``mlm``, ``referral`` and pairs ``mlm_no_X``, ``referral_no_X``.
        n_resamples: bootstrap resamples per CI.

    Returns:
        One row per (claim, mechanism): `ABLATION_COLUMNS`; ``baseline`` is the
        verdict on the part's own ``mlm`` and ``referral`` runs.

    Raises:
        ValueError: when the part has no baseline mlm and referral scenarios.
    """
    if not {"mlm", "referral"} <= set(measures["scenario"]):
        raise ValueError("the ablations part needs baseline scenarios mlm and referral")
    base = _main_rules(measures[measures["scenario"].isin(["mlm", "referral"])], n_resamples)
    rows = []
    for mechanism in _mechanisms(measures["scenario"]):
        names = {f"mlm{_PREFIX}{mechanism}": "mlm", f"referral{_PREFIX}{mechanism}": "referral"}
        table = measures[measures["scenario"].isin(list(names))].copy()
        table["scenario"] = table["scenario"].map(names)
        for claim, (verdict, reason) in _main_rules(table, n_resamples).items():
            rows.append(
                {
                    "claim": claim,
                    "mechanism": mechanism,
                    "verdict": verdict,
                    "baseline": base[claim][0],
                    "flipped": verdict != base[claim][0],
                    "reason": reason,
                }
            )
    return pd.DataFrame(rows, columns=list(ABLATION_COLUMNS))


def threshold_verdicts(ctx: Context, baseline: Mapping[str, str]) -> pd.DataFrame:
    """Every claim decided at the defaults with its thresholds scaled by 0.5 and 1.5.

    Args:
        ctx: the context the verdicts at the defaults were decided on (its
            cached estimates are reused).
        baseline: claim -> verdict at the defaults (factor 1).

    Returns:
        One row per (claim, factor): `THRESHOLD_COLUMNS`.
    """
    rows = []
    for factor in THRESHOLD_FACTORS:
        with scaled_thresholds(factor):
            decisions, _ = evaluate_claims(ctx)
        for claim, decision in decisions.items():
            rows.append(
                {
                    "claim": claim,
                    "factor": factor,
                    "verdict": decision.verdict,
                    "baseline": baseline[claim],
                    "flipped": decision.verdict != baseline[claim],
                }
            )
    return pd.DataFrame(rows, columns=list(THRESHOLD_COLUMNS))
