"""Runs the app steps month by month, and the charts it redraws after every step.

`LiveRuns` is a Mesa model holding one `MarketModel` per plan shown (two in
compare mode, built on the same seed, so both plans face the same people and
network); Mesa's controls step it. The chart functions draw the runs' current
tables with the report's chart functions (`experiments.present.charts`), grouped by
plan, so each plan has the same colour in the app as in the report.

Example:
    >>> from experiments.present.inputs import default_texts, read_settings
    >>> settings, _ = read_settings("unilevel", {**default_texts("unilevel"), "n_people": "500"})
    >>> runs = LiveRuns(settings, compare="referral")
    >>> runs.step()
    >>> sorted(runs.runs)
    ['referral', 'unilevel']
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import mesa
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from experiments.present.charts import (
    STYLE,
    lorenz_curves,
    net_income_distribution,
    participants_over_time,
    success_and_loss_rates,
)
from experiments.present.inputs import Settings
from experiments.present.trees import draw_sponsor_tree, largest_roots, sponsor_tree, top_levels
from model import MarketModel

__all__ = [
    "CHARTS",
    "METRICS",
    "LiveRuns",
    "charts_zip",
    "draw_growth",
    "draw_income",
    "draw_lorenz",
    "draw_rates",
    "draw_tree",
]

TREE_ROOTS = 3
"""Sponsor trees drawn per plan: the founders with the largest downlines."""
TREE_LEVELS = 4
"""Generations drawn below each of them."""
RATES = ("success_rate", "success_rate_after_time", "loss_rate")
"""Run metrics drawn by `draw_rates`."""
METRICS = (
    "participants_ever",
    "success_rate",
    "success_rate_after_time",
    "loss_rate",
    "median_net",
    "gini_net",
    "top10_share",
    "retail_share",
    "override_share",
    "payout_ratio",
)
"""Run metrics shown side by side in the app's table."""


class LiveRuns(mesa.Model):
    """One run per plan shown, stepped together one month at a time.

    Args:
        settings: the run settings (seed, horizon, plan, model parameters).
        compare: a second plan run beside the first with the same seed and
            model parameters (its own plan parameters at their defaults), or None.

    Attributes:
        runs: the `MarketModel` of each plan, the chosen plan first.
        months: the horizon; `running` turns False when it is reached.
    """

    def __init__(self, settings: Settings, compare: str | None = None) -> None:
        super().__init__(rng=settings.seed)
        self.settings = settings
        self.months = settings.months
        self._participants: tuple[int, pd.DataFrame] | None = None
        self.runs: dict[str, MarketModel] = {
            settings.plan: MarketModel(rng=settings.seed, plan=settings.plan, **settings.params)
        }
        if compare is not None and compare != settings.plan:
            params = {**settings.params, "plan_params": {}}
            self.runs[compare] = MarketModel(rng=settings.seed, plan=compare, **params)

    @property
    def month(self) -> int:
        """Months simulated so far."""
        return next(iter(self.runs.values())).month

    def step(self) -> None:
        """Advance every run by one month; stop at the horizon."""
        if self.month >= self.months:
            self.running = False
            return
        for run in self.runs.values():
            run.step()
        self.running = self.month < self.months

    def monthly(self) -> pd.DataFrame:
        """The monthly tables of all runs, with `plan` and `month` columns (empty at month 0)."""
        tables = [
            run.monthly_table().reset_index().assign(plan=plan) for plan, run in self.runs.items()
        ]
        return pd.concat(tables, ignore_index=True)

    def metrics(self) -> pd.DataFrame:
        """Run metrics so far (`METRICS`), one column per plan."""
        table = pd.DataFrame({plan: run.run_metrics() for plan, run in self.runs.items()})
        return table.loc[list(METRICS)]

    def participants(self) -> pd.DataFrame:
        """The participant tables of all runs, with a `plan` column first (kept for the month)."""
        if self._participants is None or self._participants[0] != self.month:
            tables = [run.participant_table().assign(plan=plan) for plan, run in self.runs.items()]
            table = pd.concat(tables, ignore_index=True)
            self._participants = (self.month, table[["plan", *table.columns.drop("plan")]])
        return self._participants[1]


