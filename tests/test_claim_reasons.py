"""What each claim's rule says and records: its reason sentence and the roles of its estimates.

Reasons: every value a reason prints is built from exact constants (the same
value in every replication), so each bootstrap CI is the degenerate
``[v, v]`` and every number in the sentence follows by hand from the inputs.
The paired tests' p-values follow by hand too: n = 20 pairs with the same
non-zero difference have every |d| tied at rank 10.5 and W+ = 210 or 0;
Wilcoxon's normal approximation with the tie correction (scipy's, without a
continuity correction) has mean 20 x 21 / 4 = 105 and variance
20 x 21 x 41 / 24 - (20^3 - 20) / 48 = 717.5 - 166.25 = 551.25, so
|z| = 105 / sqrt(551.25) = sqrt(20) and p = erfc(sqrt(10)) = 7.744e-06. Holm
over k such tests gives k p: 1.549e-05 for two, 2.323e-05 for three. A
difference of 0 in every pair has p = 1 and A = 0.5.

Roles: the primary estimates of a claim are the measure docs/claims.md names
first for it (its "measure" row) in the scenario its rule decides on, and its
paired test where the rule is directional (docs/claims.md, "Holm wherever a
p-value decides"); the other rows are "also" or "report" as each rule states.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments.claims import verdicts
from experiments.claims.verdicts import Context, Decision
from tests.test_claim_rules import (
    MAIN_MEASURES,
    N,
    alternating,
    both,
    budget_context,
    main_context,
    mlm,
    neg_wom_context,
    part_context,
    prequalify_context,
    training_context,
)

P1 = "7.74e-06"  # one test: erfc(sqrt(10)) = 7.744e-06
P2 = "1.55e-05"  # Holm over two equal p-values: 2 x 7.744e-06 = 1.549e-05
P3 = "2.32e-05"  # Holm over three: 3 x 7.744e-06 = 2.323e-05

TOP1, TOP10 = "top_share:gross_income:0.01", "top_share:gross_income:0.1"
SHAPLEY8 = "variance_explained:ability_effort-vs-timing_position:gross_per_year_rank"
SHAPLEY9 = "variance_explained:belief_ability_effort-vs-timing_position:gross_per_year_rank"


def const(value: float) -> np.ndarray:
    """The same value in every replication: a degenerate CI [value, value]."""
    return np.full(N, value)


def constant_context(values: dict[str, dict[str, np.ndarray]]) -> Context:
    """`main_context` with every measure not given at 0.5 in every run (no bootstrap needed)."""
    ctx = main_context(values)
    given = {measure for columns in values.values() for measure in columns}
    for measure in set(MAIN_MEASURES) - given:
        ctx.parts["main"][measure] = 0.5
    return ctx


def evaluate(claim: str, ctx: Context) -> tuple[Decision, pd.DataFrame]:
    """Both passes of `evaluate_claims` for one claim (Holm over its own primary tests)."""
    decisions, estimates = verdicts.evaluate_claims(ctx, {claim: verdicts.RULES[claim]})
    return decisions[claim], estimates


# --------------------------------------------------------------- main part
MAIN_REASONS = {
    "C1": (
        mlm(success_rate=const(0.1), loss_rate=const(0.9)),
        "mlm success_rate 0.1 [0.1, 0.1], loss_rate 0.9 [0.9, 0.9]; thresholds 0.5, margin 0.05",
    ),
    # 0.05 - 0.02 = 0.03 in every pair, A = 1; minimum effect max(0.005, 0.2 x 0.02) = 0.005
    "C2": (
        both("success_rate", const(0.02), const(0.05)),
        f"referral - mlm success_rate 0.03 [0.03, 0.03], Holm p {P1}, share of pairs "
        "referral > mlm 1.00; minimum effect 0.005",
    ),
    "C3": (
        mlm(**{"rank_corr:depth,gross_per_year": const(-0.3), TOP10: const(0.7)}),
        "mlm Spearman(depth, gross per year) -0.3 [-0.3, -0.3] (claim: <= -0.1), top 10% share "
        "of gross income 0.7 [0.7, 0.7] (claim: >= 0.55)",
    ),
    # referral - mlm = -50 - (-200) = 150; minimum effect max(10, 0.2 x |-50|) = 10
    "C4": (
        both("cohort_slope:gross_per_year", const(-200.0), const(-50.0)),
        "mlm cohort slope -200 [-200, -200] $/year per year of later entry, referral - mlm "
        f"150 [150, 150] (Holm p {P1}); minimum effect 10",
    ),
    # mlm - referral = 0.2 - 0.03 = 0.17; minimum effect max(0.01, 0.2 x 0.03) = 0.01
    "C5": (
        both(TOP1, const(0.2), const(0.03)),
        "referral top 1% share of gross income 0.03 [0.03, 0.03] (claim: <= 0.08), mlm - "
        f"referral 0.17 [0.17, 0.17] (Holm p {P1}); minimum effect 0.01",
    ),
    # mlm - referral = 2 - 1 = 1; minimum effect max(0.05, 0.2 x (1 - 1)) = 0.05
    "C6": (
        both("per_sale_spread", const(2.0), const(1.0)),
        "referral per-sale spread 1 [1, 1] (check: within [1, 1.05]), mlm - referral 1 [1, 1] "
        f"(Holm p {P1}); minimum effect 0.05",
    ),
    "C7": (
        mlm(override_share__successful=const(0.8)),
        "override share of successful mlm participants 0.8 [0.8, 0.8] (claim: >= 0.55)",
    ),
    "C8": (
        {
            s: {SHAPLEY8: const(0.2), f"{SHAPLEY8}|shapley_ability_effort": const(0.3)}
            for s in ("mlm", "referral")
        },
        "mlm: Shapley difference 0.2 [0.2, 0.2] (>= 0.02), ability_effort 0.3 [0.3, 0.3] "
        "(> 0.1); referral: Shapley difference 0.2 [0.2, 0.2] (>= 0.02), ability_effort "
        "0.3 [0.3, 0.3] (> 0.1)",
    ),
    "C9": (
        {"mlm": {SHAPLEY9: const(0.2), f"{SHAPLEY9}|shapley_belief_ability_effort": const(0.4)}},
        "mlm: Shapley difference 0.2 [0.2, 0.2] (>= 0.02), belief_ability_effort 0.4 [0.4, 0.4] "
        "(> 0.25)",
    ),
    # referral - mlm = 0.9 - 0.2 = 0.7; minimum effect max(0.05, 0.2 x 0.2) = 0.05
    "C10": (
        both("retail_share", const(0.2), const(0.9)),
        "mlm retail_share 0.2 [0.2, 0.2] (claim: <= 0.45), referral - mlm 0.7 [0.7, 0.7] "
        f"(Holm p {P1}); minimum effect 0.05",
    ),
    "C11": (
        mlm(**{"partial_rank_corr:downline_size,net_per_year,tenure": const(0.3)}),
        "mlm partial Spearman(downline, net per year | tenure) 0.3 [0.3, 0.3]; minimum 0.1",
    ),
    # margin max(0.005, 0.2 x the mlm success rate 0.1) = 0.02
    "C12": (
        mlm(
            cohort_gap__success_rate=const(0.0),
            decline_from_peak=const(0.2),
            success_rate=const(0.1),
        ),
        "mlm late - early entrants' success 0 [0, 0] (claim: > -0.02), decline from peak "
        "0.2 [0.2, 0.2] (claim: < 0.5)",
    ),
    # all 20 runs have a successful team; minimum effect max(0.05, 0.2 x 0.2) = 0.05
    "C18": (
        mlm(
            team_link__given_team_success=const(0.8),
            team_link__success=const(0.5),
            team_link__given_team_loss=const(0.2),
        ),
        "mlm P(sponsor profits | team profits) 0.8 [0.8, 0.8] (claim: >= 0.55) over 20 runs "
        "with a successful team; difference to a losing team 0.5 [0.5, 0.5] (>= 0.05)",
    ),
    "C20": (
        mlm(success_rate_after_time=const(0.8)),
        "mlm share earning more than the opportunity wage per hour 0.8 [0.8, 0.8] (>= 0.55)",
    ),
    "C21": (
        mlm(**{"partial_rank_corr:downline_size,gross_per_year,tenure": const(0.3)}),
        "mlm partial Spearman(downline, gross per year | tenure) 0.3 [0.3, 0.3]; minimum 0.1",
    ),
    "C22": (
        {"referral": {"share_above:gross_per_year:15080": const(0.05)}},
        "referral share with a minimum-wage year of gross income 0.05 [0.05, 0.05] (>= 0.01)",
    ),
    "C23": (
        {"referral": {"rank_corr:ties,gross_per_year": const(0.3)}},
        "referral Spearman(ties, gross per year) 0.3 [0.3, 0.3]; minimum 0.1",
    ),
    # referral - mlm = 0.5 - 0.4 = 0.1; minimum effect max(0.02, 0.2 x 0.4) = 0.08
    "C24": (
        both("customer_retention", const(0.4), const(0.5)),
        f"referral - mlm customer_retention 0.1 [0.1, 0.1], Holm p {P1}, share of pairs "
        "referral > mlm 1.00; minimum effect 0.08",
    ),
}


@pytest.mark.parametrize("claim", list(MAIN_REASONS))
def test_main_rule_states_its_numbers_in_the_reason(claim):
    values, reason = MAIN_REASONS[claim]
    decision, _ = evaluate(claim, constant_context(values))
    assert decision.reason == reason
    assert decision.verdict == "supported"  # each case is a supported one
    assert decision.resolve is None  # a decided verdict has nothing to resolve


C19_EQUAL = {m: const(0.5) for m in verdicts.C19_MARGINS}


def _c19_text(diffs: dict[str, tuple[str, str]]) -> str:
    """The reason of C19 with each measure's difference and A as given (default 0 and 0.50)."""
    margins = {"success_rate": "0.02", "mean_net": "25"}
    parts = []
    for measure in verdicts.C19_MARGINS:
        d, a = diffs.get(measure, ("0", "0.50"))
        parts.append(f"{measure} {d} [{d}, {d}] (margin {margins.get(measure, '0.05')}, A {a})")
    return "referral - mlm: " + "; ".join(parts)


