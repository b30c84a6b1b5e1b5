"""The report's reader-facing sections, each a list of Markdown lines.

Plain-language summary, calibration, limitations, evidence (TRACE style) and
why the verdicts hold (sensitivity, ablations, thresholds);
`experiments.present.report` puts them in order.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from experiments.claims.assess import Analysis
from experiments.claims.catalogue import CLAIMS, Claim

__all__ = [
    "calibration_section",
    "claim_checks",
    "evidence_section",
    "limitations_section",
    "plain_summary",
    "practical",
    "why_section",
]

ARTICLES = {
    "000": "000 (blog post: MLM vs network marketing, affiliates)",
    "001": "001 (promotional post: MLM still going strong)",
    "002": "002 (blog post: no fat cat in network marketing)",
    "003": "003 (comparison page: MLM vs network marketing)",
    "004": "004 (how-to page: leads, training, team)",
}
_MONEY = ("mean_net", "median_net", "p90_net", "p99_net")
_MONEY_COLUMNS = ("gross_per_year", "net_per_year", "gross_income", "net_profit")


def practical(measure: str, value: float, difference: bool = False) -> str:
    """A value in practical units: percentage points / percent for shares, dollars for money."""
    if pd.isna(value):
        return "undefined"
    family, _, rest = measure.partition(":")
    if family in ("rank_corr", "partial_rank_corr", "variance_explained", "per_sale_spread"):
        return f"{value:+.2f}" if difference else f"{value:.2f}"
    column = rest.split(":")[0]
    money = measure in _MONEY or (
        family in ("quantile", "founders_mean") and column in _MONEY_COLUMNS
    )
    if family == "cohort_slope":
        return f"${value:+,.0f} a year per year of later entry"
    if money:
        suffix = " a year" if "per_year" in measure else ""
        return f"${value:+,.0f}{suffix}" if difference else f"${value:,.0f}{suffix}"
    if difference:
        return f"{100 * value:+.1f} percentage points"
    return f"{100 * value:.1f}%"


def _primary(estimates: pd.DataFrame, claim: str) -> list[dict]:
    rows = estimates[(estimates["claim"] == claim) & (estimates["role"] == "primary")]
    return rows.to_dict("records")


def _effect_text(claim: Claim, estimates: pd.DataFrame) -> str:
    parts = []
    for r in _primary(estimates, claim.id)[:2]:
        paired = r["kind"] == "paired"
        measure = str(r["measure"]).split("|")[0]
        value = practical(measure, r["estimate"], difference=paired)
        low, high = (practical(measure, r[k], difference=paired) for k in ("low", "high"))
        unit = value.split(" ", 1)[1] if " " in value else ""
        low, high = (x.removesuffix(f" {unit}") if unit else x for x in (low, high))
        parts.append(f"{r['scenario']}: {value} (95% CI {low} to {high})")
    return "; ".join(parts)


def _condition(claim: str, row: pd.Series, analysis: Analysis) -> str:
    """What a depends-on verdict depends on, in plain words."""
    reason = str(row["reason"])
    if reason.startswith(("supported at the defaults", "refuted at the defaults")):
        at = reason.split(" at the defaults")[0]
        boxes = analysis.discovery[analysis.discovery["claim"] == claim]
        where = f"; it {boxes.iloc[0]['box']}" if not boxes.empty else ""
        return f"{at} at the defaults, not across the sampled parameters{where}"
    return reason.split(":")[0]


def plain_summary(analysis: Analysis) -> list[str]:
    """Per article: what holds, what does not and under which conditions, in practical units."""
    claims = analysis.claims.set_index("claim")
    lines = [
        "## In plain words",
        "",
        "Each article's testable claims, with the verdict and the deciding numbers: "
        "shares in percent or percentage points, money in dollars (per year in the "
        "business where the measure says so). *Supported* and *refuted* mean the runs "
        "decide it with a practical margin and the sampled parameter space agrees; "
        "*depends on* names the condition; *inconclusive* means the runs cannot tell.",
        "",
    ]
    for source, title in ARTICLES.items():
        own = [c for c in CLAIMS if c.source.startswith(source)]
        if not own:
            continue
        lines += [f"**Article {title}**", ""]
        for claim in own:
            row = claims.loc[claim.id]
            verdict = str(row["verdict"]).replace("depends-on", "depends on")
            condition = ""
            if row["verdict"] == "depends-on":
                condition = f" ({_condition(claim.id, row, analysis)})"
            lines.append(
                f"- *{claim.summary}* ([{claim.id}](#{claim.id.lower()})): **{verdict}**"
                f"{condition}. {_effect_text(claim, analysis.estimates)}."
            )
        lines.append("")
    return lines


def calibration_section(targets: Path) -> list[str]:
    """The calibration table (`downline calibrate`'s targets.csv), or a note that it is missing."""
    lines = ["## Calibration", ""]
    if not targets.is_file():
        return [
            *lines,
            f"No calibration table: `{targets}` is missing (written by `downline calibrate`, "
            "experiments/calibrate/). The verdicts are at the model's default parameters; "
            "read them as conditional on those defaults.",
            "",
        ]
    table = pd.read_csv(targets)
    lines += [
        "How the model at its defaults compares with the published targets it was "
        f"calibrated to (`{targets}`).",
        "",
        "| " + " | ".join(map(str, table.columns)) + " |",
        "|" + "---|" * len(table.columns),
    ]
    for row in table.itertuples(index=False):
        cells = [f"{v:.4g}" if isinstance(v, float) else str(v) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def limitations_section() -> list[str]:
    """What the model and the analysis cannot say (docs/claims.md, docs/ODD.md)."""
    items = [
        "The model is one stylised company per regime on a synthetic social network; "
        "the verdicts say what follows from its documented rules (docs/ODD.md), not what "
        "any real company does.",
        "Behavioural inputs without a published source (contact rates, conversion, "
        "quitting, costs) are calibrated to published patterns; the robustness and "
        "sensitivity parts sample the calibrated ones over the calibration's accepted set "
        "and the others from half to twice their defaults, so verdicts are conditional on "
        "those ranges.",
        "Not sampled: the horizon (fixed at 120 months), the network family (the "
        "Watts-Strogatz rewiring probability spans lattice-like to random networks "
        "instead) and the MLM level rates (the depth experiment varies them at a "
        "constant total payout).",
        "The economic shock of C17 is a permanent cut of everyone's budget from the "
        "start, harsher than a temporary recession.",
        "C24 (customer retention): the model gives sellers no way to keep a customer by "
        "relationship work, so it tests only what the plan and who becomes a customer do.",
        "C25 (prequalifying): asking costs nothing (no published figure), which favours the claim.",
        "C19 is about how people use two words; the model tests only its consequence, "
        "that the two regimes produce the same outcomes.",
        "Robustness points count only when at least 4 of their 5 replications agree "
        "(the stated tolerance); noisy and undefined points are counted in each claim's "
        "section.",
    ]
    return ["## Limitations", "", *[f"- {item}" for item in items], ""]


EVIDENCE = (
    (
        "Money is conserved and every ledger adds up, every month, for every plan",
        "tests/test_model.py (test_money_is_conserved_every_month, "
        "test_net_profit_is_the_sum_of_ledger_rows), tests/plans/test_contract_plans.py",
    ),
    (
        "Each compensation plan pays what a hand calculation gives",
        "tests/plans/test_handworked*.py",
    ),
    (
        "The monthly rules run in the documented order; mechanisms do what docs/ODD.md says",
        "tests/test_model.py (test_rules_run_in_documented_order), tests/test_mechanisms.py, "
        "tests/test_bass.py, tests/test_network.py",
    ),
    (
        "Runs are reproducible from (config, scenario, replication) and stable over code changes",
        "tests/experiments/test_seeds.py, tests/test_golden.py",
    ),
    (
        "Per-run metrics and claim measures equal hand-computed values",
        "tests/test_metrics.py, tests/test_analysis.py",
    ),
    (
        "Confidence intervals cover at the nominal rate; Holm, Wilson and the paired "
        "effect size are correct",
        "tests/test_stats.py, tests/test_verdicts.py",
    ),
    (
        "Every claim's rule reaches each verdict it allows on constructed inputs",
        "tests/test_claim_rules.py, tests/test_verdicts.py",
    ),
    (
        "Every quote is verbatim in its article; docs/claims.md matches the catalogue",
        "tests/test_claims_catalogue.py",
    ),
    (
        "Robustness flags, tolerance and undefined points; Morris and Sobol on known functions",
        "tests/test_verdicts.py, tests/test_sensitivity.py",
    ),
    ("The whole pipeline runs end to end on a small suite", "tests/test_report.py"),
)


def evidence_section() -> list[str]:
    """TRACE-style evidence: what was verified, and by which test."""
    lines = [
        "## Evidence (TRACE)",
        "",
        "What was verified and validated, and where the check lives (run with `make test`).",
        "",
        "| what was checked | by |",
        "|---|---|",
    ]
    lines += [f"| {what} | {by} |" for what, by in EVIDENCE]
    return [*lines, ""]


def claim_checks(claim: Claim, analysis: Analysis) -> list[str]:
    """A claim's fairness, refutation condition, robustness counts and flips, as lines."""
    row = analysis.claims.set_index("claim").loc[claim.id]
    lines = [
        f"*Why the measure is fair.* {claim.fair}",
        "",
        f"*Refuted by.* {claim.refuted_if}",
        "",
    ]
    if int(row.get("robustness_points", 0) or 0) or int(row.get("robustness_noisy", 0) or 0):
        lines += [
            f"*Robustness points.* {int(row['robustness_points'])} settled, "
            f"{int(row.get('robustness_noisy', 0))} noisy (replications disagree), "
            f"{int(row.get('robustness_undefined', 0))} undefined.",
            "",
        ]
    boxes = analysis.discovery[analysis.discovery["claim"] == claim.id]
    if not boxes.empty:
        lines += [
            f"*Where it holds (PRIM over the robustness points).* {boxes.iloc[0]['box']}.",
            "",
        ]
    flips = []
    for table, column, what in (
        (analysis.thresholds, "factor", "thresholds x {}"),
        (analysis.ablations, "mechanism", "without {}"),
    ):
        if table.empty:
            continue
        hits = table[(table["claim"] == claim.id) & table["flipped"].astype(bool)]
        flips += [f"{what.format(r[column])}: {r['verdict']}" for r in hits.to_dict("records")]
    if flips:
        lines += [f"*Flips.* {'; '.join(flips)}.", ""]
    return lines


def why_section(analysis: Analysis, charts: Mapping[str, str]) -> list[str]:
    """Sensitivity, ablations and thresholds: which inputs and choices the verdicts rest on."""
    lines = ["## Why the verdicts hold", ""]
    if not analysis.morris.empty:
        mu = analysis.morris[analysis.morris["index"] == "mu_star"]
        top = mu.sort_values("estimate", ascending=False).groupby("outcome", sort=False).head(2)
        named = "; ".join(
            f"{o}: {', '.join(g['parameter'])}" for o, g in top.groupby("outcome", sort=False)
        )
        floor = mu[
            (mu["outcome"] == "referral success rate") & mu["parameter"].str.startswith("mlm:")
        ]["estimate"]
        noise = (
            f" A parameter that cannot move an outcome still shows mu* up to {floor.max():.3g} "
            "(the MLM-only parameters on the referral success rate): the noise floor of one "
            "replication per point; effects near it are not distinguishable from noise."
            if not floor.empty
            else ""
        )
        lines += [
            "**Morris screening.** The mean absolute elementary effect mu* of each sampled "
            f"input on the key outcomes; the two largest per outcome: {named}.{noise}",
            "",
        ]
        lines += [f"![morris_screening]({charts['morris_screening']})", ""] * (
            "morris_screening" in charts
        )
    if not analysis.ablations.empty:
        flipped = analysis.ablations[analysis.ablations["flipped"].astype(bool)]
        text = ", ".join(
            f"{r['claim']} without {r['mechanism']}" for r in flipped.to_dict("records")
        )
        lines += [
            "**Ablations.** Each mechanism switched off in turn; verdicts that flip: "
            f"{text or 'none'}.",
            "",
        ]
        lines += [f"![ablation_flips]({charts['ablation_flips']})", ""] * (
            "ablation_flips" in charts
        )
    if not analysis.thresholds.empty:
        flipped = analysis.thresholds[analysis.thresholds["flipped"].astype(bool)]
        text = ", ".join(f"{r['claim']} at x {r['factor']:g}" for r in flipped.to_dict("records"))
        lines += [
            "**Thresholds.** Every threshold and minimum effect moved by -50% and +50%; "
            f"verdicts that flip: {text or 'none'}.",
            "",
        ]
        lines += [f"![threshold_flips]({charts['threshold_flips']})", ""] * (
            "threshold_flips" in charts
        )
    return lines