def _no_data(message: str) -> Figure:
    fig = Figure(figsize=(6.4, 4.0))
    ax = fig.subplots()
    ax.text(0.5, 0.5, message, ha="center", va="center")
    ax.set_axis_off()
    return fig


def draw_growth(runs: LiveRuns) -> Figure:
    """Active participants (solid) and customers (dashed) per month, one colour per plan."""
    monthly = runs.monthly()
    if monthly.empty:
        return _no_data("participants and customers: step the model to start")
    fig = participants_over_time(monthly, "participants", by="plan")
    ax = fig.axes[0]
    for line in list(ax.get_lines()):
        plan = line.get_label()
        rows = monthly[monthly["plan"] == plan]
        ax.plot(
            rows["month"],
            rows["customers"],
            color=line.get_color(),
            linestyle="--",
            label=f"{plan} customers",
        )
        line.set_label(f"{plan} participants")
    ax.set_ylabel("people")
    ax.set_title("Participants and customers over time")
    ax.legend()
    return fig


def draw_income(runs: LiveRuns, participants: pd.DataFrame) -> Figure:
    """Net income per participant so far on a symlog axis, with break-even and the share losing."""
    del runs
    if participants.empty:
        return _no_data("no participants yet")
    return net_income_distribution(participants, by="plan")


def draw_lorenz(runs: LiveRuns, participants: pd.DataFrame) -> Figure:
    """Lorenz curves of commissions so far, with each plan's Gini.

    Commissions rather than net income: early on nearly everyone has lost
    money, and the Lorenz curve of a negative total is undefined.
    """
    del runs
    if participants.empty:
        return _no_data("no participants yet")
    return lorenz_curves(participants, "commissions", by="plan")


def draw_rates(runs: LiveRuns, participants: pd.DataFrame) -> Figure:
    """Success rate (before and after time cost) and loss rate so far, per plan."""
    if participants.empty:
        return _no_data("no participants yet")
    metrics = runs.metrics()
    summary = pd.DataFrame(
        [
            {"plan": plan, "metric": m, "estimate": metrics.at[m, plan]}
            for plan in metrics.columns
            for m in RATES
        ]
    ).assign(ci_low=np.nan, ci_high=np.nan)
    fig = success_and_loss_rates(summary, by="plan")
    fig.axes[0].set_ylabel("share of participants (this run)")
    return fig


def draw_tree(runs: LiveRuns, participants: pd.DataFrame) -> Figure:
    """A sample of each plan's sponsor tree, coloured by net profit (plans side by side)."""
    plans = list(runs.runs)
    fig = Figure(figsize=(6.4 * len(plans), 4.0), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(plans)))
    for ax, plan in zip(axes, plans, strict=True):
        rows = participants.loc[participants["plan"] == plan, ["id", "sponsor", "net_profit"]]
        if rows.empty:
            ax.set_axis_off()
            ax.set_title(f"{plan}: no participants yet")
            continue
        tree = sponsor_tree(rows)
        sample = top_levels(tree, largest_roots(tree, TREE_ROOTS), TREE_LEVELS)
        mapping = draw_sponsor_tree(ax, sample)
        fig.colorbar(mapping, ax=ax, label="net profit ($, symlog)", shrink=0.8)
        ax.set_title(
            f"{plan}: {TREE_ROOTS} largest downlines, {TREE_LEVELS} levels "
            f"({sample.number_of_nodes():,} of {len(rows):,} participants)",
            fontsize=STYLE["axes.titlesize"],
        )
    return fig


CHARTS: dict[str, Callable[[LiveRuns, pd.DataFrame], Figure]] = {
    "growth": lambda runs, _participants: draw_growth(runs),
    "income": draw_income,
    "lorenz": draw_lorenz,
    "rates": draw_rates,
    "tree": draw_tree,
}
"""Every live chart by name: a function of the runs and their participant tables."""


def charts_zip(runs: LiveRuns, dpi: int = 150) -> bytes:
    """Every chart of the current runs as PNG files in one ZIP archive (`<name>.png`)."""
    participants = runs.participants()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, draw in CHARTS.items():
            png = io.BytesIO()
            draw(runs, participants).savefig(png, format="png", dpi=dpi)
            archive.writestr(f"{name}.png", png.getvalue())
    return buffer.getvalue()