@pytest.mark.parametrize(
    ("referral", "verdict", "diffs"),
    [
        # no difference anywhere: every CI [0, 0] inside its margin, A = 0.5 negligible
        ({}, "supported", {}),
        # top10_share 0.8 - 0.5 = 0.3 in every pair: beyond its margin 0.05 with A = 1
        ({"top10_share": const(0.8)}, "refuted", {"top10_share": ("0.3", "1.00")}),
        # success 0.51 - 0.5 = 0.01 in every pair: inside the margin 0.02, but A = 1 is large
        ({"success_rate": const(0.51)}, "inconclusive", {"success_rate": ("0.01", "1.00")}),
    ],
)
def test_c19_states_every_measure_in_each_verdict(referral, verdict, diffs):
    ctx = constant_context({"mlm": C19_EQUAL, "referral": {**C19_EQUAL, **referral}})
    decision, _ = evaluate("C19", ctx)
    assert decision.verdict == verdict
    assert decision.reason == _c19_text(diffs)


@pytest.mark.parametrize(
    ("claim", "measure", "x", "threshold"),
    [
        # mean 0.55, CI about +-0.11: straddles the bar 0.5 and reaches past 0.5 + 0.05
        ("C7", "override_share:successful", alternating(0.3, 0.8), 0.55),
        # mean 0.1, CI about +-0.09: straddles 0 and reaches past the minimum 0.1
        ("C11", "partial_rank_corr:downline_size,net_per_year,tenure", alternating(-0.1, 0.3), 0.1),
    ],
)
def test_an_inconclusive_level_rule_keeps_its_values_to_resolve(claim, measure, x, threshold):
    """The per-run values and the bar (threshold plus margin) to estimate replications from."""
    decision, _ = evaluate(claim, constant_context({"mlm": {measure: x}}))
    assert decision.verdict == "inconclusive"
    resolved, bar = decision.resolve
    assert np.array_equal(resolved, x)
    assert bar == threshold


