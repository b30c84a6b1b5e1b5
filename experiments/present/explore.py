"""Helpers for the notebooks in `notebooks/`: run sizes, runs, plan comparisons, claims results.

The notebooks stay thin: they choose what to look at and call these
functions, which read saved results or run the model through its public surface
(`MarketModel(rng=..., **params)`, `run`, `participant_table`,
`monthly_table`, `run_metrics`) and draw on matplotlib axes handed in.

Run size: `notebook_size` gives the model's default population and the
experiments' default horizon, or a small size (1,000 people, 36 months)
when the environment variable ``DOWNLINE_NOTEBOOK_SMALL`` is set to anything
but ``""`` or ``"0"``; the notebook tests set it (`notebooks/conftest.py`).

Claims results: `claims_source` picks the claims experiment's folder
(`results/claims/`) when it is finished and analysed, else the committed
sample (`results/samples/claims_small/`, always at the small size);
`claim_estimates` and `paired_runs` pick one claim's numbers out of its
analysis (`experiments.claims.assess.load_analysis`).

Example:
    >>> size = notebook_size({SMALL_ENV: "1"})
    >>> runs = compare_plans(["unilevel", "referral"], seeds=(1, 2), size=size)
    >>> summarise_plans(runs)[["success_rate", "gini_net"]]  # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from experiments.claims.assess import Analysis, incomplete_reason
from experiments.paths import PROJECT_ROOT, SAMPLES_DIR, results_path
from experiments.spec.schema import ExperimentConfig
from model import MarketModel, ModelParams, available_plans
from model.metrics import lorenz_points
from model.plans import plan_class

__all__ = [
    "CLAIMS_EXPERIMENT",
    "CLAIMS_SAMPLE",
    "COMPARE_METRICS",
    "SMALL_ENV",
    "ClaimsSource",
    "RunSize",
    "WhatIf",
    "claim_estimates",
    "claims_source",
    "compare_plans",
    "describe_plans",
    "draw_overview",
    "notebook_size",
    "paired_runs",
    "plot_growth",
    "plot_income_distribution",
    "plot_lorenz",
    "plot_paired_runs",
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
    if _small(environ):
        return SMALL_SIZE
    return RunSize(
        n_people=ModelParams.model_fields["n_people"].default,
        months=ExperimentConfig.model_fields["months"].default,
    )


def _small(environ: Mapping[str, str] | None) -> bool:
    flag = (os.environ if environ is None else environ).get(SMALL_ENV, "").strip()
    return flag not in ("", "0")


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


# ------------------------------------------------------------ claims results
CLAIMS_EXPERIMENT = "claims"
"""The claims experiment's name: its results folder is `results/claims/`."""

CLAIMS_SAMPLE = SAMPLES_DIR / "claims_small"
"""The committed small claims results (2 replications, 1,000 people, 36 months)."""


@dataclass(frozen=True)
class ClaimsSource:
    """Which claims results a notebook reads, and why.

    Attributes:
        root: the suite's results folder (holding `analysis/`).
        sample: whether it is the committed sample rather than a full run.
        note: one line saying which folder is read and why.
    """

    root: Path
    sample: bool
    note: str


def claims_source(
    environ: Mapping[str, str] | None = None, full: str | Path | None = None
) -> ClaimsSource:
    """The claims results to show: the experiment's folder when complete, else the sample.

    Args:
        environ: environment to read `SMALL_ENV` from (None: `os.environ`); at
            the small size the sample is always used, so tests are fast and
            deterministic.
        full: the full results folder (None: `results/claims/`).

    Returns:
        The folder, whether it is the sample, and a note saying why
        (`experiments.claims.assess.incomplete_reason` when the full folder is not complete).
    """
    full = Path(full) if full is not None else results_path(CLAIMS_EXPERIMENT)
    sample = f"the committed sample {_shown(CLAIMS_SAMPLE)}"
    if _small(environ):
        return ClaimsSource(CLAIMS_SAMPLE, True, f"small size ({SMALL_ENV}): using {sample}")
    reason = incomplete_reason(full)
    if reason is None:
        return ClaimsSource(full, False, f"using the claims experiment's results in {_shown(full)}")
    return ClaimsSource(CLAIMS_SAMPLE, True, f"{reason}; using {sample}")


def _shown(path: Path) -> str:
    """A path relative to the checkout when it is inside it."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def claim_estimates(analysis: Analysis, claim: str) -> pd.DataFrame:
    """One claim's estimates: levels and paired differences with their CIs and tests.

    Args:
        analysis: a suite's analysis.
        claim: the claim id, e.g. "C2".

    Returns:
        The claim's rows of `analysis.estimates` (primary first, then also,
        then report), indexed by role, without the claim column and without
        columns that are empty for every row (e.g. p values of levels).
    """
    est = analysis.estimates
    rows = est[est["claim"] == claim].drop(columns="claim")
    order = {"primary": 0, "also": 1, "report": 2}
    rows = rows.sort_values("role", key=lambda r: r.map(order).fillna(3), kind="stable")
    return rows.dropna(axis="columns", how="all").set_index("role")


def paired_runs(
    analysis: Analysis, measure: str, a: str, b: str, part: str = "main"
) -> pd.DataFrame:
    """A measure in two scenarios run on the same seeds, one row per replication.

    Args:
        analysis: a suite's analysis.
        measure: a measure column of the part's runs, e.g. "success_rate".
        a: the first scenario (e.g. "referral").
        b: the second (e.g. "mlm").
        part: the suite part.

    Returns:
        Indexed by replication (those with a run in both scenarios, at the
        first design point): columns `a`, `b` and ``difference`` (a - b).
    """
    runs = analysis.measures[part]
    first = runs["point"].min()
    runs = runs[runs["point"] == first]
    wide = runs.pivot_table(index="replication", columns="scenario", values=measure)
    wide = wide[[a, b]].dropna()
    wide.columns.name = None
    return wide.assign(difference=wide[a] - wide[b])


def plot_paired_runs(ax: Axes, pairs: pd.DataFrame, measure: str = "") -> None:
    """Each replication's value in two scenarios joined by a line (from `paired_runs`).

    Args:
        ax: axes to draw on.
        pairs: the table of `paired_runs` (its first two columns are the scenarios).
        measure: the measure's name, for the y label.
    """
    a, b = pairs.columns[:2]
    x = np.array([0.0, 1.0])
    for values in pairs[[a, b]].to_numpy(dtype=np.float64):
        ax.plot(x, values, color="grey", alpha=0.5, linewidth=0.8, marker="o", markersize=3)
    ax.plot(
        x, pairs[[a, b]].mean().to_numpy(), color="black", linewidth=2, marker="o", label="mean"
    )
    ax.set_xticks(x, [a, b])
    ax.set_xlim(-0.3, 1.3)
    ax.set(
        ylabel=measure.replace("_", " "),
        title=f"{len(pairs)} replications, same seeds in both",
    )
    ax.legend()
