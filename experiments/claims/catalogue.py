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
    }
)

DERIVED_COLUMNS: Mapping[str, str] = MappingProxyType(
    {"tenure": "months active: (quit_month, or the horizon if still active) - join_month"}
)

_COHORT_OUTCOMES = ("success_rate", *PARTICIPANT_COLUMNS)
_TEAM_LINK_KINDS = ("success", "given_team_success", "given_team_loss")
_OVERRIDE_GROUPS = ("all", "successful", "top10")

DEPTH_SCENARIOS: tuple[str, ...] = ("referral", *(f"unilevel_{k}" for k in range(1, 8)))

EXPERIMENTS: Mapping[str, str] = MappingProxyType(
    {
        "claims": "paired scenarios mlm (unilevel) and referral at the defaults, common seeds",
        "training": "training_effect 0 vs > 0 (with training_cost 0 and > 0), mlm and referral",
        "leads": "leads_per_month 0 vs > 0 at several cost_per_lead, mlm and referral",
        "budget": "outcomes by participants' budget quintile; budget scale 0.5, 1, 2",
        "depth": "referral, then unilevel with 1..7 levels at a constant 35% total payout",
        "neg_wom": (
            "negative word-of-mouth strength against an economic shock to budgets, one at a time"
        ),
        "robustness": "Latin hypercube over uncertain behavioural parameters, mlm and referral",
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
    if family in ("decline_from_peak", "per_sale_spread"):
        args = ()
        ok = rest == ""
    elif family == "rank_corr":
        args = tuple(rest.split(","))
        ok = len(args) == 2 and all(a in PARTICIPANT_COLUMNS for a in args)
    elif family == "partial_rank_corr":
        args = tuple(rest.split(","))
        columns = (*PARTICIPANT_COLUMNS, *DERIVED_COLUMNS)
        ok = len(args) == 3 and all(a in columns for a in args) and len(set(args)) == 3
    elif family == "cohort_slope":
        args = (rest,)
        ok = rest in PARTICIPANT_COLUMNS
    elif family == "cohort_gap":
        args = (rest,)
        ok = rest in _COHORT_OUTCOMES
    elif family == "override_share":
        args = (rest,)
        ok = rest in _OVERRIDE_GROUPS
    elif family == "variance_explained":
        args = tuple(rest.split("-vs-"))
        ok = len(args) == 2 and all(a in PREDICTOR_GROUPS for a in args) and args[0] != args[1]
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
            "supported if the CI of success_rate lies entirely below 0.5 and the CI of "
            "loss_rate entirely above 0.5; refuted if the CI of success_rate lies entirely "
            "above 0.5; inconclusive otherwise. Robustness flag: point mean success_rate < 0.5 "
            "and loss_rate > 0.5"
        ),
        notes=(
            "'low' and 'many' are read as 'fewer than half profit' and 'more than half lose'. "
            "Success is over everyone who ever participated, including early quitters."
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
            "directional rule with minimum effect 0.02: supported if the CI of "
            "referral - mlm lies above 0, the estimate is >= 0.02 and the adjusted p < 0.05; "
            "refuted if the CI's upper bound is < 0.02 (no difference of 2 points or more "
            "in the claimed direction); inconclusive otherwise"
        ),
        notes=(
            "003's 'network marketing' pays on the sales of 'people in their network', closer "
            "to a shallow multi-level plan than to the referral plan; the depth experiment "
            "(unilevel with 1-2 levels) tests that reading. Referral participants are "
            "customers who chose to join, so the two denominators differ; the per-1,000-people "
            "counts show whether a higher rate comes from fewer participants."
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
        measure="rank_corr:depth,net_profit",
        also=("top10_share",),
        experiment="claims",
        scenarios=("mlm", "referral"),
        statistic=(
            f"{_LEVEL}; the same under referral and the paired difference mlm - referral reported"
        ),
        verdict_rule=(
            "supported if under mlm the CI of the Spearman correlation of depth with "
            "net_profit lies entirely below 0 (higher levels, smaller depth, earn more) and "
            "the CI of top10_share lies entirely above 0.5 (the top tenth receive most "
            "commissions); refuted if the CI of the correlation lies entirely above 0; "
            "inconclusive otherwise"
        ),
        notes=(
            "Depth is correlated with entry time (deeper people joined later); C4 and C8 "
            "separate timing from position."
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
        measure="cohort_slope:net_profit",
        also=("rank_corr:join_month,net_profit",),
        experiment="claims",
        scenarios=("mlm", "referral"),
        contrast="scenario:mlm-referral",
        statistic=f"{_LEVEL}; {_PAIRED} of the slope",
        verdict_rule=(
            "supported if the CI of the mlm cohort slope lies entirely below 0 (later "
            "cohorts earn less) and the CI of the paired difference mlm - referral lies "
            "entirely below 0 (the early advantage is larger under MLM); refuted if the CI "
            "of the mlm slope lies entirely above 0; inconclusive otherwise (a negative "
            "slope of the same size under both plans means market saturation, not the pay "
            "structure, favours early entrants)"
        ),
        notes=(
            "In a sponsorship tree the top of the line is the earliest entrants. Late cohorts "
            "have less time to earn or lose (right-censoring): only cohorts joined at least "
            "24 months before the horizon are used."
        ),
    ),
    Claim(
        id="C5",
        summary='word-of-mouth selling has no downline and no "fat cat" at the top',
        quote="There’s no downline building required, nor is there a “fat cat” sitting at the top.",
        source=S002,
        regime="referral",
        measure="top1_share",
        also=("gini_commissions", "override_share"),
        experiment="claims",
        scenarios=("referral", "mlm"),
        contrast="scenario:mlm-referral",
        statistic=f"{_LEVEL}; {_PAIRED} (mlm - referral)",
        verdict_rule=(
            "supported if the CI of top1_share under referral lies entirely below 0.10 (the "
            "top 1% earn less than ten times their population share of commissions) and the "
            "CI of mlm - referral lies entirely above 0 with adjusted p < 0.05; refuted if "
            "the CI of top1_share under referral lies entirely above 0.10 or the CI of "
            "mlm - referral lies entirely below 0; inconclusive otherwise"
        ),
        notes=(
            "The referral plan pays nothing on other people's volume, so override_share is 0 "
            "by construction (a check, not evidence); the test is whether skill, hours and "
            "luck alone create a fat cat."
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
            "supported if the CI of per_sale_spread under referral lies within [1, 1.05] and "
            "the CI of mlm - referral lies entirely above 0; refuted if the CI under referral "
            "lies entirely above 1.05 or the CI of mlm - referral lies entirely below or at 0; "
            "inconclusive otherwise"
        ),
        notes=(
            "Under the model's referral plan a flat rate on one's own customers makes the "
            "spread 1 by construction: this checks that the plan matches 003's description. "
            "The informative part is how far MLM departs from it and how fast linearity is "
            "lost as levels are added (depth experiment). Own sales pay the same margin to "
            "everyone under unilevel too; what differs is income from others' sales."
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
            "supported if the CI of the override share of the successful (net_profit > 0) "
            "lies entirely above 0.5 (most of their gross income is paid on other "
            "participants' volume); refuted if it lies entirely below 0.5; inconclusive "
            "otherwise. The top-decile share is reported with it"
        ),
        notes=(
            "Gross income = retail_profit + commissions. Overrides are paid on downline "
            "volume, which includes what the downline buys for itself to stay qualified."
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
        measure="variance_explained:ability_effort-vs-timing_position",
        also=("variance_explained:ability_effort-vs-timing_position_downline",),
        experiment="claims",
        scenarios=("mlm", "referral"),
        statistic=(
            f"{_LEVEL} of shapley_ability_effort - shapley_timing_position and of each "
            "Shapley share; r2_joint and a rank version (target = percentile rank of "
            "net_profit) reported"
        ),
        verdict_rule=(
            "per scenario: holds if the CI of the Shapley difference lies entirely above 0 "
            "and the CI of shapley_ability_effort lies entirely above 0.10; fails if the CI "
            "of the difference lies entirely below 0 or the CI of shapley_ability_effort "
            "lies entirely below 0.10; supported if it holds in both scenarios, refuted if "
            "it fails in both, depends-on (the regime) if it holds in one and fails in the "
            "other, inconclusive otherwise"
        ),
        notes=(
            "Both groups are fixed at entry (skill and available hours; entry month and "
            "depth), so the split is not contaminated by outcomes; the downline variant adds "
            "downline_size, which skill partly causes. Linear R^2 understates non-linear "
            "effects of either group."
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
        measure="variance_explained:belief_ability_effort-vs-timing_position",
        experiment="claims",
        scenarios=("mlm",),
        statistic=f"{_LEVEL} of the Shapley difference and of each Shapley share",
        verdict_rule=(
            "supported if the CI of the Shapley difference lies entirely above 0 and the CI "
            "of shapley_belief_ability_effort lies entirely above 0.5 (own traits explain "
            "most of the variance of net income: 'control'); refuted if the CI of the "
            "difference lies entirely below 0 or the CI of shapley_belief_ability_effort "
            "lies entirely below 0.5; inconclusive otherwise"
        ),
        notes=(
            "'a product they believe in' is product affinity. The 0.5 bar reads 'control' "
            "as own traits explaining most of the variance; linear R^2 is a lower bound on "
            "what the traits determine."
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
            "supported if the CI of retail_share under mlm lies entirely below 0.5 (most "
            "business volume is bought by participants themselves) and the CI of "
            "referral - mlm lies entirely above 0; refuted if the CI of retail_share under "
            "mlm lies entirely above 0.5; inconclusive otherwise"
        ),
        notes=(
            "Volume bought by participants for own use or to qualify counts as internal. "
            "override_share shows the same on the income side."
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
        measure="partial_rank_corr:downline_size,net_profit,tenure",
        also=("rank_corr:downline_size,net_profit", "success_gap:recruiters"),
        experiment="claims",
        scenarios=("mlm",),
        statistic=f"{_LEVEL}; success_gap:recruiters reported overall and within skill quartiles",
        verdict_rule=(
            "directional rule with minimum effect 0.1: supported if the CI of the partial "
            "Spearman correlation of downline_size with net_profit given tenure lies above 0 "
            "and the estimate is >= 0.1; refuted if the CI's upper bound is < 0.1; "
            "inconclusive otherwise"
        ),
        notes=(
            "Tenure is held fixed because long-staying participants have both larger "
            "downlines and more months of fees and purchases (in two 5,000-person pilot runs "
            "the raw correlation was about -0.5 and holding tenure fixed moved it only to "
            "about -0.4); the raw correlation is reported. "
            "Skilled participants both recruit and sell more, so the association is not "
            "purely the effect of recruiting; the within-skill-quartile gaps show how much "
            "survives holding skill roughly fixed."
        ),
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
        measure="decline_from_peak",
        also=("cohort_gap:success_rate", "peak_month"),
        experiment="claims",
        scenarios=("mlm",),
        statistic=_LEVEL,
        verdict_rule=(
            "supported if the CI of decline_from_peak lies entirely below 0.2 (participation "
            "at the horizon within 20% of its peak) and the CI of cohort_gap:success_rate "
            "(late - early entrants) lies entirely above -0.05; refuted if the CI of "
            "decline_from_peak lies entirely above 0.2 or the CI of the cohort gap lies "
            "entirely below -0.05; inconclusive otherwise"
        ),
        notes=(
            "'Today' is read as a mature company: month 120 of the default horizon. Late "
            "entrants are compared on cohorts with at least 24 months of possible tenure; "
            "the horizon matters, so the report shows the whole monthly participants series."
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
        also=("quantile_gap:budget:net_profit",),
        experiment="budget",
        scenarios=("mlm", "referral"),
        statistic=(
            f"{_LEVEL} at the default budget scale; the same at scales 0.5 and 2 and the "
            "bottom quintile's loss as a share of 12 months' budget reported"
        ),
        verdict_rule=(
            "supported if under mlm the CI of the bottom-minus-top budget quintile gap in "
            "success_rate lies entirely above -0.05 (little money costs at most 5 points of "
            "success); refuted if it lies entirely below -0.05; inconclusive otherwise; "
            "depends-on if the verdict changes across budget scales"
        ),
        notes=(
            "The starter fee and the monthly qualification purchase (100 PV) bind when the "
            "budget is small, which is the mechanism under test. Quintiles are of "
            "participants' budgets within each run."
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
            "directional rule with minimum effect 0.02 under referral: supported if the CI "
            "lies above 0, the estimate is >= 0.02 and the adjusted p < 0.05; refuted if the "
            "CI's upper bound is < 0.02; inconclusive otherwise; depends-on if the verdict "
            "at training_cost > 0 differs from the one at training_cost 0"
        ),
        notes=(
            "The 'greater emphasis' comparison is about companies' behaviour and is not "
            "modelled; the testable part is that training helps salespeople succeed. "
            "Training raises every participant's conversion, so it also speeds up market "
            "saturation."
        ),
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
            "directional rule with minimum effect 0.02 under mlm: supported if the CI lies "
            "above 0, the estimate is >= 0.02 and the adjusted p < 0.05; refuted if the CI's "
            "upper bound is < 0.02; inconclusive otherwise; depends-on if the verdict at "
            "training_cost > 0 differs from the one at training_cost 0"
        ),
        notes=(
            "Training is modelled as a company-wide gain in conversion (training_effect), not "
            "as time a sponsor spends with each recruit; the sponsor's time cost is not "
            "modelled."
        ),
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
            "scenario; break-even cost_per_lead and the budget quintile gap reported"
        ),
        verdict_rule=(
            "directional rule with minimum effect $0 under mlm: supported if the CI of the "
            "mean_net difference lies entirely above 0 and the adjusted p < 0.05; refuted if "
            "it lies entirely below 0; inconclusive otherwise; depends-on if the sign of the "
            "estimate changes across cost_per_lead in [$0.25, $4]"
        ),
        notes=(
            "004 lists buying leads from an independent company as a way to generate leads "
            "and calls lead investment, tracked, a critical piece of success; 'pays' means "
            "net profit after the leads' cost rises. Leads compete with qualification "
            "purchases for the budget."
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
            "per scenario, directional rule with minimum effect 0: supported if the CI of the "
            "difference lies entirely above 0 and the adjusted p < 0.05 in both scenarios; "
            "refuted if it lies entirely below 0 in both; depends-on if the ordering differs "
            "between scenarios or flips between strengths 0.1-0.4 and shocks 10-30%; "
            "inconclusive otherwise"
        ),
        notes=(
            "Damage is to the business (company revenue). 'An unhappy customer' is read as "
            "the unhappy customers and ex-participants together; the economy as a permanent "
            "cut of everyone's budget (mean and sd scaled by 1 - shock), which is harsher "
            "than a temporary recession."
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
            "supported if under mlm the CI of P(sponsor profits given team profits) lies entirely "
            "above 0.75 and the CI of team_link:success lies entirely above 0; refuted if the "
            "CI of P(sponsor profits given team profits) lies entirely below 0.75 or the CI of "
            "team_link:success lies entirely below or at 0; inconclusive otherwise"
        ),
        notes=(
            "Team = direct recruits (sponsor column); team success = a majority of them made "
            "money. If the link is as strong under referral, it comes from shared markets "
            "(neighbours in the network), not the plan. P(sponsor profits given team loses) "
            "shows the opposite case: earning while the team loses."
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