def test_c25_states_its_numbers_in_the_reason():
    # 1300 - 1000 = 300 in every pair; minimum effect max(100, 0.2 x 1000) = 200
    decision, _ = evaluate("C25", prequalify_context(const(1000.0), const(1300.0)))
    assert decision.reason == (
        f"mlm_prequalify - mlm founders_mean:net_per_year 300 [300, 300], Holm p {P1}, share of "
        "pairs mlm_prequalify > mlm 1.00; minimum effect 200"
    )


# ------------------------------------------------------------------- budget (C13)
SCALES = (0.5, 1.0, 2.0)


@pytest.mark.parametrize(
    ("loss", "verdict", "prefix"),
    [
        ({0.5: 0.05, 1.0: 0.05, 2.0: 0.05}, "supported", ""),
        # half a year's budget lost only when budgets are halved: supported and refuted scales
        ({0.5: 0.5, 1.0: 0.05, 2.0: 0.05}, "depends-on", "the budget scale: "),
    ],
)
def test_c13_states_every_budget_scale(loss, verdict, prefix):
    ctx = budget_context({s: const(0.0) for s in SCALES}, {s: const(v) for s, v in loss.items()})
    decision, _ = evaluate("C13", ctx)
    assert decision.verdict == verdict
    # margin max(0.005, 0.2 x success rate 0.1) = 0.02 at every scale
    texts = [
        f"scale {s:g}: gap 0 [0, 0] (> -0.02), loss {v:g} [{v:g}, {v:g}]" for s, v in loss.items()
    ]
    assert decision.reason == (
        f"{prefix}mlm bottom - top budget quintile success, and median loss in years of budget "
        f"(claim: < 0.1): {'; '.join(texts)}"
    )


