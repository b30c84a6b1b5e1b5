"""Every bar of every main-part claim's rule, bracketed: just beyond it, just short of it.

`tests/test_claim_rules.py` shows each rule reaching each verdict with values far
from its bars; a bar moved a little (0.55 -> 0.5, a margin dropped, a minimum
effect's 20% changed) would still pass those. Here each case starts from that
file's supported case, sets one measure just beyond its bar on the claimed side
(supported) and just short of it (refuted), with a spread so small that the CI
is far narrower than the step. The bars are those of docs/claims.md, worked out
by hand: a level rule's bar is threshold +- margin; a directional rule's is its
minimum effect max(absolute, 0.2 x |base|).
"""

from __future__ import annotations

import copy

import pytest

from experiments.claims import verdicts
from tests.test_claim_rules import MAIN_CASES, SHAPLEY8, SHAPLEY9, decide, main_context, steady

SR, LR = "success_rate", "loss_rate"
TOP1, TOP10 = "top_share:gross_income:0.01", "top_share:gross_income:0.1"

# (claim, scenario, measure, bar, side, step): "above" means the claim wants the value
# above the bar. Comments give the bar's working.
BARS = [
    ("C1", "mlm", SR, 0.45, "below", 0.003),  # 0.5 - margin 0.05
    ("C1", "mlm", LR, 0.55, "above", 0.003),
    ("C3", "mlm", "rank_corr:depth,gross_per_year", -0.1, "below", 0.003),  # 0 - 0.1
    ("C3", "mlm", TOP10, 0.55, "above", 0.003),
    ("C5", "referral", TOP1, 0.08, "below", 0.003),  # 0.10 - 0.02
    ("C7", "mlm", "override_share:successful", 0.55, "above", 0.003),
    ("C8", "mlm", SHAPLEY8, 0.02, "above", 0.003),
    ("C8", "referral", f"{SHAPLEY8}|shapley_ability_effort", 0.10, "above", 0.003),
    ("C9", "mlm", SHAPLEY9, 0.02, "above", 0.003),
    ("C9", "mlm", f"{SHAPLEY9}|shapley_belief_ability_effort", 0.25, "above", 0.003),
    ("C10", "mlm", "retail_share", 0.45, "below", 0.003),
    ("C11", "mlm", "partial_rank_corr:downline_size,net_per_year,tenure", 0.1, "above", 0.003),
    ("C12", "mlm", "decline_from_peak", 0.5, "below", 0.003),
    ("C12", "mlm", "cohort_gap:success_rate", -0.02, "above", 0.003),  # -max(0.005, 0.2 x 0.1)
    ("C18", "mlm", "team_link:given_team_success", 0.55, "above", 0.003),
    ("C18", "mlm", "team_link:success", 0.05, "above", 0.003),  # max(0.05, 0.2 x 0.2)
    ("C20", "mlm", "success_rate_after_time", 0.55, "above", 0.003),
    ("C21", "mlm", "partial_rank_corr:downline_size,gross_per_year,tenure", 0.1, "above", 0.003),
    ("C22", "referral", "share_above:gross_per_year:15080", 0.01, "above", 0.003),
    ("C6", "referral", "per_sale_spread", 1.05, "below", 0.003),  # linear: within [1, 1.05]
]

# Minimum effects of the directional rules, on the supported case's other scenario.
EFFECTS = [
    # referral - mlm success >= max(0.005, 0.2 x mlm 0.02) = 0.005
    ("C2", "referral", SR, 0.02 + 0.005, "above", 0.002),
    # referral - mlm cohort slope >= max(10, 0.2 x |referral -50|) = 10: mlm <= -60
    ("C4", "mlm", "cohort_slope:gross_per_year", -60.0, "below", 0.5),
    # mlm - referral top 1% >= max(0.01, 0.2 x 0.03) = 0.01
    ("C5", "mlm", TOP1, 0.03 + 0.01, "above", 0.003),
    # mlm - referral spread >= max(0.05, 0.2 x (1 - 1)) = 0.05
    ("C6", "mlm", "per_sale_spread", 1.05, "above", 0.003),
    # referral - mlm retail share >= max(0.05, 0.2 x 0.2) = 0.05
    ("C10", "referral", "retail_share", 0.25, "above", 0.003),
]


def _case(claim, scenario, measure, value):
    values = copy.deepcopy(MAIN_CASES[claim]["supported"])
    values.setdefault(scenario, {})[measure] = steady(value, sd=0.0002, seed=7)
    return main_context(values)


@pytest.mark.parametrize(
    ("claim", "scenario", "measure", "bar", "side", "step"),
    BARS + EFFECTS,
    ids=[f"{c}-{m}" for c, _, m, *_ in BARS + EFFECTS],
)
def test_a_bar_decides_between_just_beyond_and_just_short(
    claim, scenario, measure, bar, side, step
):
    beyond, short = (bar + step, bar - step) if side == "above" else (bar - step, bar + step)
    rule = verdicts.RULES[claim]
    assert decide(rule, _case(claim, scenario, measure, beyond)) == "supported"
    assert decide(rule, _case(claim, scenario, measure, short)) == "refuted"
