import math
import shutil

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from experiments.claims.assess import load_analysis
from experiments.present import explore
from model import MarketModel, ModelParams, available_plans

TINY = explore.RunSize(n_people=300, months=12)


def test_notebook_size_defaults_and_small():
    assert explore.notebook_size({}) == explore.RunSize(n_people=ModelParams().n_people, months=120)
    assert explore.notebook_size({explore.SMALL_ENV: "0"}) == explore.notebook_size({})
    assert explore.notebook_size({explore.SMALL_ENV: ""}) == explore.notebook_size({})
    assert explore.notebook_size({explore.SMALL_ENV: "1"}) == explore.RunSize(1_000, 36)


def test_notebook_size_reads_the_environment(monkeypatch):
    monkeypatch.setenv(explore.SMALL_ENV, "yes")
    assert explore.notebook_size() == explore.SMALL_SIZE
    monkeypatch.delenv(explore.SMALL_ENV)
    assert explore.notebook_size() == explore.notebook_size({})


def test_run_model_is_a_plain_model_run():
    model = explore.run_model("referral", seed=4, size=TINY, bass_q=0.5)
    again = MarketModel(rng=4, n_people=300, plan="referral", bass_q=0.5)
    again.run(12)
    assert len(model.monthly_table()) == 12
    pd.testing.assert_frame_equal(model.participant_table(), again.participant_table())


def test_compare_plans_covers_every_registered_plan_and_seed():
    runs = explore.compare_plans(seeds=(1, 2), size=TINY)
    assert list(runs.columns) == ["plan", "seed", *explore.COMPARE_METRICS]
    assert list(runs["plan"]) == [p for p in available_plans() for _ in (1, 2)]
    assert list(runs["seed"]) == [1, 2] * len(available_plans())
    one = explore.run_model("unilevel", seed=2, size=TINY).run_metrics()
    row = runs[(runs["plan"] == "unilevel") & (runs["seed"] == 2)].iloc[0]
    for metric in explore.COMPARE_METRICS:
        assert row[metric] == pytest.approx(one[metric], nan_ok=True)


def test_compare_plans_same_seed_same_population():
    # the plan does not touch the draws of the network and traits
    runs = {
        plan: explore.run_model(plan, seed=3, size=explore.RunSize(300, 1))
        for plan in ("unilevel", "referral")
    }
    founders = [set(m.participant_table().query("join_month == 0")["id"]) for m in runs.values()]
    assert founders[0] == founders[1]
    skill = [m.participant_table().set_index("id")["skill"] for m in runs.values()]
    common = skill[0].index.intersection(skill[1].index)
    assert len(common) >= 10
    pd.testing.assert_series_equal(skill[0][common], skill[1][common])


def test_summarise_plans_means_over_seeds():
    runs = pd.DataFrame(
        {
            "plan": ["unilevel", "unilevel", "referral"],
            "seed": [1, 2, 1],
            "success_rate": [0.1, 0.3, 0.5],
            "top1_share": [0.2, math.nan, math.nan],
        }
    )
    summary = explore.summarise_plans(runs)
    assert list(summary.index) == ["unilevel", "referral"]
    assert summary.loc["unilevel", "success_rate"] == pytest.approx(0.2)
    assert summary.loc["unilevel", "top1_share"] == pytest.approx(0.2)
    assert math.isnan(summary.loc["referral", "top1_share"])
    assert summary.loc["unilevel", "runs"] == 2
    assert summary.loc["referral", "family"] == "single-level referral / affiliate"


def test_describe_plans():
    table = explore.describe_plans()
    assert list(table.index) == list(available_plans())
    assert not table.loc["referral", "recruiting_reward"]
    assert table.loc["unilevel", "description"].startswith("Unilevel")


def test_what_if_defaults_reproduce_the_default_plan():
    params = explore.WhatIf().model_params()
    default = MarketModel(rng=5, n_people=300, plan="unilevel")
    what_if = MarketModel(rng=5, n_people=300, plan="unilevel", **params)
    assert what_if.plan == default.plan
    assert what_if.params.disappointment_weight == default.params.disappointment_weight
    assert what_if.params.loss_weight == default.params.loss_weight


def test_what_if_knobs():
    params = explore.WhatIf(
        levels=3, starter_fee=0.0, qualification_pv=50.0, dropout_sensitivity=2.0
    ).model_params()
    model = MarketModel(rng=5, n_people=300, plan="unilevel", **params)
    assert model.plan.rates == (0.05, 0.05, 0.05)
    assert (model.plan.starter_fee, model.plan.qualification_pv) == (0.0, 50.0)
    defaults = ModelParams()
    assert model.params.disappointment_weight == 2 * defaults.disappointment_weight
    assert model.params.loss_weight == 2 * defaults.loss_weight
    quiet = explore.WhatIf(dropout_sensitivity=0.0).model_params()
    assert quiet["disappointment_weight"] == quiet["loss_weight"] == 0.0