# ------------------------------------------------------------ training (C14, C15)
def training_constants(free: float, paid: float) -> Context:
    """Success 0.02 untrained, + free when trained for nothing, + paid when trained at $25."""
    return training_context(free, paid, sd=0.0)


@pytest.mark.parametrize(("claim", "scenario"), [("C14", "referral"), ("C15", "mlm")])
@pytest.mark.parametrize(
    ("free", "paid", "verdict", "prefix"),
    [
        # 0.07 - 0.02 = 0.05 and 0.06 - 0.02 = 0.04, both above the minimum effect
        (0.05, 0.04, "supported", ""),
        # 0.07 - 0.02 = 0.05 free, but -0.03 - 0.02 = -0.05 when paid for: supported vs refuted
        (0.05, -0.05, "depends-on", "the cost of training: "),
    ],
)
def test_training_rules_state_both_costs(claim, scenario, free, paid, verdict, prefix):
    decision, _ = evaluate(claim, training_constants(free, paid))
    assert decision.verdict == verdict
    # both tests in Holm's family of two; minimum effect max(0.005, 0.2 x 0.02) = 0.005
    assert decision.reason == (
        f"{prefix}{scenario} success_rate, training_effect 0.5 - none {free:g} [{free:g}, "
        f"{free:g}] (Holm p {P2}); with training_cost $25/month {paid:g} [{paid:g}, {paid:g}] "
        f"(Holm p {P2}); minimum effect 0.005"
    )


# ----------------------------------------------------------------- leads (C16)
LEAD_COSTS = (0.25, 1.0, 4.0)


def leads_constants(gain: dict[float, float]) -> Context:
    """Net -300 without leads; -300 + gain[cost] with 20 leads a month, in every replication."""
    rows = []
    for scenario in ("mlm", "referral"):
        for rep in range(N):
            for leads in (0.0, 20.0):
                for cost in LEAD_COSTS:
                    rows.append(
                        {
                            "scenario": scenario,
                            "replication": rep,
                            "leads_per_month": leads,
                            "cost_per_lead": cost,
                            "mean_net": -300.0 + (gain[cost] if leads else 0.0),
                            "success_rate": 0.01,
                            "quantile_gap:budget:success_rate": 0.0,
                        }
                    )
    return part_context("leads", rows, ["leads_per_month", "cost_per_lead"], {})


