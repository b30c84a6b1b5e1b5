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
# # 01 · One MLM run and one referral run
#
# **Purpose.** Build the two regimes the project compares, a multi-level
# marketing company paying a 7-level `unilevel` plan and a word-of-mouth
# `referral` (affiliate) programme, with every parameter at its default and
# the same seed (so the same people on the same social network), run them
# month by month, and look inside: how the number of participants and
# customers grows, how net profit is distributed among everyone who ever
# took part, how concentrated the commissions are (Lorenz curves), and what
# the sponsor tree looks like near the top, coloured by each participant's
# net profit. One run is an illustration, not evidence: the claims are tested
# over many seeds by the experiments (`docs/claims.md`).

# %%
# %matplotlib inline
import numpy as np
import pandas as pd
from IPython.display import display
from matplotlib import pyplot as plt

from experiments.present import explore, trees

# %% tags=["parameters"]
# the model's defaults; DOWNLINE_NOTEBOOK_SMALL=1 (set by the tests): 1,000 people, 36 months
SIZE = explore.notebook_size()
SEED = 1  # shared by both regimes
REGIMES = ("unilevel", "referral")
TREE_ROOTS = 3  # sponsor trees drawn per regime
TREE_LEVELS = 4  # generations drawn below each root
print(SIZE)

# %% [markdown]
# ## Run the two regimes
#
# `explore.run_model` is `MarketModel(rng=SEED, n_people=..., plan=...)`
# followed by `.run(months)`. `check_invariants` confirms that every dollar is
# accounted for.

# %%
models = {plan: explore.run_model(plan, seed=SEED, size=SIZE) for plan in REGIMES}
for model in models.values():
    model.check_invariants()
participants = {plan: model.participant_table() for plan, model in models.items()}
monthly = {plan: model.monthly_table() for plan, model in models.items()}
headline = pd.DataFrame({plan: model.run_metrics() for plan, model in models.items()})
headline.loc[list(explore.COMPARE_METRICS)]

# %% [markdown]
# ## Growth over time
#
# Active participants at each month's end, and active customers (people who
# buy but do not take part). In the MLM, recruiting feeds the number of
# participants until prospects run out or quit; in the referral programme
# participants only pitch the product.

# %%
fig, axes = plt.subplots(1, 3, figsize=(15, 4), layout="constrained")
for ax, column in zip(axes, ("participants", "customers", "joins"), strict=True):
    explore.plot_growth(ax, monthly, column)

# %% [markdown]
# ## Income distribution
#
# Everyone who ever participated, sorted by net profit over the whole run
# (retail profit plus commissions, minus fees, product bought to qualify,
# leads and running costs). The vertical axis is linear within ±$100 and
# logarithmic beyond; where a curve crosses zero is the regime's loss rate.

# %%
fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
explore.plot_income_distribution(ax, participants)
quantiles = pd.DataFrame(
    {
        plan: table["net_profit"].quantile([0.1, 0.25, 0.5, 0.75, 0.9, 0.99])
        for plan, table in participants.items()
    }
)
display(quantiles.rename_axis("net_profit quantile"))

# %% [markdown]
# ## Lorenz curves
#
# The share of all commissions received by the poorest x% of participants.
# The further a curve sags below the diagonal, the more the commissions go to
# a few people; `gini_commissions`, `top1_share` and `top10_share` above
# summarise the same curves.

# %%
fig, ax = plt.subplots(figsize=(5.5, 5), layout="constrained")
explore.plot_lorenz(ax, participants, "commissions")

# %% [markdown]
# ## Sponsor trees
#
# Who recruited whom, near the top: on the left the roots (founders, or
# customers who joined after their seller left) with the largest downlines,
# on the right a random sample of roots that recruited someone, each with the
# first generations below it. Colour is net profit over the run (red: loss,
# blue: profit; symmetric-log scale). In the referral programme recruiting
# pays nothing, and its tree grows only from customers who chose to join.

# %%
rng = np.random.default_rng(SEED)
fig, axes = plt.subplots(len(REGIMES), 2, figsize=(16, 4.5 * len(REGIMES)), layout="constrained")
for row, plan in zip(axes, REGIMES, strict=True):
    forest = trees.sponsor_tree(participants[plan])
    picks = {
        "largest downlines": trees.largest_roots(forest, TREE_ROOTS),
        "random roots": trees.sample_roots(forest, TREE_ROOTS, rng),
    }
    for ax, (how, roots) in zip(row, picks.items(), strict=True):
        drawn = trees.top_levels(forest, roots, TREE_LEVELS)
        colours = trees.draw_sponsor_tree(ax, drawn)
        fig.colorbar(colours, ax=ax, label="net profit ($)", shrink=0.8)
        ax.set_title(f"{plan}, {how}: {drawn.number_of_nodes()} participants")