def test_what_if_deepest_slider_setting_is_valid():
    params = explore.WhatIf(levels=15).model_params()
    model = MarketModel(rng=1, n_people=100, plan="unilevel", **params)
    assert len(model.plan.rates) == 15
    model.run(2)
    model.check_invariants()


def test_charts_draw_one_line_per_run():
    models = {plan: explore.run_model(plan, seed=1, size=TINY) for plan in ("unilevel", "referral")}
    fig = explore.draw_overview(models)
    growth, income, lorenz = fig.axes
    assert [line.get_label() for line in growth.lines] == ["unilevel", "referral"]
    assert [line.get_label() for line in income.lines][:2] == ["unilevel", "referral"]
    assert income.get_yscale() == "symlog"
    assert [line.get_label() for line in lorenz.lines] == ["equality", "unilevel", "referral"]
    population, share = lorenz.lines[1].get_data()
    assert population[0] == 0 and population[-1] == 1
    if models["unilevel"].participant_table().commissions.sum() > 0:
        assert share[-1] == pytest.approx(1.0)
    else:  # income shares of a non-positive total are undefined
        assert np.isnan(share).all()


def test_income_distribution_is_sorted():
    ax = Figure().subplots()
    table = pd.DataFrame({"net_profit": [3.0, -1.0, 2.0, 0.0]})
    explore.plot_income_distribution(ax, {"run": table})
    x, y = ax.lines[0].get_data()
    assert list(y) == [-1.0, 0.0, 2.0, 3.0]
    assert list(x) == [0.125, 0.375, 0.625, 0.875]


def test_plot_plan_comparison_bars_and_dots():
    runs = pd.DataFrame(
        {
            "plan": ["a", "a", "b", "b"],
            "seed": [1, 2, 1, 2],
            "success_rate": [0.1, 0.3, 0.5, 0.7],
            "gini_net": [0.5, 0.5, math.nan, math.nan],
        }
    )
    fig = explore.plot_plan_comparison(runs, ("success_rate", "gini_net"))
    success, gini = fig.axes
    assert [bar.get_height() for bar in success.patches] == pytest.approx([0.2, 0.6])
    heights = [bar.get_height() for bar in gini.patches]
    assert heights[0] == pytest.approx(0.5) and math.isnan(heights[1])
    assert [t.get_text() for t in success.get_xticklabels()] == ["a", "b"]


def test_claims_source_prefers_a_complete_experiment_but_not_at_the_small_size(tmp_path):
    small = explore.claims_source({explore.SMALL_ENV: "1"}, full=explore.CLAIMS_SAMPLE)
    assert small.sample and small.root == explore.CLAIMS_SAMPLE
    assert explore.SMALL_ENV in small.note and "claims_small" in small.note
    missing = explore.claims_source({}, full=tmp_path / "claims")
    assert missing.sample and missing.root == explore.CLAIMS_SAMPLE
    assert "no such folder" in missing.note
    full = tmp_path / "full"
    shutil.copytree(explore.CLAIMS_SAMPLE, full)
    chosen = explore.claims_source({}, full=full)
    assert not chosen.sample and chosen.root == full and str(full) in chosen.note


def test_claim_estimates_and_paired_runs_from_the_sample():
    analysis = load_analysis(explore.CLAIMS_SAMPLE)
    c2 = explore.claim_estimates(analysis, "C2")
    assert c2.index[0] == "primary" and list(dict.fromkeys(c2.index)) == [
        "primary",
        "also",
        "report",
    ]
    assert "claim" not in c2.columns and {"estimate", "low", "high", "a12"} <= set(c2.columns)
    assert not c2.isna().all().any()
    primary = c2.loc[["primary"]].iloc[0]
    pairs = explore.paired_runs(analysis, "success_rate", "referral", "mlm")
    assert list(pairs.columns) == ["referral", "mlm", "difference"]
    assert len(pairs) == primary["n"]
    assert pairs["difference"].mean() == pytest.approx(primary["estimate"])
    fig = Figure()
    explore.plot_paired_runs(fig.subplots(), pairs, "success_rate")
    ax = fig.axes[0]
    assert len(ax.lines) == len(pairs) + 1
    assert [t.get_text() for t in ax.get_xticklabels()] == ["referral", "mlm"]