@pytest.mark.parametrize(
    ("gain", "reason"),
    [
        (  # $100 more at every price: supported at each (minimum $10); no break-even inside
            {0.25: 100.0, 1.0: 100.0, 4.0: 100.0},
            f"mlm mean_net with 20 leads/month at $1 - without 100 [100, 100] (Holm p {P3}); at "
            "$0.25 / $1 / $4 per lead: 100, 100, 100 (supported, supported, supported); "
            "break-even cost per lead outside [$0.25, $4] (always above 0)",
        ),
        (  # 100 - 200 c: +50 at $0.25, -100 at $1, -700 at $4; crosses 0 at
            # 0.25 + 0.75 x 50 / 150 = $0.5
            {0.25: 50.0, 1.0: -100.0, 4.0: -700.0},
            "the price of leads: mlm mean_net with 20 leads/month at $1 - without -100 "
            f"[-100, -100] (Holm p {P3}); at $0.25 / $1 / $4 per lead: 50, -100, -700 "
            "(supported, refuted, refuted); break-even cost per lead $0.5",
        ),
    ],
)
def test_c16_states_every_lead_price(gain, reason):
    decision, _ = evaluate("C16", leads_constants(gain))
    assert decision.reason == reason


# --------------------------------------------------- negative word of mouth (C17)
def neg_wom_constants(weights: dict[str, tuple[float, float]]) -> Context:
    """Revenue 1e6 x (1 - wom_weight x strength - shock_weight x shock) in every replication."""
    return neg_wom_context(weights, noise=0.0)


@pytest.mark.parametrize(
    ("referral", "verdict", "reason"),
    [
        (  # word of mouth 1.5 x 0.2 = 0.3 against a shock 0.1 x 0.2 = 0.02: 0.28 in both
            (1.5, 0.1),
            "supported",
            "mlm: word of mouth 0.2 - 20% shock 0.28 [0.28, 0.28]; referral: word of mouth 0.2 "
            "- 20% shock 0.28 [0.28, 0.28]",
        ),
        (  # referral the other way round: 0.1 x 0.2 - 1.5 x 0.2 = -0.28, refuted
            (0.1, 1.5),
            "depends-on",
            "the regime: mlm: word of mouth 0.2 - 20% shock 0.28 [0.28, 0.28]; referral: word of "
            "mouth 0.2 - 20% shock -0.28 [-0.28, -0.28]",
        ),
    ],
)
def test_c17_states_both_regimes(referral, verdict, reason):
    decision, _ = evaluate("C17", neg_wom_constants({"mlm": (1.5, 0.1), "referral": referral}))
    assert decision.verdict == verdict
    assert decision.reason == reason


# ------------------------------------------------------------------------ roles
def _levels(role: str, scenarios: tuple[str, ...], *measures: str) -> dict:
    return {("level", s, m): role for s in scenarios for m in measures}


MLM, REF, BOTH = ("mlm",), ("referral",), ("mlm", "referral")
C8_NET = "variance_explained:ability_effort-vs-timing_position:net_per_year"

