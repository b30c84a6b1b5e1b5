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
# # 04 · What if? Turn the knobs of an MLM
#
# **Purpose.** Explore interactively how a unilevel MLM's outcomes respond to
# four knobs: the plan depth (how many levels of downline pay commissions,
# each at the default 5%), the starter-kit fee, the monthly personal volume a
# participant must buy to earn commissions (qualification volume), and the
# drop-out sensitivity (a multiplier on how strongly disappointment and
# accumulated losses raise the monthly chance of quitting; 1 is the default,
# 0 leaves only the base quit rate). Each change reruns the model with the
# same seed, so only the knobs differ, and redraws growth, the income
# distribution and the Lorenz curves of commissions against two fixed
# baselines: the default unilevel plan and the referral programme. Run the
# notebook in Jupyter to use the sliders; run top to bottom without a
# front end (as the tests do), it draws the default settings once.

# %%
# %matplotlib inline
import ipywidgets as widgets
import pandas as pd
from IPython.display import clear_output, display

from experiments.present import explore

# %% tags=["parameters"]
# the model's defaults; DOWNLINE_NOTEBOOK_SMALL=1 (set by the tests): 1,000 people, 36 months
SIZE = explore.notebook_size()
SEED = 1  # shared by every run
print(SIZE)

# %% [markdown]
# ## Baselines
#
# Run once; the what-if run is drawn against them.

# %%
baselines = {
    "unilevel (default)": explore.run_model("unilevel", seed=SEED, size=SIZE),
    "referral (default)": explore.run_model("referral", seed=SEED, size=SIZE),
}

# %% [markdown]
# ## The knobs
#
# Sliders rerun the model when released. Plan depth stops at 15 levels
# (at 5% a level, deeper plans would pay out about all of the volume).

# %%
defaults = explore.WhatIf()
style = {"description_width": "180px"}
layout = widgets.Layout(width="520px")
sliders = {
    "levels": widgets.IntSlider(
        value=defaults.levels, min=1, max=15, description="plan depth (levels)"
    ),
    "starter_fee": widgets.FloatSlider(
        value=defaults.starter_fee, min=0, max=500, step=10, description="starter fee ($)"
    ),
    "qualification_pv": widgets.FloatSlider(
        value=defaults.qualification_pv,
        min=0,
        max=300,
        step=10,
        description="qualification volume (BV/month)",
    ),
    "dropout_sensitivity": widgets.FloatSlider(
        value=defaults.dropout_sensitivity,
        min=0,
        max=5,
        step=0.25,
        description="drop-out sensitivity (x)",
    ),
}
for slider in sliders.values():
    slider.continuous_update = False
    slider.style = style
    slider.layout = layout
charts = widgets.Output()


def update(
    levels: int, starter_fee: float, qualification_pv: float, dropout_sensitivity: float
) -> None:
    """Rerun the what-if model with these knob values and redraw the charts and metrics."""
    what_if = explore.WhatIf(levels, starter_fee, qualification_pv, dropout_sensitivity)
    models = {
        "what-if unilevel": explore.run_model(
            "unilevel", seed=SEED, size=SIZE, **what_if.model_params()
        )
    }
    models.update(baselines)
    fig = explore.draw_overview(models)
    metrics = pd.DataFrame({label: model.run_metrics() for label, model in models.items()})
    with charts:
        clear_output(wait=True)
        display(fig)
        display(metrics.loc[list(explore.COMPARE_METRICS)].round(3))


def on_change(_change: dict) -> None:
    """Slider callback: rerun with the sliders' current values."""
    update(**{name: slider.value for name, slider in sliders.items()})


for slider in sliders.values():
    slider.observe(on_change, names="value")
display(widgets.VBox([*sliders.values(), charts]))

# %% [markdown]
# Draw the default settings once (this also runs when the notebook is
# executed without a front end, e.g. by the tests).

# %%
update(**{name: slider.value for name, slider in sliders.items()})
