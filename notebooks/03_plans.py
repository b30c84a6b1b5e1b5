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
# # 03 · Compensation plans side by side
#
# **Purpose.** Compare every registered compensation plan
# (`model.available_plans()`, so plans added later appear here without
# editing the notebook) on the same population and the same seeds: each seed
# fixes the social network and everyone's traits, and only the plan changes.
# Each plan runs with its own default parameters and everything else at the
# model's defaults. For each plan we look at the share of participants who
# made a profit (success rate), the Gini coefficient of net profit, the share
# of commissions taken by the top 1% and 10%, and the retail share of the
# volume (sales to non-participants). The seeds are few: differences smaller
# than the spread of the dots are noise; the experiments (`docs/experiments.md`)
# replicate properly.

# %%
# %matplotlib inline
from IPython.display import display

from experiments.present import explore
from model import available_plans

# %% tags=["parameters"]
# the model's defaults; DOWNLINE_NOTEBOOK_SMALL=1 (set by the tests): 1,000 people, 36 months
SIZE = explore.notebook_size()
SEEDS = (1, 2, 3)  # shared by every plan
PLANS = available_plans()
print(SIZE, PLANS)

# %% [markdown]
# ## The plans

# %%
explore.describe_plans(PLANS)

# %% [markdown]
# ## Run every plan on every seed
#
# One row per plan and seed; then the mean over seeds, one row per plan.

# %%
runs = explore.compare_plans(PLANS, seeds=SEEDS, size=SIZE)
summary = explore.summarise_plans(runs)
display(runs.round(3))
summary.round(3)

# %% [markdown]
# ## The headline metrics
#
# Bars are the means over seeds, dots the single runs. `gini_net` is the
# Gini of net profit (normalised for negative values); `top10_share` the
# share of all commissions paid to the best-paid 10% of participants;
# `retail_share` the share of the volume bought by non-participants.

# %%
explore.plot_plan_comparison(
    runs, ("success_rate", "gini_net", "top1_share", "top10_share", "retail_share")
)

# %% [markdown]
# ## One seed in detail
#
# Growth, income distribution and Lorenz curves of commissions for the first
# seed, all plans on the same axes.

# %%
models = {plan: explore.run_model(plan, seed=SEEDS[0], size=SIZE) for plan in PLANS}
explore.draw_overview(models)