MAIN_ROLES = {
    "C1": {
        **_levels("primary", MLM, "success_rate"),
        **_levels("also", MLM, "loss_rate", "success_rate_after_time"),
    },
    "C2": {
        ("paired", "referral - mlm", "success_rate"): "primary",
        ("paired", "referral - mlm", "success_rate_after_time"): "also",
        **_levels("also", BOTH, "success_rate"),
        **_levels("report", BOTH, "winners_per_1000_people", "losers_per_1000_people"),
    },
    "C3": {
        **_levels("primary", MLM, "rank_corr:depth,gross_per_year"),
        **_levels("also", MLM, TOP10),
        **_levels("report", REF, "rank_corr:depth,gross_per_year", TOP10),
        ("paired", "mlm - referral", "rank_corr:depth,gross_per_year"): "report",
    },
    "C4": {
        **_levels("primary", MLM, "cohort_slope:gross_per_year"),
        ("paired", "referral - mlm", "cohort_slope:gross_per_year"): "primary",
        **_levels("report", REF, "cohort_slope:gross_per_year"),
        **_levels("report", BOTH, "rank_corr:join_month,gross_per_year"),
    },
    "C5": {
        **_levels("primary", REF, TOP1),
        ("paired", "mlm - referral", TOP1): "primary",
        **_levels("report", MLM, TOP1),
        **_levels(
            "report", BOTH, "gini_commissions", "override_share", "quantile:gross_per_year:0.99"
        ),
    },
    "C6": {
        **_levels("primary", REF, "per_sale_spread"),
        ("paired", "mlm - referral", "per_sale_spread"): "primary",
        **_levels("report", MLM, "per_sale_spread", "override_share"),
    },
    "C7": {
        **_levels("primary", MLM, "override_share:successful"),
        **_levels("also", MLM, "override_share:top10"),
    },
    "C8": {
        **_levels("primary", BOTH, SHAPLEY8),
        **_levels("also", BOTH, f"{SHAPLEY8}|shapley_ability_effort", C8_NET),
    },
    "C9": {
        **_levels("primary", MLM, SHAPLEY9),
        **_levels("also", MLM, f"{SHAPLEY9}|shapley_belief_ability_effort"),
    },
    "C10": {
        **_levels("primary", MLM, "retail_share"),
        ("paired", "referral - mlm", "retail_share"): "primary",
        **_levels("report", REF, "retail_share"),
        **_levels("also", MLM, "override_share"),
    },
    "C11": {
        **_levels("primary", MLM, "partial_rank_corr:downline_size,net_per_year,tenure"),
        **_levels("also", MLM, "rank_corr:downline_size,gross_per_year", "success_gap:recruiters"),
        **_levels("report", REF, "partial_rank_corr:downline_size,net_per_year,tenure"),
    },
    "C12": {
        **_levels("primary", MLM, "cohort_gap:success_rate"),
        **_levels("also", MLM, "decline_from_peak", "peak_month", "cohort_gap:gross_per_year"),
        **_levels("report", REF, "decline_from_peak"),
    },
    "C18": {
        **_levels("primary", MLM, "team_link:given_team_success"),
        **_levels("also", MLM, "team_link:success", "team_link:given_team_loss"),
        **_levels(
            "report",
            REF,
            "team_link:given_team_success",
            "team_link:success",
            "team_link:given_team_loss",
        ),
    },
    "C19": {
        ("paired", "referral - mlm", m): "primary" if m == "success_rate" else "also"
        for m in verdicts.C19_MARGINS
    },
    "C20": {
        **_levels("primary", MLM, "success_rate_after_time"),
        **_levels("report", BOTH, "quantile:net_per_year:0.5", "quantile:hours_per_month:0.5"),
        **_levels("report", REF, "success_rate_after_time"),
    },
    "C21": {
        **_levels("primary", MLM, "partial_rank_corr:downline_size,gross_per_year,tenure"),
        **_levels("also", MLM, "override_share"),
    },
    "C22": {
        **_levels("primary", REF, "share_above:gross_per_year:15080"),
        **_levels("report", MLM, "share_above:gross_per_year:15080"),
        **_levels(
            "report", BOTH, *(f"quantile:gross_per_year:{q}" for q in ("0.5", "0.9", "0.99"))
        ),
    },
    "C23": {
        **_levels("primary", REF, "rank_corr:ties,gross_per_year"),
        **_levels("report", MLM, "rank_corr:ties,gross_per_year"),
    },
    "C24": {
        ("paired", "referral - mlm", "customer_retention"): "primary",
        **_levels("also", BOTH, "customer_retention"),
    },
}


def _roles(estimates: pd.DataFrame) -> dict:
    return {(r.kind, r.scenario, r.measure): r.role for r in estimates.itertuples()}


@pytest.mark.parametrize("claim", list(MAIN_ROLES))
def test_main_rule_records_each_estimate_with_its_role(claim):
    ctx = constant_context(MAIN_REASONS[claim][0] if claim in MAIN_REASONS else {})
    # C2 reports winners and losers per 1000 people when the scenarios' sizes are known
    ctx.scenarios = {"main": pd.DataFrame({"n_people": [1000, 1000]}, index=["mlm", "referral"])}
    _, estimates = evaluate(claim, ctx)
    assert _roles(estimates) == MAIN_ROLES[claim]
    assert set(estimates["part"]) == {"main"}
    assert set(estimates["condition"]) == {""}


def test_c25_records_its_paired_test_as_primary_and_the_levels_as_report():
    _, estimates = evaluate("C25", prequalify_context(const(1000.0), const(1300.0)))
    measures = ("founders_mean:gross_per_year", "participants_ever", "success_rate")
    assert _roles(estimates) == {
        ("paired", "mlm_prequalify - mlm", "founders_mean:net_per_year"): "primary",
        **_levels("report", ("mlm_prequalify", "mlm"), *measures),
    }


