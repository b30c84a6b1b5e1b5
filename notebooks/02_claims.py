# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 · The claims and their verdicts
#
# **Purpose.** Read the results of the claims experiment (the 19 claims of
# the five articles, `docs/claims.md`) and look at what decided their
# verdicts: first the verdict table of every claim, then three claims in
# detail with the numbers and charts behind them: C1 (most MLM participants
# lose money), C2 (word-of-mouth referral selling has a higher success rate
# than MLM: a paired difference over replications on the same seeds) and C3
# (MLM income is pyramid-shaped: Lorenz curves of commissions). Nothing is
# simulated or re-analysed here: the notebook reads the saved analysis
# (`downline report results/claims` writes it, with `report.md` and
# `report.html`, which cover every claim) of `results/claims/` when that run
# is finished, and otherwise the small committed sample
# `results/samples/claims_small/` (two replications of 1,000 people over 36
# months: it shows the method, its numbers are not evidence). The first
# output says which one was read.

# %%
# %matplotlib inline
import textwrap

import pandas as pd
from IPython.display import display
from matplotlib.figure import Figure

from experiments.claims import assess
from experiments.paths import results_path
from experiments.present import chartset, explore, report

# %% [markdown]
# `claims_source` picks the folder: `results/claims/` when every part of the
# suite is finished and its analysis was saved from those runs, else the
# committed sample. At the small size (`DOWNLINE_NOTEBOOK_SMALL=1`, set by
# the tests) it always reads the sample, so the test is fast and its output
# fixed.

# %% tags=["parameters"]
# the model's defaults; DOWNLINE_NOTEBOOK_SMALL=1 (set by the tests): the committed sample
SIZE = explore.notebook_size()
FULL_RESULTS = results_path("claims")  # the claims experiment's folder (`make run`)
WALK_THROUGH = ("C1", "C2", "C3")  # claims looked at in detail below
print(SIZE)

# %%
source = explore.claims_source(full=FULL_RESULTS)
print(source.note)
analysis = assess.load_analysis(source.root)
claims = analysis.claims.set_index("claim")
parts = pd.DataFrame(analysis.info["parts"]).T[["runs", "failed", "pending"]]
print(f"suite {analysis.info['suite']!r}, analysis written {analysis.info['created_at']}")
display(parts)

# %% [markdown]
# ## Every claim and its verdict
#
# One row per claim: the claim in short, the article it comes from (file
# number in `../shared/seeds/`), the regime it is about, the measure that
# tests it and its estimate at the default parameters (mean over
# replications with its 95% bootstrap CI; `a - b` rows are paired
# differences between scenarios run on the same seeds), the share of
# sampled parameter points (Latin hypercube over the uncertain behavioural
# parameters) where the claim's rule holds, with its 95% interval, then the
# verdict at the defaults and the final verdict. A clear verdict at the
# defaults becomes `depends-on` when the robustness share is not surely
# above 75% (supported) or below 25% (refuted); `inconclusive` means the CI
# at the defaults straddles the rule's threshold.

# %%
with pd.option_context("display.max_colwidth", 90):
    display(report.verdict_table(analysis))
analysis.claims["verdict"].value_counts()


# %% [markdown]
# The charts below are the report's (`experiments.present.chartset`), drawn from the
# saved runs of the suite's `main` part (the `mlm` and `referral` scenarios)
# and `depth` part (unilevel plans with 1 to 7 paid levels).


# %%
def show_claim(claim_id: str) -> None:
    """The claim's verdict and the analysis's reason for it, then its estimates."""
    row = claims.loc[claim_id]
    print(f"{claim_id}: {row['summary']}")
    print(f"verdict: {row['verdict']} (at the defaults: {row['verdict_at_defaults']})")
    print(textwrap.fill(f"reason: {row['reason']}", width=100, subsequent_indent="  "))
    display(explore.claim_estimates(analysis, claim_id))


drawers = chartset.chart_data(source.root, analysis)
figures: dict[str, Figure] = {}

# %% [markdown]
# ## C1 · MLM success is low and most participants lose money
#
# Success is a net income above $0 over the whole run (retail profit plus
# commissions, minus fees, product bought to qualify, leads and running
# costs), counted over everyone who ever took part, including those who quit
# early. The rule: supported when the CI of the MLM success rate lies below
# 50% and the CI of its loss rate above 50%. The first chart gives both rates
# per regime with their CIs; the second the whole distribution of net income
# (symmetric log scale, so losses and gains of every size show), with each
# regime's share below break-even in the legend. `success_rate_after_time`
# also charges the hours worked at the opportunity wage.

# %%
show_claim("C1")
for name in chartset.CLAIM_CHARTS["C1"]:
    figures[name] = drawers[name]()
    display(figures[name])

# %% [markdown]
# ## C2 · Referral selling has a higher success rate than MLM
#
# Both regimes run on the same seeds, so replication *r* of `referral` and
# of `mlm` face the same people on the same network: the test is the paired
# difference `referral - mlm` of the success rate, with its 95% bootstrap
# CI, the Wilcoxon signed-rank p (Holm-adjusted over the catalogue) and the
# Vargha-Delaney A (the probability that a referral run beats its MLM twin;
# 0.5 is no effect, 0.71 or more, or 0.29 or less, is large). The rule needs
# a difference of at least 2 percentage points: supported if the CI lies
# above 0, the estimate is at least 0.02 and the adjusted p is below 0.05;
# refuted if the CI's upper bound is below 0.02. Referral participants are
# customers who chose to join, so the denominators differ; the winners and
# losers per 1,000 people show whether a rate comes from fewer participants.
#
# The first chart joins each replication's two runs (grey) and their means
# (black); the second reads 003's "network marketing" as a shallow
# multi-level plan: the success rate by number of paid levels (0 = referral).

# %%
show_claim("C2")
pairs = explore.paired_runs(analysis, "success_rate", "referral", "mlm")
display(pairs.describe().loc[["count", "mean", "min", "max"]])
figures["paired_success_rate"] = Figure(figsize=(4, 4), layout="constrained")
explore.plot_paired_runs(
    figures["paired_success_rate"].subplots(), pairs, "success_rate (net income > $0)"
)
display(figures["paired_success_rate"])
for name in chartset.CLAIM_CHARTS["C2"]:
    figures[name] = drawers[name]()
    display(figures[name])

# %% [markdown]
# ## C3 · MLM income is pyramid-shaped
#
# "Those at the top benefit the most" is tested two ways: the Spearman
# correlation between a participant's depth in the sponsor tree (1 =
# founder) and net income, within each run (negative: the higher up, the
# more they earn), and the share of all commissions paid to the best-paid
# 10% of participants. Supported when, under MLM, the CI of the correlation
# lies below 0 and the CI of `top10_share` above 0.5. The same numbers under
# referral and the paired difference `mlm - referral` are reported: depth
# goes with entry time, so part of any correlation is timing (C4 and C8
# separate the two). The Lorenz curves pool every participant of every run
# per regime: the further a curve sags below the diagonal, the more the
# commissions go to a few people; the Gini is in the legend.

# %%
show_claim("C3")
for name in chartset.CLAIM_CHARTS["C3"]:
    figures[name] = drawers[name]()
    display(figures[name])

# %% [markdown]
# The other claims, their methods and charts are in the report
# (`downline report results/claims` writes `report.md` and `report.html`);
# `docs/claims.md` gives every claim's quote, measure and verdict rule.
