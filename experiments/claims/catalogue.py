"""The claims catalogue as data: what each article claims and how the model tests it.

`CLAIMS` holds one `Claim` per testable claim of the five articles in
``../shared/seeds/``; ``docs/claims.md`` describes the same claims for
readers, with the verdict conventions, the measures' exact definitions and
the places where the articles contradict each other. This module stores data
only: the verdict logic lives in the analysis module.

Measures are machine-usable strings (`parse_measure`):

* a per-run metric of `model.metrics.run_metrics`, e.g. ``"success_rate"``;
* or a named statistic ``family[:arguments]`` from `NAMED_STATISTICS`, e.g.
  ``"rank_corr:depth,net_profit"`` or
  ``"variance_explained:ability_effort-vs-timing_position"`` (predictor groups
  in `PREDICTOR_GROUPS`).

Contrasts (the field `Claim.contrast`) say which runs are compared:

* ``""``: the measure's level in each listed scenario, over replications;
* ``"scenario:A-B"``: paired difference A - B (same seeds: common random numbers);
* ``"design:P"``: each design point with P > 0 against the baseline point
  (P = 0 and every other swept cost at 0), same scenario and seed;
* ``"factors:P-vs-Q"``: the relative drop caused by P against that caused by Q,
  both from the point where P = Q = 0, same scenario and seed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

__all__ = [
    "CLAIMS",
    "DEPTH_SCENARIOS",
    "DERIVED_COLUMNS",
    "EXPERIMENTS",
    "NAMED_STATISTICS",
    "PARTICIPANT_COLUMNS",
    "PREDICTOR_GROUPS",
    "REGIMES",
    "RUN_METRICS",
    "VERDICTS",
    "Claim",
    "claim_by_id",
    "is_known_measure",
    "parse_measure",
]

Regime = Literal["mlm", "referral", "both"]
REGIMES: tuple[str, ...] = ("mlm", "referral", "both")
VERDICTS: tuple[str, ...] = ("supported", "refuted", "depends-on", "inconclusive")

RUN_METRICS: tuple[str, ...] = (
    "participants_ever",
    "success_rate",
    "success_rate_after_time",
    "loss_rate",
    "median_net",
    "mean_net",
    "p90_net",
    "p99_net",
    "gini_commissions",
    "gini_net",
    "top1_share",
    "top10_share",
    "override_share",
    "retail_share",
    "payout_ratio",
    "peak_participants",
    "peak_month",
    "final_participants",
    "monthly_churn",
    "annual_churn",
    "customer_retention",
    "company_revenue",
    "company_margin",
)

PARTICIPANT_COLUMNS: tuple[str, ...] = (
    "id",
    "join_month",
    "quit_month",
    "sponsor",
    "depth",
    "downline_size",
    "ties",
    "affinity",
    "skill",
    "propensity",
    "hours",
    "budget",
    "retail_profit",
    "commissions",
    "override_income",
    "fees",
    "product_spend_excess",
    "lead_spend",
    "business_expenses",
    "hours_worked",
    "net_profit",
    "net_profit_after_time",
)

PREDICTOR_GROUPS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "ability_effort": ("skill", "hours"),
        "belief_ability_effort": ("affinity", "skill", "hours"),
        "timing_position": ("join_month", "depth"),
        "timing_position_downline": ("join_month", "depth", "downline_size"),
    }
)

NAMED_STATISTICS: Mapping[str, str] = MappingProxyType(
    {
        "decline_from_peak": "1 - final_participants / peak_participants (NaN if the peak is 0)",
        "rank_corr": "rank_corr:X,Y - Spearman correlation of participant columns X and Y",
        "partial_rank_corr": (
            "partial_rank_corr:X,Y,Z - Spearman partial correlation of X and Y given Z: "
            "Pearson correlation of the residuals of rank(X) and rank(Y) after a linear fit "
            "on rank(Z); Z may be the derived column tenure"
        ),
        "cohort_slope": (
            "cohort_slope:COL - slope of the cohort mean of COL on the entry cohort "
            "(12-month cohorts joined at least 24 months before the horizon; "
            "weighted least squares, weights = cohort sizes), per year of later entry"
        ),
        "cohort_gap": (
            "cohort_gap:OUT - OUT among the later half of the eligible entry months "
            "minus the earlier half (eligible: joined at least 24 months before the "
            "horizon); OUT is success_rate (share with net_profit > 0) or a column (mean)"
        ),
        "override_share": (
            "override_share:GROUP - sum(override_income) / sum(retail_profit + commissions) "
            "over GROUP: all, successful (net_profit > 0) or top10 (top 10% by net_profit)"
        ),
        "per_sale_spread": (
            "90th / 10th percentile of gross / own income, gross = retail_profit + "
            "commissions, own = gross - override_income, over participants with own > 0"
        ),
        "variance_explained": (
            "variance_explained:A-vs-B - Shapley share of the R^2 of net_profit of "
            "predictor group A minus that of group B (model.metrics.variance_explained)"
        ),
        "success_gap": (
            "success_gap:recruiters - success rate of participants with downline_size >= 1 "
            "minus that of participants with downline_size == 0"
        ),
        "quantile_gap": (
            "quantile_gap:TRAIT:OUT - OUT in the bottom quintile of participants' TRAIT "
            "minus OUT in the top quintile; OUT is success_rate or a column (mean)"
        ),
        "team_link": (
            "team_link:KIND - over participants with at least one direct recruit (sponsor), "
            "team success = a majority of direct recruits have net_profit > 0; "
            "given_team_success = P(own net_profit > 0 | team success), given_team_loss = "
            "P(own net_profit > 0 | no team success), success = their difference"
        ),
        "relative_drop": (
            "relative_drop:METRIC - 1 - METRIC / METRIC at the baseline design point, "
            "same scenario and seed"
        ),
        "top_share": "top_share:COL:Q - share of the run's total COL held by the top fraction Q",
        "share_above": "share_above:COL:X - share of participants with COL >= X",
        "quantile": "quantile:COL:Q - the Q-quantile of COL over the run's participants",
        "founders_mean": (
            "founders_mean:COL - mean of COL over the founders (join_month 0): the same "
            "people in every scenario run with the same seed"
        ),
        "loss_budget_share": (
            "median, over participants with net_profit < 0, of the loss in years of their "
            "own budget: -net_profit / (12 budget)"
        ),
    }
)

DERIVED_COLUMNS: Mapping[str, str] = MappingProxyType(
    {
        "tenure": "months active: (quit_month, or the horizon if still active) - join_month",
        "gross_income": "gross business income: retail_profit + commissions",
        "gross_per_year": (
            "gross_income per year in the business: gross_income / (max(tenure, 1) / 12)"
        ),
        "gross_per_year_rank": "percentile rank of gross_per_year in the run (average ranks / n)",
        "net_per_year": "net_profit per year in business: net_profit / (max(tenure, 1) / 12)",
        "hours_per_month": "effort, hours worked per month: hours_worked / max(tenure, 1)",
    }
)
_COLUMNS = (*PARTICIPANT_COLUMNS, *DERIVED_COLUMNS)

_COHORT_OUTCOMES = ("success_rate", *PARTICIPANT_COLUMNS, *DERIVED_COLUMNS)
_TEAM_LINK_KINDS = ("success", "given_team_success", "given_team_loss")
_OVERRIDE_GROUPS = ("all", "successful", "top10")

DEPTH_SCENARIOS: tuple[str, ...] = ("referral", *(f"unilevel_{k}" for k in range(1, 8)))

EXPERIMENTS: Mapping[str, str] = MappingProxyType(
    {
        "claims": "paired scenarios mlm (unilevel) and referral at the defaults, common seeds",
        "training": "training_effect 0 vs > 0 (with training_cost 0 and > 0), mlm and referral",
        "leads": "leads_per_month 0 vs > 0 at several cost_per_lead, mlm and referral",
        "budget": "outcomes by participants' budget quintile; budget scale 0.5, 1, 2",
        "prequalify": "mlm with and without prequalifying prospects, common seeds",
        "depth": "referral, then unilevel with 1..7 levels at a constant 35% total payout",
        "neg_wom": (
            "negative word-of-mouth strength against an economic shock to budgets, one at a time"
        ),
        "robustness": (
            "Latin hypercube over uncertain behavioural and structural parameters, mlm and referral"
        ),
    }
)


@dataclass(frozen=True)
class Claim:
    """One testable claim and how it is tested.

    Attributes:
        id: "C1", "C2", ... in catalogue order.
        quote: the exact sentence(s) of the article, verbatim.
        source: the article's file name in ``../shared/seeds/``.
        regime: what the claim is about: "mlm", "referral" (word of mouth /
            network marketing in the referral sense) or "both".
        measure: the primary measure: a run metric or a named statistic.
        experiment: the experiment that tests it (a key of `EXPERIMENTS`).
        scenarios: the scenarios compared or evaluated.
        statistic: how the measure is summarised over runs.
        verdict_rule: what supports and what refutes the claim.
        summary: the claim in one line.
        also: further measures the rule uses or the report shows with it.
        contrast: which runs are compared (see the module docstring).
        notes: caveats: construct validity, confounds, what is by construction.
        fair: why the measure is a fair reading of the claim.
        refuted_if: the result that would refute the claim.
    """

    id: str
    quote: str
    source: str
    regime: Regime
    measure: str
    experiment: str
    scenarios: tuple[str, ...]
    statistic: str
    verdict_rule: str
    summary: str = ""
    also: tuple[str, ...] = ()
    contrast: str = ""
    notes: str = ""
    fair: str = ""
    refuted_if: str = ""

    def __post_init__(self) -> None:
        if self.regime not in REGIMES:
            raise ValueError(f"{self.id}: regime must be one of {REGIMES}, got {self.regime!r}")
        if not isinstance(self.scenarios, tuple) or not isinstance(self.also, tuple):
            raise TypeError(f"{self.id}: scenarios and also must be tuples")

    @property
    def measures(self) -> tuple[str, ...]:
        """The primary measure followed by the others."""
        return (self.measure, *self.also)


def parse_measure(measure: str) -> tuple[str, tuple[str, ...]]:
    """Split a measure into its family and arguments.

    Args:
        measure: e.g. ``"success_rate"``, ``"rank_corr:depth,net_profit"``,
            ``"variance_explained:ability_effort-vs-timing_position"``,
            ``"quantile_gap:budget:success_rate"``.

    Returns:
        ``(family, args)``: a run metric has family ``"run_metric"`` and its name
        as the only argument; otherwise the family and its arguments, split at
        ``:``, ``,`` and ``-vs-``.

    Raises:
        ValueError: for an unknown family or malformed arguments.
    """
    if measure in RUN_METRICS:
        return "run_metric", (measure,)
    family, _, rest = measure.partition(":")
    if family not in NAMED_STATISTICS:
        raise ValueError(f"unknown measure {measure!r}")
    args: tuple[str, ...]
    if family in ("decline_from_peak", "per_sale_spread", "loss_budget_share"):
        args = ()
        ok = rest == ""
    elif family == "rank_corr":
        args = tuple(rest.split(","))
        ok = len(args) == 2 and all(a in _COLUMNS for a in args)
    elif family == "partial_rank_corr":
        args = tuple(rest.split(","))
        ok = len(args) == 3 and all(a in _COLUMNS for a in args) and len(set(args)) == 3
    elif family in ("cohort_slope", "founders_mean"):
        args = (rest,)
        ok = rest in _COLUMNS
    elif family in ("top_share", "share_above", "quantile"):
        args = tuple(rest.split(":"))
        ok = len(args) == 2 and args[0] in _COLUMNS and _is_number(args[1])
        if ok and family != "share_above":
            ok = 0 < float(args[1]) < 1
    elif family == "cohort_gap":
        args = (rest,)
        ok = rest in _COHORT_OUTCOMES
    elif family == "override_share":
        args = (rest,)
        ok = rest in _OVERRIDE_GROUPS
    elif family == "variance_explained":
        groups, _, target = rest.partition(":")
        args = (*groups.split("-vs-"), target or "net_profit")
        ok = (
            len(args) == 3
            and all(a in PREDICTOR_GROUPS for a in args[:2])
            and args[0] != args[1]
            and args[2] in _COLUMNS
        )
    elif family == "success_gap":
        args = (rest,)
        ok = rest == "recruiters"
    elif family == "quantile_gap":
        args = tuple(rest.split(":"))
        ok = len(args) == 2 and args[0] in PARTICIPANT_COLUMNS and args[1] in _COHORT_OUTCOMES
    elif family == "team_link":
        args = (rest,)
        ok = rest in _TEAM_LINK_KINDS
    else:  # relative_drop
        args = (rest,)
        ok = rest in RUN_METRICS
    if not ok:
        raise ValueError(f"malformed arguments in measure {measure!r}")
    return family, args


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def is_known_measure(measure: str) -> bool:
    """Whether `parse_measure` accepts ``measure``."""
    try:
        parse_measure(measure)
    except ValueError:
        return False
    return True


S000 = "000_f541255f3f75e278.txt"
S001 = "001_8dd5c5e6d0ed4daf.txt"
S002 = "002_33a86e737279249d.txt"
S003 = "003_fcea9b87ae7cef74.txt"
S004 = "004_f157853daad9b256.txt"

_PAIRED = (
    "paired difference over replications (common random numbers): mean with a 95% BCa "
    "bootstrap CI, Wilcoxon signed-rank p (Holm-adjusted over the catalogue), "
    "Vargha-Delaney A"
)
_LEVEL = "mean over replications with a 95% BCa bootstrap CI, per scenario"

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="C1",
        summary="MLM success rates are low and most participants lose money",
        quote=(
            "The success rate in MLM is often low, with many salespeople failing to make "
            "a profit or even losing money."
        ),
        source=S003,
        regime="mlm",
        measure="success_rate",
        also=("loss_rate", "success_rate_after_time"),
        experiment="claims",
        scenarios=("mlm",),
        statistic=f"{_LEVEL}; success_rate_after_time reported with them",
        verdict_rule=(
            "level rule with margin 0.05: supported if the CI of 0.5 - success_rate and of "
            "loss_rate - 0.5 both lie above 0 with estimates >= 0.05 (fewer than 45% profit, "
            "more than 55% lose); refuted if the CI of either lies entirely below 0.05 (no "
            "majority of the claimed size); inconclusive otherwise. Robustness flag: the same "
            "rule on the point means"
        ),
        notes=(
            "'low' and 'many' are read as 'fewer than half profit' and 'more than half lose'. "
            "Success is over everyone who ever participated, including early quitters."
        ),
        fair=(
            "Success and loss are counted over everyone who ever joined, as the surveys "
            "behind the claim count them; net profit books every dollar the participant paid "
            "and received, before any value of time."
        ),
        refuted_if=(
            "Fewer than 55% losing money, or more than 45% making a profit, in the runs at "
            "the defaults."
        ),
    ),
    Claim(
        id="C2",
        summary="network marketing (referral) has a higher success rate than MLM",
        quote=(
            "In Network Marketing, the success rate is generally higher, as the focus is "
            "more on selling products and building relationships with customers."
        ),
        source=S003,
        regime="both",
        measure="success_rate",
        also=("success_rate_after_time",),
        experiment="claims",
        scenarios=("referral", "mlm"),
        contrast="scenario:referral-mlm",
        statistic=(
            f"{_PAIRED}; winners and losers per 1,000 people (rate x participants_ever / "
            "n_people) and the depth experiment's success_rate by number of levels reported"
        ),
        verdict_rule=(
            "directional rule: supported if the CI of referral - mlm lies above 0, the "
            "estimate is at least the minimum effect max(0.005, 0.2 x the mlm success rate) "
            "and the Holm-adjusted p < 0.05; refuted if the CI's upper bound is below that "
            "minimum effect; inconclusive otherwise"
        ),
        notes=(
            "003's 'network marketing' pays on the sales of 'people in their network', closer "
            "to a shallow multi-level plan than to the referral plan; the depth experiment "
            "(unilevel with 1-2 levels) tests that reading. Referral participants are "
            "customers who chose to join, so the two denominators differ; the per-1,000-people "
            "counts show whether a higher rate comes from fewer participants."
        ),
        fair=(
            "Both regimes run on the same people, network and seeds, and success is net "
            "profit > 0 in both, so the difference is caused by the plan; the minimum effect "
            "is relative to MLM's own rate, so a rate of 1-2% can still be beaten by a "
            "practical margin."
        ),
        refuted_if=(
            "A referral success rate less than max(0.5 points, 20% of MLM's rate) above MLM's."
        ),
    ),
    Claim(
        id="C3",
        summary="MLM income is pyramid-shaped: those at the top of the tree benefit most",
        quote=(
            "In MLM, the compensation structure typically involves multiple levels of "
            "commissions, with higher levels earning more than lower levels. This can create "
            "a pyramid-like structure where those at the top benefit the most."
        ),
        source=S003,
        regime="mlm",
        measure="rank_corr:depth,gross_per_year",
        also=("top_share:gross_income:0.1",),
        experiment="claims",
        scenarios=("mlm", "referral"),
        statistic=(
            f"{_LEVEL}; the same under referral and the paired difference mlm - referral reported"
        ),
        verdict_rule=(
            "supported if under mlm the CI of minus the Spearman correlation of depth with "
            "gross_per_year lies above 0 with estimate >= 0.1 (higher levels, smaller depth, "
            "earn more) and the CI of top_share:gross_income:0.1 - 0.5 lies above 0 with "
            "estimate >= 0.05 (the top tenth take most gross income); refuted if either CI "
            "lies entirely below its minimum effect; inconclusive otherwise"
        ),
        notes=(
            "Depth is correlated with entry time (deeper people joined later); C4 and C8 "
            "separate timing from position."
        ),
        fair=(
            "Gross business income per year in the business is what the plan pays, before the "
            "participant's own costs and independent of how long each stayed; the same "
            "measure is computed under referral."
        ),
        refuted_if=(
            "A correlation of depth with gross income per year weaker than -0.1, or a top "
            "tenth taking less than 55% of gross income."
        ),
    ),
    Claim(
        id="C4",
        summary="pay starts from the top of the line: early entrants earn most in MLM",
        quote=(
            "As the team brings in more distributors, they all get a percentage, and the pay "
            "starts from the top (remember, like the owner of Wal-Mart) down. With the person "
            "at the top of the line getting a higher percentage and the rest is trickling "
            "down the line."
        ),
        source=S002,
        regime="mlm",
        measure="cohort_slope:gross_per_year",
        also=("rank_corr:join_month,gross_per_year",),
        experiment="claims",
        scenarios=("mlm", "referral"),
        contrast="scenario:referral-mlm",
        statistic=f"{_LEVEL}; {_PAIRED} of the slope",
        verdict_rule=(
            "supported if the CI of the mlm cohort slope of gross_per_year lies below 0 and "
            "the directional rule on referral - mlm (the early advantage is larger under MLM) "
            "is supported with minimum effect max($10, 0.2 x |referral slope|) per year of "
            "later entry; refuted if the mlm slope's CI lies above 0 or the directional rule "
            "is refuted; inconclusive otherwise"
        ),
        notes=(
            "In a sponsorship tree the top of the line is the earliest entrants. Late cohorts "
            "have less time to earn or lose (right-censoring): only cohorts joined at least "
            "24 months before the horizon are used."
        ),
        fair=(
            "Income per year in the business removes the head start of having been in longer; "
            "the referral plan on the same people shows how much of the early advantage "
            "market saturation alone gives, so only the excess is credited to the pay "
            "structure."
        ),
        refuted_if=(
            "An early-entrant advantage under MLM no larger (by $10 a year per year of entry, "
            "or 20%) than under referral."
        ),
    ),
    Claim(
        id="C5",
        summary='word-of-mouth selling has no downline and no "fat cat" at the top',
        quote="There’s no downline building required, nor is there a “fat cat” sitting at the top.",
        source=S002,
        regime="referral",
        measure="top_share:gross_income:0.01",
        also=("gini_commissions", "override_share", "quantile:gross_per_year:0.99"),
        experiment="claims",
        scenarios=("referral", "mlm"),
        contrast="scenario:mlm-referral",
        statistic=f"{_LEVEL}; {_PAIRED} (mlm - referral)",
        verdict_rule=(
            "supported if under referral the CI of 0.10 - top_share:gross_income:0.01 lies "
            "above 0 with estimate >= 0.02 (the top 1% take under 8% of gross income) and the "
            "directional rule on mlm - referral is supported with minimum effect max(0.01, "
            "0.2 x the referral share); refuted if either is refuted (top 1% take 8% or more, "
            "or MLM concentrates no more); inconclusive otherwise"
        ),
        notes=(
            "The referral plan pays nothing on other people's volume, so override_share is 0 "
            "by construction (a check, not evidence); the test is whether skill, hours and "
            "luck alone create a fat cat."
        ),
        fair=(
            "Gross business income (retail profit plus commissions) is counted in both "
            "regimes: comparing MLM overrides with all referral income would compare "
            "different things."
        ),
        refuted_if=(
            "A referral top 1% holding 8% or more of gross income, or MLM concentrating it no "
            "more than referral."
        ),
    ),
    Claim(
        id="C6",
        summary="network marketing pays everyone the same per sale (linear compensation)",
        quote=(
            "In Network Marketing, the compensation structure is usually more linear, with "
            "everyone in the network having the potential to earn the same amount per sale."
        ),
        source=S003,
        regime="both",
        measure="per_sale_spread",
        also=("override_share",),
        experiment="claims",
        scenarios=("referral", "mlm"),
        contrast="scenario:mlm-referral",
        statistic=(
            f"{_LEVEL}; {_PAIRED} (mlm - referral); per_sale_spread by number of levels in "
            "the depth experiment reported"
        ),
        verdict_rule=(
            "supported if the CI of per_sale_spread under referral lies within [1, 1.05] (a "
            "check of the plan) and the directional rule on mlm - referral is supported with "
            "minimum effect max(0.05, 0.2 x (referral spread - 1)); refuted if the referral "
            "CI lies above 1.05 or the directional rule is refuted; inconclusive otherwise"
        ),
        notes=(
            "Under the model's referral plan a flat rate on one's own customers makes the "
            "spread 1 by construction: this checks that the plan matches 003's description. "
            "The informative part is how far MLM departs from it and how fast linearity is "
            "lost as levels are added (depth experiment). Own sales pay the same margin to "
            "everyone under unilevel too; what differs is income from others' sales."
        ),
        fair=(
            "The referral spread is 1 by the plan's construction, so it only checks the plan; "
            "the verdict rests on whether MLM, on the same people, departs from linear pay by "
            "a practical amount."
        ),
        refuted_if=(
            "An MLM spread less than 0.05 above referral's (MLM paying as linearly as referral)."
        ),
    ),
    Claim(
        id="C7",
        summary="successful MLM participants make money off other people's work",
        quote="Successful multi-level marketers are making money off of other people's work.",
        source=S000,
        regime="mlm",
        measure="override_share:successful",
        also=("override_share:top10",),
        experiment="claims",
        scenarios=("mlm",),
        statistic=_LEVEL,
        verdict_rule=(
            "level rule with margin 0.05: supported if the CI of the override share of the "
            "successful minus 0.5 lies above 0 with estimate >= 0.05; refuted if that CI lies "
            "entirely below 0.05; inconclusive otherwise. The top-decile share is reported "
            "with it"
        ),
        notes=(
            "Gross income = retail_profit + commissions. Overrides are paid on downline "
            "volume, which includes what the downline buys for itself to stay qualified."
        ),
        fair=(
            "The share of gross income paid on other participants' volume is what 'off other "
            "people's work' means; it depends on the plan's rates, which the robustness "
            "analysis varies."
        ),
        refuted_if=(
            "Successful participants drawing less than 55% of their gross income from overrides."
        ),
    ),
    Claim(
        id="C8",
        summary="success in both models depends on the individual's ability and effort",
        quote=(
            "Ultimately, the success of both models depends on the individual salesperson "
            "and their ability to effectively market and sell products."
        ),
        source=S003,
        regime="both",
        measure="variance_explained:ability_effort-vs-timing_position:gross_per_year_rank",
        also=(
            "variance_explained:ability_effort-vs-timing_position:net_per_year",
            "rank_corr:hours,gross_per_year",
            "rank_corr:skill,gross_per_year",
        ),
        experiment="claims",
        scenarios=("mlm", "referral"),
        statistic=(
            f"{_LEVEL} of shapley_ability_effort - shapley_timing_position and of each "
            "Shapley share, with the percentile rank of gross income per year as the target; "
            "the same on net income per year, and the Spearman correlations of hours and of "
            "skill with gross income per year (the direction the shares hide), reported"
        ),
        verdict_rule=(
            "per scenario: holds if the CI of the Shapley difference ability_effort - "
            "timing_position lies above 0 with estimate >= 0.02 and the CI of "
            "shapley_ability_effort lies above 0.10; fails if the difference's CI lies "
            "entirely below 0.02 or the CI of shapley_ability_effort lies entirely below "
            "0.10; supported if it holds in both scenarios, refuted if it fails in either, "
            "inconclusive otherwise"
        ),
        notes=(
            "Both groups are fixed at entry (skill and available hours; entry month and "
            "depth), so the split is not contaminated by outcomes; the downline variant adds "
            "downline_size, which skill partly causes. Linear R^2 understates non-linear "
            "effects of either group."
        ),
        fair=(
            "The outcome is the rank of gross income per year, so effort (available hours) is "
            "not penalised by the running costs it causes and a few large incomes do not "
            "dominate the R^2; the net-per-year version is reported with it. Both predictor "
            "groups are fixed at entry."
        ),
        refuted_if=(
            "Entry timing and position explaining at least as much (within 2 points of R^2) "
            "as skill and hours, or skill and hours explaining under 10%, in either regime."
        ),
    ),
    Claim(
        id="C9",
        summary="in MLM, belief in the product and one's own effort control one's destiny",
        quote=(
            "Whenever people have a product they believe in and they know that their success "
            "rests on their own shoulders, they’re able to control their financial destiny."
        ),
        source=S001,
        regime="mlm",
        measure="variance_explained:belief_ability_effort-vs-timing_position:gross_per_year_rank",
        experiment="claims",
        scenarios=("mlm",),
        statistic=f"{_LEVEL} of the Shapley difference and of each Shapley share",
        verdict_rule=(
            "supported if the CI of the Shapley difference lies above 0 with estimate >= 0.02 "
            "and the CI of shapley_belief_ability_effort lies above 0.25 (own traits explain "
            "a quarter of the variation in income rank: 'control'); refuted if the "
            "difference's CI lies entirely below 0.02 or the CI of "
            "shapley_belief_ability_effort lies entirely below 0.25; inconclusive otherwise"
        ),
        notes=(
            "'a product they believe in' is product affinity. The 0.5 bar reads 'control' "
            "as own traits explaining most of the variance; linear R^2 is a lower bound on "
            "what the traits determine."
        ),
        fair=(
            "Ranks of gross income per year keep the heavy tail from deciding, and leave "
            "effort's cost out; a bar of 0.25 (not 0.5) is reachable by the model's own "
            "traits."
        ),
        refuted_if=(
            "Own traits explaining under 25% of the variation in income rank, or no more than "
            "timing and position."
        ),
    ),
    Claim(
        id="C10",
        summary="in MLM recruiting overshadows selling the product to real customers",
        quote=(
            "In MLM, the focus is often on recruiting new salespeople and building a "
            "downline, which can sometimes overshadow the actual products being sold."
        ),
        source=S003,
        regime="mlm",
        measure="retail_share",
        also=("override_share",),
        experiment="claims",
        scenarios=("mlm", "referral"),
        statistic=f"{_LEVEL}; {_PAIRED} (referral - mlm) reported",
        verdict_rule=(
            "supported if the CI of 0.5 - retail_share under mlm lies above 0 with estimate "
            ">= 0.05 and the directional rule on referral - mlm is supported with minimum "
            "effect max(0.05, 0.2 x the mlm share); refuted if either is refuted; "
            "inconclusive otherwise"
        ),
        notes=(
            "Volume bought by participants for own use or to qualify counts as internal. "
            "override_share shows the same on the income side."
        ),
        fair=(
            "The share of volume sold to non-participants is the product-versus-recruiting "
            "balance the article names, on the same people in both regimes."
        ),
        refuted_if=(
            "An MLM retail share of 45% or more, or no smaller than referral's by a practical "
            "margin."
        ),
    ),
    Claim(
        id="C11",
        summary="in MLM the more people you and your team recruit, the better you do",
        quote=(
            "In many multi-level marketing programs, commissions are paid way down the line "
            "so the more people you and your team bring on, the better."
        ),
        source=S000,
        regime="mlm",
        measure="partial_rank_corr:downline_size,net_per_year,tenure",
        also=("rank_corr:downline_size,gross_per_year", "success_gap:recruiters"),
        experiment="claims",
        scenarios=("mlm",),
        statistic=f"{_LEVEL}; success_gap:recruiters and the raw correlation reported",
        verdict_rule=(
            "supported if the CI of the partial Spearman correlation of downline_size with "
            "net_per_year given tenure lies above 0 with estimate >= 0.1; refuted if its CI "
            "lies entirely below 0.1; inconclusive otherwise"
        ),
        notes=(
            "Tenure is held fixed because long-staying participants have both larger "
            "downlines and more months of fees and purchases; the raw correlation is "
            "reported. Skilled participants both recruit and sell more, so the association "
            "is not purely the effect of recruiting; C8 and C9 separate skill from timing and "
            "position (the within-skill-quartile split promised earlier was dropped for that)."
        ),
        fair=(
            "'The better' is net income per year, controlling for tenure (longer stayers both "
            "recruit more and accumulate more). Qualification top-ups fall on everyone who "
            "joins for the business, not only on recruiters; the ablation without top-ups "
            "shows how much the verdict owes to them."
        ),
        refuted_if=("A partial correlation under 0.1."),
    ),
    Claim(
        id="C12",
        summary="MLM is still going strong and still pays for those who join now",
        quote=(
            "Today, multi level network marketing is still going strong and still earning "
            "plenty for those smart enough to grab the opportunity."
        ),
        source=S001,
        regime="mlm",
        measure="cohort_gap:success_rate",
        also=("decline_from_peak", "peak_month", "cohort_gap:gross_per_year"),
        experiment="claims",
        scenarios=("mlm",),
        statistic=_LEVEL,
        verdict_rule=(
            "non-inferiority: supported if the CI of late - early entrants' success rate lies "
            "above -max(0.005, 0.2 x the mlm success rate) (those who join now do not do "
            "materially worse) and the CI of decline_from_peak lies below 0.5 (the company "
            "keeps at least half its peak); refuted if the gap's CI lies entirely below that "
            "margin or decline_from_peak's CI lies above 0.5; inconclusive otherwise"
        ),
        notes=(
            "'Today' is read as a mature company: month 120 of the default horizon. Late "
            "entrants are compared on cohorts with at least 24 months of possible tenure; "
            "the horizon matters, so the report shows the whole monthly participants series."
        ),
        fair=(
            "The claim is about those who join now, so the measure compares late with early "
            "entrants with equal minimum time in the business; participation decline is a "
            "secondary part with a wide bar, since saturation is one of the model's stated "
            "patterns."
        ),
        refuted_if=(
            "Late entrants' success rate lower by more than max(0.5 points, 20% of the rate), "
            "or participation more than halved from its peak."
        ),
    ),
    Claim(
        id="C13",
        summary="anyone can start an MLM business with very little money",
        quote=(
            "And anyone (even someone with very little startup money) who wants it gets a chance."
        ),
        source=S001,
        regime="mlm",
        measure="quantile_gap:budget:success_rate",
        also=("loss_budget_share", "quantile_gap:budget:net_per_year"),
        experiment="budget",
        scenarios=("mlm", "referral"),
        statistic=(
            f"{_LEVEL} at the default budget scale; the same at scales 0.5 and 2 and the "
            "bottom quintile's loss as a share of 12 months' budget reported"
        ),
        verdict_rule=(
            "per budget scale: supported if the CI of bottom - top budget quintile success "
            "rate lies above -max(0.005, 0.2 x the mlm success rate) and the CI of "
            "loss_budget_share lies below 0.1 (a typical loss is under a tenth of a year's "
            "budget); refuted if the gap's CI lies entirely below that margin or "
            "loss_budget_share's CI lies above 0.1; the verdict is the one at scale 1, "
            "depends-on if decided verdicts at the budget scales differ"
        ),
        notes=(
            "The starter fee and the monthly qualification purchase (100 PV) bind when the "
            "budget is small, which is the mechanism under test. Quintiles are of "
            "participants' budgets within each run."
        ),
        fair=(
            "'Very little money' is measured by what losers lose in units of their own "
            "budget, and 'anyone' by whether the poorest fifth do materially worse; with "
            "both, the rule cannot pass just because nobody succeeds."
        ),
        refuted_if=(
            "The poorest fifth succeeding less by a practical margin, or a median loss above "
            "10% of a year's budget."
        ),
    ),
    Claim(
        id="C14",
        summary="training and support help network marketers succeed",
        quote=(
            "In Network Marketing, there is often a greater emphasis on training and support, "
            "with companies providing resources and tools to help salespeople succeed."
        ),
        source=S003,
        regime="referral",
        measure="success_rate",
        also=("mean_net",),
        experiment="training",
        scenarios=("referral", "mlm"),
        contrast="design:training_effect",
        statistic=(
            f"{_PAIRED}, trained (training_effect 0.5, training_cost 0) - untrained, per "
            "scenario; every grid point reported"
        ),
        verdict_rule=(
            "directional rule on trained (training_effect 0.5) - untrained referral "
            "success_rate with minimum effect max(0.005, 0.2 x the untrained rate): supported "
            "if the CI lies above 0, the estimate is at least the minimum effect and the "
            "Holm-adjusted p < 0.05; refuted if the CI's upper bound is below the minimum "
            "effect; inconclusive otherwise. The same test with training_cost $25 a month is "
            "in the Holm family too; depends-on (the cost of training) if the two verdicts "
            "are supported and refuted"
        ),
        notes=(
            "The 'greater emphasis' comparison is about companies' behaviour and is not "
            "modelled; the testable part is that training helps salespeople succeed. "
            "Training raises every participant's conversion, so it also speeds up market "
            "saturation."
        ),
        fair=(
            "Same people and seeds with and without training; the minimum effect is relative "
            "to the untrained rate, so a 1-2% base rate can be beaten by a practical margin."
        ),
        refuted_if=("Training raising the success rate by less than max(0.5 points, 20%)."),
    ),
    Claim(
        id="C15",
        summary="training new recruits makes them successful (MLM)",
        quote=(
            "Once you add team members then you need to work with your new recruit to make "
            "sure that they know exactly what to do to become successful.  This could "
            "include website trainings, conference calls or tracking informational sheets."
        ),
        source=S004,
        regime="mlm",
        measure="success_rate",
        also=("mean_net",),
        experiment="training",
        scenarios=("mlm",),
        contrast="design:training_effect",
        statistic=(
            f"{_PAIRED}, trained (training_effect 0.5, training_cost 0) - untrained; every "
            "grid point reported"
        ),
        verdict_rule=(
            "directional rule on trained (training_effect 0.5) - untrained mlm success_rate "
            "with minimum effect max(0.005, 0.2 x the untrained rate): supported if the CI "
            "lies above 0, the estimate is at least the minimum effect and the Holm-adjusted "
            "p < 0.05; refuted if the CI's upper bound is below the minimum effect; "
            "inconclusive otherwise. The same test with training_cost $25 a month is in the "
            "Holm family too; depends-on (the cost of training) if the two verdicts are "
            "supported and refuted"
        ),
        notes=(
            "Training is modelled as a company-wide gain in conversion (training_effect), not "
            "as time a sponsor spends with each recruit; the sponsor's time cost is not "
            "modelled."
        ),
        fair=(
            "Same people and seeds with and without training; the minimum effect is relative "
            "to the untrained rate, so a 1-2% base rate can be beaten by a practical margin."
        ),
        refuted_if=("Training raising the success rate by less than max(0.5 points, 20%)."),
    ),
    Claim(
        id="C16",
        summary="money invested in buying leads pays off",
        quote=(
            "Some network marketers invest a lot of money into leads and ads, so tracking "
            "will help you make sure they are working at 100%.  This is a critical piece of "
            "being successful in this type of business."
        ),
        source=S004,
        regime="mlm",
        measure="mean_net",
        also=("success_rate", "quantile_gap:budget:success_rate"),
        experiment="leads",
        scenarios=("mlm", "referral"),
        contrast="design:leads_per_month",
        statistic=(
            f"{_PAIRED}, with leads (leads_per_month 20 at cost_per_lead $1) - without, per "
            "scenario; break-even cost_per_lead (linear interpolation between the two prices "
            "where the mlm mean changes sign; a price with no complete pairs is skipped) and "
            "the budget quintile gap reported"
        ),
        verdict_rule=(
            "directional rule on mlm mean_net with 20 leads a month - without, at each lead "
            "price, with minimum effect $10 and Holm-adjusted p: supported if the CI lies "
            "above 0, the estimate is at least $10 and p < 0.05; refuted if the CI's upper "
            "bound is below $10; inconclusive otherwise. The verdict is the one at $1 a lead, "
            "depends-on (the price of leads) if the verdicts at the prices include both "
            "supported and refuted"
        ),
        notes=(
            "004 lists buying leads from an independent company as a way to generate leads "
            "and calls lead investment, tracked, a critical piece of success; 'pays' means "
            "net profit after the leads' cost rises. Leads compete with qualification "
            "purchases for the budget."
        ),
        fair=(
            "Mean net profit counts what the leads cost and what they bring, on the same "
            "people and seeds."
        ),
        refuted_if=(
            "Buying leads raising mean net profit by less than $10 (or 20%) at the $1 price."
        ),
    ),
    Claim(
        id="C17",
        summary="an unhappy customer does more damage than a bad economy",
        quote=(
            "More damage can be done by an unhappy customer than can be done by the lousy economy."
        ),
        source=S001,
        regime="both",
        measure="relative_drop:company_revenue",
        also=("relative_drop:participants_ever",),
        experiment="neg_wom",
        scenarios=("mlm", "referral"),
        contrast="factors:neg_wom_strength-vs-budget_shock",
        statistic=(
            f"{_PAIRED} of the drop from negative word of mouth (neg_wom_strength 0.2 vs 0, "
            "no shock) minus the drop from a 20% budget shock (vs none, neg_wom_strength 0); "
            "every strength (0.1, 0.2, 0.4) against every shock (10, 20, 30%) reported"
        ),
        verdict_rule=(
            "per regime and per pair of sizes (word of mouth 0.1, 0.2, 0.4 against budget "
            "shocks of 10%, 20%, 30%), directional rule on the relative drop of "
            "company_revenue from negative word of mouth - from the budget shock, minimum "
            "effect max(0.01, 0.2 x the shock's drop), every pair in the Holm family: "
            "supported if the pair 0.2 / 20% is supported in both regimes, refuted if it is "
            "refuted in both; depends-on (the sizes of the two shocks) if a regime's pairs "
            "include both supported and refuted, or (the regime) if the two regimes' verdicts "
            "are supported and refuted; inconclusive otherwise"
        ),
        notes=(
            "Damage is to the business (company revenue). 'An unhappy customer' is read as "
            "the unhappy customers and ex-participants together; the economy as a permanent "
            "cut of everyone's budget (mean and sd scaled by 1 - shock), which is harsher "
            "than a temporary recession."
        ),
        fair=(
            "Both shocks are measured as the drop they cause in company revenue against the "
            "same baseline runs. A limitation: budgets cap participants' spending but not "
            "customers' repurchases, so the economic shock acts only through participants."
        ),
        refuted_if=(
            "Negative word of mouth causing a drop no larger (by 1 point) than a 20% budget shock."
        ),
    ),
    Claim(
        id="C18",
        summary="if your recruits and team make money, so do you",
        quote=(
            "In network marketing, if your recruit and team are successful and makes money, "
            "so do you."
        ),
        source=S004,
        regime="mlm",
        measure="team_link:given_team_success",
        also=("team_link:success", "team_link:given_team_loss"),
        experiment="claims",
        scenarios=("mlm", "referral"),
        statistic=(
            f"{_LEVEL} over runs with at least one successful team (their number reported); "
            "referral as a placebo (no pay on recruits' volume)"
        ),
        verdict_rule=(
            "supported if the CI of P(sponsor profits | team profits) - 0.5 lies above 0 with "
            "estimate >= 0.05 and the CI of team_link:success lies above 0 with estimate >= "
            "max(0.05, 0.2 x P(sponsor profits | team loses)); refuted if either CI lies "
            "entirely below its minimum effect; inconclusive otherwise"
        ),
        notes=(
            "Team = direct recruits (sponsor column); team success = a majority of them made "
            "money. If the link is as strong under referral, it comes from shared markets "
            "(neighbours in the network), not the plan. P(sponsor profits given team loses) "
            "shows the opposite case: earning while the team loses."
        ),
        fair=(
            "Conditioning on the team's success and comparing with sponsors of losing teams "
            "is the 'if ... so do you' of the article; runs with no successful team are "
            "counted as undefined."
        ),
        refuted_if=(
            "Sponsors of profitable teams profiting less than 55% of the time, or not more "
            "often than sponsors of losing teams."
        ),
    ),
    Claim(
        id="C19",
        summary="network marketing and MLM are the same thing",
        quote=(
            "Network Marketing and Multi-level Marketing are generally considered to have the "
            "same meaning and are used interchangeably by many in the industry."
        ),
        source=S004,
        regime="both",
        measure="success_rate",
        also=("mean_net", "top10_share", "retail_share", "gini_net"),
        experiment="claims",
        scenarios=("referral", "mlm"),
        contrast="scenario:referral-mlm",
        statistic=f"{_PAIRED}, for each of the five measures",
        verdict_rule=(
            "equivalence: supported if for every measure the paired CI lies inside its "
            "margin (success_rate 0.02, retail_share, top10_share and gini_net 0.05, "
            "mean_net $25) and A is negligible; refuted if for at least one measure the "
            "paired CI lies entirely outside its margin and A is at least medium "
            "(<= 0.36 or >= 0.64); inconclusive otherwise"
        ),
        notes=(
            "The sentence is about usage; the model tests its substantive reading, that the "
            "two labels do not name different income-generating structures. See 'Where the "
            "articles disagree' in docs/claims.md."
        ),
        fair=(
            "The article's claim is about how people use two words; the model can test only "
            "its consequence, that the two regimes produce the same outcomes on the same "
            "people."
        ),
        refuted_if=(
            "A practical difference (beyond its margin, with at least a medium paired effect) "
            "in any of the compared outcomes."
        ),
    ),
    Claim(
        id="C20",
        summary="MLM lets people earn more money and work fewer hours",
        quote=("give them the ability to earn more money and work less hours."),
        source=S001,
        regime="mlm",
        measure="success_rate_after_time",
        also=("quantile:net_per_year:0.5", "quantile:hours_per_month:0.5"),
        experiment="claims",
        scenarios=("mlm", "referral"),
        statistic=f"{_LEVEL}; the same under referral reported",
        verdict_rule=(
            "level rule with margin 0.05: supported if the CI of success_rate_after_time - "
            "0.5 under mlm lies above 0 with estimate >= 0.05 (most participants earn more "
            "per hour than the opportunity wage); refuted if it lies entirely below 0.05; "
            "inconclusive otherwise"
        ),
        fair=(
            "success_rate_after_time counts a participant as earning more than a job when net "
            "profit exceeds hours worked times the opportunity wage ($7.25): the hours are "
            "the effort, valued separately from the business's own costs."
        ),
        refuted_if=("Fewer than 55% of participants beating the minimum wage per hour worked."),
    ),
    Claim(
        id="C21",
        summary="in MLM your income grows as your recruits sell",
        quote=(
            "But as they sell and give other people the chance to enjoy success too, the "
            "original recruit’s income grows."
        ),
        source=S001,
        regime="mlm",
        measure="partial_rank_corr:downline_size,gross_per_year,tenure",
        also=("override_share",),
        experiment="claims",
        scenarios=("mlm",),
        statistic=_LEVEL,
        verdict_rule=(
            "supported if the CI of the partial Spearman correlation of downline_size with "
            "gross_per_year given tenure lies above 0 with estimate >= 0.1; refuted if its CI "
            "lies entirely below 0.1; inconclusive otherwise"
        ),
        fair=(
            "Gross income per year against downline size, controlling for tenure: income from "
            "the recruits' sales before the participant's costs, which is what the sentence "
            "promises."
        ),
        refuted_if=("A partial correlation under 0.1."),
    ),
    Claim(
        id="C22",
        summary="some affiliates (network marketers) are paid extremely well",
        quote="Some network marketers, as a matter of fact, are getting paid extremely well.",
        source=S000,
        regime="referral",
        measure="share_above:gross_per_year:15080",
        also=(
            "quantile:gross_per_year:0.5",
            "quantile:gross_per_year:0.9",
            "quantile:gross_per_year:0.99",
        ),
        experiment="claims",
        scenarios=("referral", "mlm"),
        statistic=f"{_LEVEL}; the whole distribution (median, 90th and 99th percentile) reported",
        verdict_rule=(
            "supported if under referral the CI of the share of participants with gross "
            "income of at least $15,080 a year in the business (a full-time year at the $7.25 "
            "minimum wage) lies above 0 with estimate >= 0.01 ('some': at least 1 in 100); "
            "refuted if that CI lies entirely below 0.01; inconclusive otherwise"
        ),
        fair=(
            "Gross income per year in the business over the whole distribution: 'extremely "
            "well' is read as at least a full-time minimum-wage income, 'some' as at least 1 "
            "in 100."
        ),
        refuted_if=("Fewer than 1 in 100 affiliates reaching a minimum-wage year of gross income."),
    ),
    Claim(
        id="C23",
        summary="top network marketers have relationships with many people",
        quote=(
            "Top network marketers are usually very good at building and maintaining "
            "relationships with many people, and they use those strong relationships to "
            "influence purchases."
        ),
        source=S002,
        regime="referral",
        measure="rank_corr:ties,gross_per_year",
        experiment="claims",
        scenarios=("referral", "mlm"),
        statistic=f"{_LEVEL}; the same under mlm reported",
        verdict_rule=(
            "supported if under referral the CI of the Spearman correlation of ties (network "
            "degree) with gross income per year lies above 0 with estimate >= 0.1; refuted if "
            "its CI lies entirely below 0.1; inconclusive otherwise"
        ),
        notes=(
            "002's network marketing is selling through one's relationships without a "
            "downline: the referral regime. A person's relationships are their ties in the "
            "social network (fixed at the start). Ties matter in the model only through the "
            "warm market: more ties mean more distinct people to pitch before receptivity "
            "saturates, and more people who hear of a customer's purchase. How much degree "
            "varies is a structural choice (the network family), which the robustness "
            "analysis varies."
        ),
        fair=(
            "Income per year in the business, so tenure does not decide, against the number "
            "of relationships, which no rule of the plan rewards directly: any link has to "
            "come through selling."
        ),
        refuted_if=("A rank correlation under 0.1 between ties and gross income per year."),
    ),
    Claim(
        id="C24",
        summary="network marketing (referral) keeps its customers buying longer than MLM",
        quote=(
            "In Network Marketing, recruitment is still important, but the emphasis is more "
            "on building a strong network of customers who continue to purchase products "
            "over time."
        ),
        source=S003,
        regime="both",
        measure="customer_retention",
        experiment="claims",
        scenarios=("referral", "mlm"),
        contrast="scenario:referral-mlm",
        statistic=_PAIRED,
        verdict_rule=(
            "directional rule: supported if the CI of referral - mlm lies above 0, the "
            "estimate is at least the minimum effect max(0.02, 0.2 x the mlm retention) and "
            "the Holm-adjusted p < 0.05; refuted if the CI's upper bound is below that "
            "minimum effect; inconclusive otherwise"
        ),
        notes=(
            "A customer lapses with the same chance in both regimes when they do not buy "
            "(docs/ODD.md, rule 4): the model gives sellers no way to keep a customer by "
            "relationship work. A difference can only come from who becomes a customer "
            "and from customers leaving by joining, so a refutation says the plan alone "
            "does not keep customers longer, not that relationship work cannot."
        ),
        fair=(
            "The share of customers still buying a year on, counting only lapses (customers "
            "who join as participants are not lost to the business), on the same people, "
            "network and seeds under both plans."
        ),
        refuted_if=(
            "Referral keeping less than max(2 points, 20% of MLM's retention) more of its "
            "customers a year."
        ),
    ),
    Claim(
        id="C25",
        summary="prequalifying prospects before pitching the opportunity pays",
        quote="Prequalify them so you know they are interested in joining the team.",
        source=S004,
        regime="mlm",
        measure="founders_mean:net_per_year",
        also=("founders_mean:gross_per_year", "participants_ever", "success_rate"),
        experiment="prequalify",
        scenarios=("mlm_prequalify", "mlm"),
        contrast="scenario:mlm_prequalify-mlm",
        statistic=(
            f"{_PAIRED}; the founders' gross income per year, participants ever and the "
            "success rate of all participants, each in both scenarios, reported"
        ),
        verdict_rule=(
            "directional rule: supported if the CI of mlm_prequalify - mlm of the founders' "
            "mean net income per year lies above 0, the estimate is at least the minimum "
            "effect max($100, 0.2 x |the founders' mean under mlm|) and the Holm-adjusted "
            "p < 0.05; refuted if the CI's upper bound is below that minimum effect; "
            "inconclusive otherwise"
        ),
        notes=(
            "Prequalifying (`prequalify`, docs/ODD.md rule 1-2) sends the same share of "
            "pitches to the opportunity, but to the contacts most interested in the "
            "business instead of a random share, and the product to the others. No source "
            "gives what prequalifying costs in time, so it costs nothing here: the test is "
            "of the targeting alone, which favours the claim. The founders are the same "
            "people in both scenarios, so their income is a paired comparison of the same "
            "people with and without the advice; every business participant follows it."
        ),
        fair=(
            "The advice is for the recruiter, so the measure is what it does to the "
            "recruiter's own net income per year, on the same people, network and seeds: "
            "the founders, who recruit from the start in both scenarios."
        ),
        refuted_if=(
            "Prequalifying raising the founders' net income by less than max($100, 20%) a year."
        ),
    ),
)

_BY_ID = {c.id: c for c in CLAIMS}


def claim_by_id(claim_id: str) -> Claim:
    """The claim with this id.

    Args:
        claim_id: e.g. "C3".

    Returns:
        The claim.

    Raises:
        KeyError: if there is no such claim.
    """
    try:
        return _BY_ID[claim_id]
    except KeyError:
        raise KeyError(f"no claim {claim_id!r}; ids are C1..C{len(CLAIMS)}") from None
