"""Helpers for the notebooks in `notebooks/`: run sizes, single runs, plan comparisons, what-ifs.

The notebooks stay thin: they choose what to look at and call these
functions, which run the model through its public surface
(`MarketModel(rng=..., **params)`, `run`, `participant_table`,
`monthly_table`, `run_metrics`) and draw on matplotlib axes handed in.

Run size: `notebook_size` gives the model's default population and the
experiments' default horizon, or a small size (1,000 people, 36 months)
when the environment variable ``DOWNLINE_NOTEBOOK_SMALL`` is set to anything
but ``""`` or ``"0"``; the notebook tests set it (`notebooks/conftest.py`).

Example:
    >>> size = notebook_size({SMALL_ENV: "1"})
    >>> runs = compare_plans(["unilevel", "referral"], seeds=(1, 2), size=size)
    >>> summarise_plans(runs)[["success_rate", "gini_net"]]  # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from experiments.config import ExperimentConfig
from model import MarketModel, ModelParams, available_plans
from model.metrics import lorenz_points
from model.plans import plan_class

__all__ = [
    "COMPARE_METRICS",
    "SMALL_ENV",
    "RunSize",
    "WhatIf",
    "compare_plans",
    "describe_plans",
    "draw_overview",
    "notebook_size",
    "plot_growth",
    "plot_income_distribution",
    "plot_lorenz",
    "plot_plan_comparison",
    "run_model",
    "summarise_plans",
]

SMALL_ENV = "DOWNLINE_NOTEBOOK_SMALL"
"""Environment variable asking the notebooks for the small size (set by the notebook tests)."""

COMPARE_METRICS = (
    "participants_ever",
    "success_rate",
    "loss_rate",
    "median_net",
    "gini_net",
    "gini_commissions",
    "top1_share",
    "top10_share",
    "retail_share",
    "override_share",
    "payout_ratio",
)
"""Run metrics (`model.metrics.run_metrics`) shown when plans are compared."""


@dataclass(frozen=True)
class RunSize:
    """How big and how long a notebook's runs are.

    Attributes:
        n_people: population size [people].
        months: months simulated.
    """

    n_people: int
    months: int


SMALL_SIZE = RunSize(n_people=1_000, months=36)
"""The size under test: each notebook must finish in well under two minutes."""


def notebook_size(environ: Mapping[str, str] | None = None) -> RunSize:
    """The run size for notebooks: the defaults, or `SMALL_SIZE` when asked for.

    Args:
        environ: environment to read `SMALL_ENV` from (None: `os.environ`).

    Returns:
        `SMALL_SIZE` when `SMALL_ENV` is set to anything but "" or "0"; otherwise
        the model's default `n_people` and the experiments' default `months`.
    """
    flag = (os.environ if environ is None else environ).get(SMALL_ENV, "").strip()
    if flag not in ("", "0"):
        return SMALL_SIZE
    return RunSize(
        n_people=ModelParams.model_fields["n_people"].default,
        months=ExperimentConfig.model_fields["months"].default,
    )


def run_model(plan: str, *, seed: int, size: RunSize, **params: Any) -> MarketModel:
    """Build and run one model.

    Args:
        plan: a registered plan name.
        seed: the model's `rng` seed.
        size: population and months.
        **params: other model parameters (e.g. `plan_params`).

    Returns:
        The model after `size.months` months.
    """
    model = MarketModel(rng=seed, n_people=size.n_people, plan=plan, **params)
    model.run(size.months)
    return model


def describe_plans(plans: Iterable[str] | None = None) -> pd.DataFrame:
    """What each plan stands for: family, placement, recruiting reward and description.

    Args:
        plans: plan names (None: every registered plan).

    Returns:
        Indexed by plan: `family`, `structure`, `recruiting_reward`, `description`.
    """
    names = available_plans() if plans is None else tuple(plans)
    rows = {
        name: {
            "family": cls.family,
            "structure": cls.structure,
            "recruiting_reward": cls.recruiting_reward,
            "description": cls.describe(),
        }
        for name, cls in ((name, plan_class(name)) for name in names)
    }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("plan")


def compare_plans(
    plans: Iterable[str] | None = None,
    *,
    seeds: Sequence[int] = (1, 2, 3),
    size: RunSize,
    metrics: Sequence[str] = COMPARE_METRICS,
    **params: Any,
) -> pd.DataFrame:
    """Run every plan with its default parameters on the same populations and seeds.

    A seed fixes the network and the people's traits, so plan `a` and plan `b`
    run with seed `s` face the same population; only the plan differs.

    Args:
        plans: plan names (None: every registered plan, `model.available_plans()`).
        seeds: the seeds, shared by all plans.
        size: population and months.
        metrics: run metrics to keep.
        **params: model parameters shared by all runs (not `plan`).

    Returns:
        One row per plan and seed: columns `plan`, `seed` and the metrics.
    """
    names = available_plans() if plans is None else tuple(plans)
    rows = []
    for name in names:
        for seed in seeds:
            result = run_model(name, seed=seed, size=size, **params).run_metrics()
            rows.append({"plan": name, "seed": seed, **{m: result[m] for m in metrics}})
    return pd.DataFrame(rows, columns=["plan", "seed", *metrics])


def summarise_plans(runs: pd.DataFrame) -> pd.DataFrame:
    """Mean of each metric over seeds, one row per plan, with the plan's family.

    Args:
        runs: the table of `compare_plans`.

    Returns:
        Indexed by plan (in the order first seen): `family`, `runs` and the mean
        of every metric column (NaN metrics, e.g. no commissions, are skipped).
    """
    metrics = runs.drop(columns=["plan", "seed"])
    grouped = metrics.groupby(runs["plan"], sort=False)
    summary = grouped.mean()
    summary.insert(0, "runs", grouped.size())
    summary.insert(0, "family", [plan_class(name).family for name in summary.index])
    return summary


@dataclass(frozen=True)
class WhatIf:
    """The what-if notebook's knobs, turned into unilevel model parameters.

    Attributes:
        levels: paid unilevel levels (plan depth), each at the default unilevel rate.
        starter_fee: one-off starter kit [$].
        qualification_pv: personal volume needed each month to earn [BV/month].
        dropout_sensitivity: multiplier on the drop-out hazard's disappointment and
            loss weights (1: the defaults; 0: people quit only at the base rate).
    """

    levels: int = len(plan_class("unilevel").model_fields["rates"].default)
    starter_fee: float = plan_class("unilevel").model_fields["starter_fee"].default
    qualification_pv: float = plan_class("unilevel").model_fields["qualification_pv"].default
    dropout_sensitivity: float = 1.0

    def model_params(self) -> dict[str, Any]:
        """Keyword arguments for `MarketModel` (or `run_model`, without `plan`).

        Returns:
            `plan_params` and the two drop-out weights.
        """
        rate = plan_class("unilevel").model_fields["rates"].default[0]
        fields = ModelParams.model_fields
        return {
            "plan_params": {
                "rates": (rate,) * self.levels,
                "starter_fee": self.starter_fee,
                "qualification_pv": self.qualification_pv,
            },
            "disappointment_weight": self.dropout_sensitivity
            * fields["disappointment_weight"].default,
            "loss_weight": self.dropout_sensitivity * fields["loss_weight"].default,
        }


# ------------------------------------------------------------------ charts
def plot_growth(
    ax: Axes, monthly: Mapping[str, pd.DataFrame], column: str = "participants"
) -> None:
    """One line per run: a monthly-table column over time.

    Args:
        ax: axes to draw on.
        monthly: monthly tables by label.
        column: the column drawn.
    """
    for label, table in monthly.items():
        ax.plot(table.index, table[column], label=label)
    ax.set(xlabel="month", ylabel=column.replace("_", " "), title=f"{column.replace('_', ' ')}")
    ax.legend()


def plot_income_distribution(
    ax: Axes, participants: Mapping[str, pd.DataFrame], column: str = "net_profit"
) -> None:
    """Pen's parade: each run's participants sorted by income, on a symmetric-log axis.

    The x axis is the share of participants with a lower income, so the point
    where a curve crosses zero is its loss rate.

    Args:
        ax: axes to draw on.
        participants: participant tables by label.
        column: the income column ($ over the whole run).
    """
    for label, table in participants.items():
        values = np.sort(table[column].to_numpy(dtype=np.float64))
        share = (np.arange(values.size) + 0.5) / max(values.size, 1)
        ax.plot(share, values, label=label)
    ax.axhline(0.0, color="grey", linewidth=0.8)
    ax.set_yscale("symlog", linthresh=100.0)
    ax.set(
        xlabel="share of participants (poorest first)",
        ylabel=f"{column.replace('_', ' ')} ($, symlog)",
        title="income distribution",
    )
    ax.legend()


def plot_lorenz(
    ax: Axes, participants: Mapping[str, pd.DataFrame], column: str = "commissions"
) -> None:
    """Lorenz curves of one column, with the line of equality.

    Args:
        ax: axes to draw on.
        participants: participant tables by label.
        column: the column (runs where its total is not positive draw nothing).
    """
    ax.plot([0, 1], [0, 1], color="grey", linewidth=0.8, linestyle="--", label="equality")
    for label, table in participants.items():
        population, income = lorenz_points(table[column], n_points=201)
        ax.plot(population, income, label=label)
    ax.set(
        xlabel="share of participants",
        ylabel=f"share of {column.replace('_', ' ')}",
        title=f"Lorenz curves of {column.replace('_', ' ')}",
        xlim=(0, 1),
    )
    ax.legend()


def plot_plan_comparison(
    runs: pd.DataFrame,
    metrics: Sequence[str] = ("success_rate", "gini_net", "top10_share", "retail_share"),
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """One panel per metric: each plan's mean over seeds as a bar, each seed as a dot.

    Args:
        runs: the table of `compare_plans`.
        metrics: metric columns to draw.
        figsize: figure size in inches (None: 3.5 inches wide per panel).

    Returns:
        A new figure (not registered with pyplot).
    """
    plans = list(dict.fromkeys(runs["plan"]))
    x = np.arange(len(plans))
    fig = Figure(figsize=figsize or (3.5 * len(metrics), 3.5), layout="constrained")
    for ax, metric in zip(np.atleast_1d(fig.subplots(1, len(metrics))), metrics, strict=True):
        by_plan = [runs.loc[runs["plan"] == plan, metric].to_numpy(np.float64) for plan in plans]
        ax.bar(x, [np.nanmean(v) if np.isfinite(v).any() else np.nan for v in by_plan], alpha=0.6)
        for i, values in enumerate(by_plan):
            ax.plot(np.full(values.size, x[i]), values, "k.", markersize=4)
        ax.set_xticks(x, plans, rotation=45, ha="right")
        ax.set_title(metric.replace("_", " "))
    return fig


def draw_overview(
    models: Mapping[str, MarketModel], figsize: tuple[float, float] = (15, 4.5)
) -> Figure:
    """Growth, income distribution and Lorenz curves of finished runs, side by side.

    Args:
        models: finished models by label.
        figsize: figure size in inches.

    Returns:
        A new figure (not registered with pyplot; display it or save it).
    """
    participants = {label: m.participant_table() for label, m in models.items()}
    fig = Figure(figsize=figsize, layout="constrained")
    growth, income, lorenz = fig.subplots(1, 3)
    plot_growth(growth, {label: m.monthly_table() for label, m in models.items()})
    plot_income_distribution(income, participants)
    plot_lorenz(lorenz, participants)
    return fig