def test_c13_records_the_default_budget_scale_as_primary():
    ctx = budget_context({s: const(0.0) for s in SCALES}, {s: const(0.05) for s in SCALES})
    _, estimates = evaluate("C13", ctx)
    gap, loss = "quantile_gap:budget:success_rate", "loss_budget_share"
    assert _roles(estimates) == {
        **_levels("primary", ("mlm",), gap, loss),
        **_levels("report", ("mlm_0.5", "mlm_2"), gap, loss),
        **_levels("report", ("mlm_0.5", "mlm", "mlm_2"), "quantile_gap:budget:net_per_year"),
        **_levels("report", ("referral_0.5", "referral", "referral_2"), gap),
    }


def _point(effect: float, cost: float) -> str:
    return (
        f"training_effect={effect:g}, training_cost={cost:g} vs training_effect=0, training_cost=0"
    )


@pytest.mark.parametrize(("claim", "scenario"), [("C14", "referral"), ("C15", "mlm")])
def test_training_rules_record_both_tests_as_primary_and_the_grid_as_report(claim, scenario):
    _, estimates = evaluate(claim, training_constants(0.05, 0.04))
    roles = {(r.scenario, r.measure, r.condition): r.role for r in estimates.itertuples()}
    assert roles == {
        (scenario, "success_rate", _point(0.5, 0)): "primary",
        (scenario, "success_rate", _point(0.5, 25)): "primary",
        (scenario, "mean_net", _point(0.5, 0)): "also",
        # every other grid point against the untrained one
        (scenario, "success_rate", _point(0, 25)): "report",
        (scenario, "mean_net", _point(0, 25)): "report",
        (scenario, "mean_net", _point(0.5, 25)): "report",
    }
    assert set(estimates["kind"]) == {"paired"}


def test_c16_records_the_mlm_test_at_one_dollar_as_primary():
    _, estimates = evaluate("C16", leads_constants({c: 100.0 for c in LEAD_COSTS}))
    roles = {(r.kind, r.scenario, r.measure, r.condition): r.role for r in estimates.itertuples()}
    expected = {}
    for scenario in ("mlm", "referral"):
        for cost in LEAD_COSTS:
            with_leads = f"leads_per_month=20, cost_per_lead={cost:g}"
            without = f"leads_per_month=0, cost_per_lead={cost:g}"
            tested = "primary" if (scenario, cost) == ("mlm", 1.0) else "report"
            expected[("paired", scenario, "mean_net", f"{with_leads} vs {without}")] = tested
            expected[("paired", scenario, "success_rate", f"{with_leads} vs {without}")] = "report"
            for point in (with_leads, without):
                expected[("level", scenario, "quantile_gap:budget:success_rate", point)] = "report"
    assert roles == expected


def test_c17_records_the_main_pair_as_primary_and_every_drop_as_report():
    _, estimates = evaluate("C17", neg_wom_constants({"mlm": (1.5, 0.1), "referral": (1.5, 0.1)}))
    assert set(estimates["part"]) == {"neg_wom"}
    assert set(estimates["condition"]) == {""}
    levels = estimates[estimates["kind"] == "level"]
    # every shocked scenario's drop in revenue and in participants, against its regime's baseline
    shocked = [f"{r}_{c}" for r in ("mlm", "referral") for c in ("wom10", "wom20", "wom40")]
    shocked += [f"{r}_shock{k}" for r in ("mlm", "referral") for k in (10, 20, 30)]
    assert _roles(levels) == _levels(
        "report", tuple(shocked), "relative_drop:company_revenue", "relative_drop:participants_ever"
    )
    paired = estimates[estimates["kind"] == "paired"]
    assert set(paired["measure"]) == {"relative_drop:company_revenue"}
    primary = {r.scenario for r in paired.itertuples() if r.role == "primary"}
    assert primary == {"mlm_wom20 - mlm_shock20", "referral_wom20 - referral_shock20"}
    assert set(paired["role"]) == {"primary", "report"}
    assert len(paired) == 18  # 3 strengths x 3 shocks x 2 regimes
