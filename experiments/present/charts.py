"""Publication charts for the claims report: pure functions from tidy DataFrames to Figures.

Every chart function takes pandas DataFrames (the columns it needs are listed
in its docstring; a missing column raises a one-line ValueError naming it, an
empty table one saying so) and returns a `matplotlib.figure.Figure` built with
the object-oriented API. Nothing touches pyplot's global figure state, so the
charts draw headless (no display, no backend choice needed) and from threads.
The house style (`STYLE`) is applied with `matplotlib.rc_context` inside each
function only, under a lock, so concurrent calls do not mix styles and
nothing outside is changed. Figures use the tight layout.

Rows are grouped by the column named by ``by`` (default ``"scenario"``;
``"regime"`` or any other label column works the same), in order of first
appearance. Each group keeps its colour across charts: `REGIME_COLOURS` for
the regimes, other names take the remaining Okabe-Ito colours (Okabe & Ito
2008, "Color Universal Design"), which stay distinct for colour-blind readers.

Money is in dollars over the whole simulated horizon unless a chart says "per
month"; shares are fractions shown as percentages. `save_figure` writes PNG
(150 dpi), SVG and PDF files atomically.
"""

from __future__ import annotations

import functools
import itertools
import math
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, ParamSpec

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator, PercentFormatter

from experiments.claims.stats import share_true
from experiments.store.writer import atomic_write
from model.metrics import gini_signed, income_by_cohort, lorenz_points, top_share

__all__ = [
    "CHART_NAMES",
    "DPI",
    "OKABE_ITO",
    "REGIME_COLOURS",
    "SAVE_FORMATS",
    "STYLE",
    "VERDICT_COLOURS",
    "calibration_targets",
    "earnings_by_cohort",
    "lorenz_curves",
    "net_income_distribution",
    "participants_over_time",
    "retail_vs_internal_volume",
    "robustness_map",
    "save_figure",
    "sensitivity_indices",
    "success_and_loss_rates",
    "success_by_plan_depth",
    "variance_decomposition",
    "verdict_flips",
]

OKABE_ITO: Mapping[str, str] = MappingProxyType(
    {
        "orange": "#E69F00",
        "sky_blue": "#56B4E9",
        "bluish_green": "#009E73",
        "yellow": "#F0E442",
        "blue": "#0072B2",
        "vermillion": "#D55E00",
        "reddish_purple": "#CC79A7",
        "black": "#000000",
    }
)
"""The Okabe-Ito colour-blind-safe palette."""

REGIME_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "mlm": OKABE_ITO["vermillion"],
        "unilevel": OKABE_ITO["vermillion"],
        "referral": OKABE_ITO["blue"],
    }
)
"""Fixed colour of each regime: multi-level (mlm, unilevel) vermillion, referral blue."""

# Colours for other group names, in order; yellow (weak on white) last.
_OTHER_COLOURS = tuple(
    OKABE_ITO[c]
    for c in ("orange", "sky_blue", "bluish_green", "reddish_purple", "black", "yellow")
)

VERDICT_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "supported": OKABE_ITO["bluish_green"],
        "refuted": OKABE_ITO["vermillion"],
        "depends-on": OKABE_ITO["orange"],
        "inconclusive": "#BBBBBB",
    }
)
"""Fixed colour of each verdict, the same in every chart and the report."""

CHART_NAMES: tuple[str, ...] = (
    "lorenz_curves",
    "net_income_distribution",
    "success_and_loss_rates",
    "earnings_by_cohort",
    "variance_decomposition",
    "participants_over_time",
    "retail_vs_internal_volume",
    "success_by_plan_depth",
    "robustness_map",
    "sensitivity_indices",
    "verdict_flips",
    "calibration_targets",
)
"""The chart functions of this module (also the file names `save_figure` is given)."""

SAVE_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
"""File formats `save_figure` writes."""

DPI = 150
"""Resolution of PNG files (dots per inch)."""

STYLE: Mapping[str, Any] = MappingProxyType(
    {
        "font.size": 9,
        "axes.titlesize": 10,
        "axes.labelsize": 9,
        "legend.fontsize": 8,
        "xtick.labelsize": 8,
        "ytick.labelsize": 8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "grid.linewidth": 0.5,
        "lines.linewidth": 1.6,
        "legend.frameon": False,
        "figure.dpi": DPI,
    }
)
"""rcParams every chart is drawn with (inside the function only)."""

# rcParams read when a file is written: fonts embedded as TrueType in PDF,
# fixed SVG element ids so the same figure gives the same file.
_SAVE_STYLE = MappingProxyType({"pdf.fonttype": 42, "svg.hashsalt": "downline"})

_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "net_profit": "net income",
        "net_profit_after_time": "net income after time cost",
        "commissions": "commissions",
        "retail_profit": "retail profit",
        "override_income": "override income",
        "success_rate": "success (net income > $0)",
        "loss_rate": "loss (net income < $0)",
        "success_rate_after_time": "success after time cost",
        "ability_effort": "skill & hours",
        "timing_position": "timing & position",
        "gross_income": "gross income",
        "gross_per_year": "gross income per year",
    }
)

_RC_LOCK = threading.RLock()
_P = ParamSpec("_P")


# ------------------------------------------------------------------ helpers
def _styled(draw: Callable[_P, Figure]) -> Callable[_P, Figure]:
    """Run a chart function under `STYLE`, one chart at a time (rcParams are process-wide)."""

    @functools.wraps(draw)
    def styled(*args: _P.args, **kwargs: _P.kwargs) -> Figure:
        with _RC_LOCK, mpl.rc_context(dict(STYLE)):
            return draw(*args, **kwargs)

    return styled


def _require(table: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise a one-line ValueError if `table` lacks any of `columns` or has no rows."""
    missing = [c for c in dict.fromkeys(columns) if c not in table.columns]
    if missing:
        raise ValueError(f"{what} is missing column(s): {', '.join(missing)}")
    if table.empty:
        raise ValueError(f"{what} has no rows")


def _no_duplicates(table: pd.DataFrame, keys: list[str], what: str) -> None:
    """Raise a one-line ValueError if two rows of `table` share the same `keys`."""
    if table.duplicated(keys).any():
        raise ValueError(f"{what} has more than one row per ({', '.join(keys)})")


def _label(name: object) -> str:
    """Readable name of a column, metric or group."""
    text = str(name)
    return _LABELS.get(text, text.replace("_", " "))


def _figure(size: tuple[float, float], ncols: int = 1, nrows: int = 1) -> tuple[Figure, Any]:
    """A new figure (tight layout, not registered with pyplot) and its axes."""
    fig = Figure(figsize=size, layout="tight")
    return fig, fig.subplots(nrows, ncols)


def _groups(table: pd.DataFrame, by: str) -> list[tuple[str, pd.DataFrame]]:
    """(name, rows) per value of `by`, in order of first appearance."""
    return [(str(name), rows) for name, rows in table.groupby(by, sort=False, observed=True)]


def _colours(names: Iterable[str]) -> dict[str, str]:
    """Colour of each name: its `REGIME_COLOURS` entry, else the next other Okabe-Ito colour.

    A regime colour already taken by an earlier name (e.g. ``mlm`` and
    ``unilevel`` in one chart) is not reused.
    """
    names = list(dict.fromkeys(names))
    colours: dict[str, str] = {}
    for name in names:
        fixed = REGIME_COLOURS.get(name)
        if fixed is not None and fixed not in colours.values():
            colours[name] = fixed
    others = itertools.cycle(_OTHER_COLOURS)
    return {name: colours.get(name) or next(others) for name in names}


def _yerr(estimate: pd.Series, low: pd.Series, high: pd.Series) -> np.ndarray:
    """Asymmetric error-bar lengths (2 x n); NaN bounds draw no bar."""
    est = estimate.to_numpy(dtype=np.float64)
    lower = est - low.to_numpy(dtype=np.float64)
    upper = high.to_numpy(dtype=np.float64) - est
    return np.clip(np.vstack([lower, upper]), 0.0, None)


def _as_share_axis(ax: Axes, axis: str = "y") -> None:
    """Show fractions on an axis as percentages."""
    getattr(ax, f"{axis}axis").set_major_formatter(PercentFormatter(xmax=1.0))


def _grouped_bars(ax: Axes, table: pd.DataFrame, category: str, value: str, by: str) -> None:
    """Vertical bars: one cluster per `category`, one bar per group, optional CI error bars."""
    categories = list(pd.unique(table[category]))
    groups = _groups(table, by)
    colours = _colours(name for name, _ in groups)
    has_ci = {"ci_low", "ci_high"} <= set(table.columns)
    width = 0.8 / len(groups)
    centres = np.arange(len(categories), dtype=np.float64)
    for i, (name, rows) in enumerate(groups):
        rows = rows.set_index(category).reindex(categories)
        yerr = _yerr(rows[value], rows["ci_low"], rows["ci_high"]) if has_ci else None
        ax.bar(
            centres + (i - (len(groups) - 1) / 2) * width,
            rows[value].to_numpy(dtype=np.float64),
            width,
            yerr=yerr,
            capsize=3,
            color=colours[name],
            label=name,
        )
    ax.set_xticks(centres, [_label(c) for c in categories])


def _symlog_edges(values: np.ndarray, linthresh: float, per_decade: int) -> np.ndarray:
    """Histogram bin edges evenly spaced on a symlog axis, covering every value.

    ``2 per_decade`` equal bins span ``[-linthresh, linthresh]`` (matplotlib's
    symlog draws each half of the linear range as one decade), then
    ``per_decade`` geometric bins per decade out to the extreme values.
    """

    def outward(extent: float) -> np.ndarray:
        if extent <= linthresh:
            return np.empty(0)
        bins = max(1, math.ceil(math.log10(extent / linthresh) * per_decade))
        return np.geomspace(linthresh, extent, bins + 1)[1:]

    linear = np.linspace(-linthresh, linthresh, 2 * per_decade + 1)
    return np.concatenate(
        [-outward(-float(values.min()))[::-1], linear, outward(float(values.max()))]
    )


# -------------------------------------------------------------------- charts
@_styled
def lorenz_curves(
    participants: pd.DataFrame,
    value: str = "net_profit",
    *,
    by: str = "scenario",
    n_points: int = 101,
) -> Figure:
    """Lorenz curves of a participant outcome per regime, with the Gini in the legend.

    All rows of a group are pooled (e.g. every participant of every run of a
    scenario). Curves follow `model.metrics.lorenz_points`: people sorted from
    the lowest value, cumulative share of the group's total. With negative
    values (losses) the curve first dips below 0 and the y axis says so; when
    a group's total is not positive the shares are undefined and its curve is
    empty. The Gini is `model.metrics.gini_signed` (equal to the usual Gini
    when no value is negative).

    Args:
        participants: columns ``by`` and ``value``, one row per participant.
        value: the outcome column, e.g. ``net_profit`` or ``commissions`` ($).
        by: the column naming the regime or scenario.
        n_points: points per curve.

    Returns:
        One axes: a line per group (label ``"<group> (Gini 0.xx)"``) with a
        marked, labelled point where its top 10% and top 1% begin (their share
        of the total), the equality line (label ``"equality"``) and, when any
        value is negative, a grey line at 0.

    Raises:
        ValueError: if a column is missing or the table is empty.
    """
    _require(participants, [by, value], "participants")
    fig, ax = _figure((5.5, 5.0))
    groups = _groups(participants, by)
    colours = _colours(name for name, _ in groups)
    for rank, (name, rows) in enumerate(groups):
        values = rows[value].to_numpy(dtype=np.float64)
        share, income = lorenz_points(values, n_points)
        ax.plot(
            share, income, color=colours[name], label=f"{name} (Gini {gini_signed(values):.2f})"
        )
        for q in (0.1, 0.01):  # where the top 10% and top 1% begin: the shares the rules use
            held = top_share(values, q)
            if not np.isfinite(held):
                continue
            ax.plot([1 - q], [1 - held], "o", color=colours[name], markersize=5, label="_nolegend_")
            ax.annotate(
                f"top {q:.0%}: {held:.0%}",
                (1 - q, 1 - held),
                textcoords="offset points",
                xytext=(-78, 10 - 22 * rank),
                fontsize=7,
                color=colours[name],
            )
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1, label="equality")
    quantity = _label(value)
    ylabel = f"cumulative share of total {quantity}"
    if (participants[value] < 0).any():
        ax.axhline(0, color="grey", linewidth=0.8)
        ylabel += "\n(lowest first; losses pull the curve below 0)"
    ax.set_xlim(0, 1)
    _as_share_axis(ax, "x")
    _as_share_axis(ax, "y")
    ax.set_xlabel(f"cumulative share of participants, from lowest {quantity}")
    ax.set_ylabel(ylabel)
    ax.set_title(f"Lorenz curves of {quantity}")
    ax.legend(loc="upper left")
    return fig


@_styled
def net_income_distribution(
    participants: pd.DataFrame,
    value: str = "net_profit",
    *,
    by: str = "scenario",
    linthresh: float = 10.0,
    bins_per_decade: int = 5,
) -> Figure:
    """Distribution of net income per regime on a symmetric log scale, with break-even.

    One step histogram per group: the share of the group's participants in
    each bin, with bins of equal width on the symlog axis (linear between
    ``-linthresh`` and ``linthresh``, logarithmic beyond), so losses and gains
    of every size show. The legend gives each group's share below $0.

    Args:
        participants: columns ``by`` and ``value`` ($), one row per participant.
        value: the income column.
        by: the column naming the regime or scenario.
        linthresh: half-width of the linear part of the axis ($), positive.
        bins_per_decade: histogram bins per decade of the axis.

    Returns:
        One axes with x scale ``symlog``: a `StepPatch` per group (label
        ``"<group>: xx% lose money (n = N)"``) and a vertical line at x = 0
        (label ``"break-even ($0)"``).

    Raises:
        ValueError: if a column is missing, the table is empty, or
            ``linthresh`` or ``bins_per_decade`` is not positive.
    """
    _require(participants, [by, value], "participants")
    if linthresh <= 0 or bins_per_decade < 1:
        raise ValueError("linthresh and bins_per_decade must be positive")
    fig, ax = _figure((6.4, 4.0))
    edges = _symlog_edges(
        participants[value].to_numpy(dtype=np.float64), linthresh, bins_per_decade
    )
    groups = _groups(participants, by)
    colours = _colours(name for name, _ in groups)
    for name, rows in groups:
        values = rows[value].to_numpy(dtype=np.float64)
        counts, _ = np.histogram(values, edges)
        ax.stairs(
            counts / values.size,
            edges,
            color=colours[name],
            linewidth=1.6,
            label=f"{name}: {np.mean(values < 0):.0%} lose money (n = {values.size:,})",
        )
    ax.axvline(0, color="black", linestyle=":", linewidth=1, label="break-even ($0)")
    ax.set_xscale("symlog", linthresh=linthresh)
    _as_share_axis(ax, "y")
    ax.set_xlabel(
        f"{_label(value)} per participant ($; symlog scale, linear within ±{linthresh:g})"
    )
    ax.set_ylabel("share of participants per bin")
    ax.set_title(f"Distribution of {_label(value)}")
    ax.legend(loc="best")
    return fig


@_styled
def success_and_loss_rates(summary: pd.DataFrame, *, by: str = "scenario") -> Figure:
    """Success and loss rates per regime with their 95% confidence intervals.

    Args:
        summary: one row per (``by``, ``metric``) with columns ``by``,
            ``metric`` (e.g. ``success_rate``, ``loss_rate``,
            ``success_rate_after_time``), ``estimate``, ``ci_low``, ``ci_high``
            (fractions; NaN bounds draw no error bar).
        by: the column naming the regime or scenario.

    Returns:
        One axes: a cluster of bars per metric (in order of appearance), one
        bar per group (legend: the group names), each with its error bar.

    Raises:
        ValueError: if a column is missing, the table is empty or a
            (group, metric) pair appears twice.
    """
    _require(summary, [by, "metric", "estimate", "ci_low", "ci_high"], "summary")
    _no_duplicates(summary, [by, "metric"], "summary")
    fig, ax = _figure((6.4, 4.0))
    _grouped_bars(ax, summary, "metric", "estimate", by)
    for container in ax.containers:
        if hasattr(container, "patches"):
            values = [p.get_height() for p in container.patches]
            ax.bar_label(container, labels=[f"{v:.1%}" for v in values], padding=2, fontsize=7)
    ax.set_ylim(0, 1.08)
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
    _as_share_axis(ax)
    ax.set_ylabel("share of participants (95% CI)")
    ax.set_title("Success and loss rates (values printed: small rates are real, not zero)")
    ax.legend()
    return fig


@_styled
def earnings_by_cohort(
    participants: pd.DataFrame,
    value: str = "net_profit",
    *,
    by: str = "scenario",
    cohort_months: int = 12,
) -> Figure:
    """Mean and median net income by entry cohort per regime.

    Cohorts are ``join_month // cohort_months`` (`model.metrics.income_by_cohort`),
    so with 12 months cohort 0 is the first year (founders and months 1-11).
    All rows of a group are pooled (participant-weighted over runs).

    Args:
        participants: columns ``by``, ``join_month`` and ``value`` ($), one row
            per participant.
        value: the income column.
        by: the column naming the regime or scenario.
        cohort_months: months per cohort, at least 1.

    Returns:
        One axes: per group a solid line of means (label ``"<group> mean"``)
        with a shaded 95% CI (mean +- 1.96 standard errors), a dashed line of
        medians (``"<group> median"``), and a break-even line at $0.

    Raises:
        ValueError: if a column is missing, the table is empty or
            ``cohort_months < 1``.
    """
    _require(participants, [by, "join_month", value], "participants")
    fig, ax = _figure((6.4, 4.0))
    groups = _groups(participants, by)
    colours = _colours(name for name, _ in groups)
    for name, rows in groups:
        table = income_by_cohort(rows, cohort_months=cohort_months, value=value)
        colour = colours[name]
        cohort = rows["join_month"].to_numpy() // cohort_months
        se = rows.groupby(cohort)[value].sem().reindex(table["cohort"]).to_numpy(dtype=float)
        ax.fill_between(
            table["cohort"],
            table["mean"] - 1.96 * se,
            table["mean"] + 1.96 * se,
            color=colour,
            alpha=0.2,
            linewidth=0,
        )
        ax.plot(table["cohort"], table["mean"], color=colour, marker="o", label=f"{name} mean")
        ax.plot(
            table["cohort"],
            table["median"],
            color=colour,
            marker="s",
            linestyle="--",
            label=f"{name} median",
        )
    ax.axhline(0, color="black", linestyle=":", linewidth=1, label="break-even ($0)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    period = "year" if cohort_months == 12 else f"{cohort_months}-month period"
    ax.set_xlabel(f"entry cohort ({period} of joining, 0 = launch)")
    ax.set_ylabel(f"{_label(value)} per participant ($)")
    ax.set_title(f"{_label(value).capitalize()} by entry cohort")
    ax.legend()
    return fig


@_styled
def variance_decomposition(table: pd.DataFrame, *, by: str = "scenario") -> Figure:
    """Share of the variance of net income explained by groups of predictors, per regime.

    Args:
        table: one row per (``by``, ``group``) with columns ``by``, ``group``
            (e.g. ``ability_effort`` = skill & hours, ``timing_position`` =
            timing & position, ``unexplained``) and ``share`` (fraction, e.g.
            the Shapley R^2 shares of `model.metrics.variance_explained`);
            optional ``ci_low`` and ``ci_high`` draw error bars.
        by: the column naming the regime or scenario.

    Returns:
        One axes: a cluster of bars per predictor group, one bar per regime
        (legend: the regime names).

    Raises:
        ValueError: if a column is missing, the table is empty or a
            (regime, group) pair appears twice.
    """
    _require(table, [by, "group", "share"], "table")
    _no_duplicates(table, [by, "group"], "table")
    fig, ax = _figure((6.4, 4.0))
    _grouped_bars(ax, table, "group", "share", by)
    if "direction" in table.columns:  # the sign the shares hide
        signs = table.groupby(by, sort=False)["direction"].first()
        text = "; ".join(f"{g}: {d}" for g, d in signs.items())
        ax.text(
            0.02,
            0.97,
            f"Spearman with gross income per year: {text}",
            fontsize=7,
            transform=ax.transAxes,
            va="top",
        )
    ax.set_ylim(0, 1)
    _as_share_axis(ax)
    ax.set_xlabel("predictors")
    ax.set_ylabel("share of variance explained (R²)")
    ax.set_title("What explains the rank of gross income per year")
    ax.legend(loc="center left")
    return fig


@_styled
def participants_over_time(
    monthly: pd.DataFrame,
    value: str = "participants",
    *,
    by: str = "scenario",
    band: tuple[float, float] = (0.05, 0.95),
) -> Figure:
    """Active participants per month per regime: the mean over runs with a band across runs.

    Args:
        monthly: one row per run and month with columns ``by``, ``month`` and
            ``value`` (a run id or ``replication`` column may be present; the
            rows of one group and month are the runs). A table already
            averaged over runs (one row per group and month) draws no band.
        value: the monthly series, e.g. ``participants`` or ``customers``.
        by: the column naming the regime or scenario.
        band: lower and upper quantile across runs shaded around the mean.

    Returns:
        One axes: a mean line per group (label: the group) and, when a group
        has more than one run, a shaded band (a `PolyCollection`).

    Raises:
        ValueError: if a column is missing, the table is empty or the band is
            not two quantiles ``0 <= low < high <= 1``.
    """
    _require(monthly, [by, "month", value], "monthly")
    low, high = band
    if not 0 <= low < high <= 1:
        raise ValueError(f"band must be quantiles 0 <= low < high <= 1, got {band}")
    fig, ax = _figure((6.4, 4.0))
    groups = _groups(monthly, by)
    colours = _colours(name for name, _ in groups)
    for name, rows in groups:
        per_month = rows.groupby("month", sort=True)[value]
        mean = per_month.mean()
        ax.plot(mean.index, mean.to_numpy(), color=colours[name], label=name)
        if per_month.size().max() > 1:
            bounds = per_month.quantile([low, high]).unstack()
            ax.fill_between(
                bounds.index, bounds[low], bounds[high], color=colours[name], alpha=0.2, linewidth=0
            )
    runs = int(monthly.groupby([by, "month"], observed=True).size().max())
    ax.set_xlabel("month")
    ax.set_ylabel(f"active {_label(value)} (people)" if value == "participants" else _label(value))
    title = f"{_label(value).capitalize()} over time"
    if runs > 1:
        title += f"\n(mean over runs; band: {low:.0%}-{high:.0%} of runs)"
    ax.set_title(title)
    ax.legend()
    return fig


@_styled
def retail_vs_internal_volume(monthly: pd.DataFrame, *, by: str = "scenario") -> Figure:
    """Retail versus internal (participant) volume per regime: over time and in total.

    Left: monthly volume, the mean over the rows of each group and month
    (i.e. over runs). Right: each group's total over the horizon split into
    retail and internal shares, as a 100% stacked bar labelled with the shares.

    Args:
        monthly: one row per run and month with columns ``by``, ``month``,
            ``retail_volume`` (sold to non-participants) and ``internal_volume``
            (bought by participants), both in wholesale $ per month.
        by: the column naming the regime or scenario.

    Returns:
        Two axes: the left with a solid retail line and a dashed internal line
        per group (labels ``"<group> retail"``, ``"<group> internal"``); the
        right with two bars per group (retail, then internal hatched).

    Raises:
        ValueError: if a column is missing or the table is empty.
    """
    _require(monthly, [by, "month", "retail_volume", "internal_volume"], "monthly")
    fig, (over_time, totals) = _figure((9.6, 4.0), ncols=2)
    groups = _groups(monthly, by)
    colours = _colours(name for name, _ in groups)
    for i, (name, rows) in enumerate(groups):
        mean = rows.groupby("month", sort=True)[["retail_volume", "internal_volume"]].mean()
        colour = colours[name]
        over_time.plot(mean.index, mean["retail_volume"], color=colour, label=f"{name} retail")
        over_time.plot(
            mean.index,
            mean["internal_volume"],
            color=colour,
            linestyle="--",
            label=f"{name} internal",
        )
        total = mean.sum()
        retail = float(total["retail_volume"] / total.sum()) if total.sum() > 0 else math.nan
        totals.barh(i, retail, color=colour, label=f"{name} retail")
        totals.text(
            0.5,
            i + 0.45,
            f"retail {retail:.0%}, internal {1 - retail:.0%}",
            ha="center",
            fontsize=8,
        )
        totals.barh(
            i,
            1 - retail,
            left=retail,
            color=colour,
            alpha=0.35,
            hatch="//",
            label=f"{name} internal",
        )
    over_time.set_xlabel("month")
    over_time.set_ylabel("volume per month ($, wholesale)")
    over_time.set_ylim(bottom=0)
    over_time.set_title("Volume over time (mean over runs)")
    over_time.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2, fontsize=7)
    totals.set_yticks(range(len(groups)), [name for name, _ in groups])
    totals.set_ylim(-0.6, len(groups) - 0.1)
    totals.set_xlim(0, 1)
    totals.grid(False)
    _as_share_axis(totals, "x")
    totals.set_xlabel("share of total volume over the horizon")
    totals.set_title("Retail share of volume")
    return fig


@_styled
def success_by_plan_depth(table: pd.DataFrame) -> Figure:
    """Success rate (with its CI) against the depth of the compensation plan.

    Depth 0 is the referral plan, ``k`` the unilevel plan paying ``k``
    levels (scenarios ``unilevel_1`` .. ``unilevel_7``, see
    `experiments.claims.catalogue.DEPTH_SCENARIOS`).

    Args:
        table: columns ``depth`` (int), ``estimate``, ``ci_low``, ``ci_high``
            (fractions; NaN bounds draw no error bar) and optionally
            ``metric``: one series per metric (e.g. ``success_rate`` and
            ``success_rate_after_time``), all of them shares.

    Returns:
        One axes with an error-bar series (an `ErrorbarContainer`) per metric
        (label: the metric's name, or ``success_rate`` without a metric column).

    Raises:
        ValueError: if a column is missing, the table is empty or a depth
            appears twice for one metric.
    """
    _require(table, ["depth", "estimate", "ci_low", "ci_high"], "table")
    if "metric" not in table.columns:
        table = table.assign(metric="success_rate")
    _no_duplicates(table, ["metric", "depth"], "table")
    fig, ax = _figure((6.4, 4.0))
    series = _groups(table, "metric")
    colours = _colours(name for name, _ in series)
    for name, rows in series:
        rows = rows.sort_values("depth")
        for part, style in ((rows[rows["depth"] > 0], "-"), (rows[rows["depth"] == 0], "none")):
            if part.empty:
                continue
            ax.errorbar(
                part["depth"].to_numpy(dtype=np.float64),
                part["estimate"].to_numpy(dtype=np.float64),
                yerr=_yerr(part["estimate"], part["ci_low"], part["ci_high"]),
                color=colours[name],
                marker="o" if style == "-" else "s",
                linestyle=style,
                capsize=3,
                label=_label(name) if style == "-" or (rows["depth"] > 0).sum() == 0 else None,
            )
    depths = sorted(pd.unique(table["depth"]))
    ax.set_xticks(depths, [f"{d}\n(referral)" if d == 0 else str(d) for d in depths])
    ax.set_ylim(bottom=0)
    _as_share_axis(ax)
    ax.set_xlabel("plan depth (levels paid; 0 = referral, k = unilevel_k)")
    ax.set_ylabel("share of participants (95% CI)")
    ax.set_title("Success by depth of the compensation plan")
    ax.legend()
    return fig


@_styled
def robustness_map(table: pd.DataFrame, x: str | None = None, y: str | None = None) -> Figure:
    """Share of the sampled (Latin hypercube) parameter space in which each claim holds.

    Without ``x`` and ``y``: a horizontal bar per claim, sorted with the
    highest share on top. ``table`` has columns ``claim`` and either
    ``share`` (fraction; optional ``ci_low``, ``ci_high`` draw error bars),
    one row per claim, or ``holds`` (bool, NaN for undecided points), one row
    per (point, claim): the share of decided points where it holds is then
    computed with its 95% Wilson interval (`experiments.claims.stats.share_true`).

    With ``x`` and ``y`` (two design parameter columns): a scatter per claim
    (one panel each) of the sampled points, marked by whether the claim holds;
    ``table`` needs ``claim``, ``x``, ``y`` and ``holds``.

    Args:
        table: as above.
        x: design parameter on the horizontal axis of the scatter form.
        y: design parameter on the vertical axis of the scatter form.

    Returns:
        Bar form: one axes with a bar per claim, y tick labels the claims from
        lowest to highest share. Scatter form: one axes per claim (title: the
        claim) with a scatter for "holds" and for "does not hold" (and one
        for "undecided" if any).

    Raises:
        ValueError: if a column is missing, the table is empty, only one of
            ``x`` and ``y`` is given, or (bar form with ``share``) a claim
            appears twice.
    """
    if (x is None) != (y is None):
        raise ValueError("give both x and y (scatter form) or neither (bar form)")
    if x is not None and y is not None:
        return _robustness_scatter(table, x, y)
    _require(table, ["claim"], "table")
    if "share" in table.columns:
        _no_duplicates(table, ["claim"], "table")
        summary = table
    elif "holds" in table.columns:
        rows = []
        for claim, flags in table.groupby("claim", sort=False, observed=True)["holds"]:
            share = share_true(flags.to_numpy(dtype=np.float64, na_value=np.nan))
            rows.append(
                {
                    "claim": claim,
                    "share": share.estimate,
                    "ci_low": share.low,
                    "ci_high": share.high,
                }
            )
        summary = pd.DataFrame(rows)
    else:
        raise ValueError("table is missing column(s): share (or holds)")
    summary = summary.sort_values("share", na_position="first", kind="stable")
    fig, ax = _figure((6.4, 0.8 + 0.32 * len(summary)))
    has_ci = {"ci_low", "ci_high"} <= set(summary.columns)
    positions = np.arange(len(summary))
    bars = ax.barh(
        positions,
        summary["share"].to_numpy(dtype=np.float64),
        xerr=_yerr(summary["share"], summary["ci_low"], summary["ci_high"]) if has_ci else None,
        capsize=3,
        color=OKABE_ITO["bluish_green"],
    )
    ax.bar_label(bars, labels=[_share_label(v) for v in summary["share"]], padding=3, fontsize=7)
    for position, value in zip(positions, summary["share"], strict=True):
        if pd.isna(value):  # no bar to label: say why
            ax.text(0.01, position, _share_label(value), va="center", fontsize=7, color="grey")
    ax.set_yticks(positions, summary["claim"].astype(str).tolist())
    ax.set_xlim(0, 1.0)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    _as_share_axis(ax, "x")
    ax.grid(False, axis="y")
    for bar, label in ((0.75, "supported needs >= 75%"), (0.25, "refuted needs <= 25%")):
        ax.axvline(bar, color=OKABE_ITO["black"], linestyle="--", linewidth=0.8)
        ax.text(bar, len(summary) - 0.4, label, fontsize=7, ha="center", va="bottom")
    ax.set_ylim(-0.6, len(summary) + 0.4)
    ax.set_xlabel("share of the sampled parameter space where the claim holds")
    ax.set_title("Robustness of the claims" + (" (95% CI)" if has_ci else ""))
    return fig


def _share_label(value: float) -> str:
    """A bar's label: the share, or why there is none."""
    return "not in the hypercube" if pd.isna(value) else f"{value:.0%}"


def _robustness_scatter(table: pd.DataFrame, x: str, y: str) -> Figure:
    """The scatter form of `robustness_map` (one panel per claim)."""
    _require(table, ["claim", x, y, "holds"], "table")
    claims = _groups(table, "claim")
    ncols = min(3, len(claims))
    nrows = math.ceil(len(claims) / ncols)
    fig, axes = _figure((3.2 * ncols, 2.9 * nrows), ncols=ncols, nrows=nrows)
    axes = np.atleast_1d(axes).ravel()
    kinds = (
        (1.0, "holds", OKABE_ITO["bluish_green"], "o"),
        (0.0, "does not hold", OKABE_ITO["vermillion"], "x"),
    )
    for ax, (claim, rows) in zip(axes, claims, strict=False):
        holds = rows["holds"].to_numpy(dtype=np.float64, na_value=np.nan)
        for flag, label, colour, marker in kinds:
            mask = holds == flag
            ax.scatter(rows[x][mask], rows[y][mask], s=14, c=colour, marker=marker, label=label)
        undecided = np.isnan(holds)
        if undecided.any():
            ax.scatter(rows[x][undecided], rows[y][undecided], s=10, c="grey", label="undecided")
        ax.set_title(claim)
        ax.set_xlabel(_label(x))
        ax.set_ylabel(_label(y))
    for ax in axes[len(claims) :]:
        fig.delaxes(ax)
    axes[0].legend()
    fig.suptitle("Where each claim holds in the sampled parameter space")
    return fig


@_styled
def calibration_targets(table: pd.DataFrame) -> Figure:
    """Each calibration target's band and the model's mean with its 95% interval.

    Each target is drawn on its own scale, with its band from 0 (low end) to
    1 (high end) shaded, so targets in dollars and in shares share one axis;
    the model's value in the target's unit is printed on the right. Values
    beyond -1 or 2 band widths are drawn at the edge with an arrow.

    Args:
        table: one row per target with name, published, scenario, low, high,
            mean, ci_low, ci_high, in_band (`experiments.calibrate.fit.confirmation_table`).

    Returns:
        The figure.
    """
    _require(
        table,
        ("name", "published", "scenario", "low", "high", "mean", "ci_low", "ci_high", "in_band"),
        "calibration_targets",
    )
    if table.empty:
        raise ValueError("calibration_targets: the table is empty")
    n = len(table)
    fig, ax = _figure((7.0, 0.42 * n + 1.2))
    width = (table["high"] - table["low"]).to_numpy(dtype=float)
    scaled = {
        col: np.clip((table[col].to_numpy(dtype=float) - table["low"].to_numpy()) / width, -1, 2)
        for col in ("mean", "ci_low", "ci_high")
    }
    rows = np.arange(n)[::-1]
    ax.axvspan(0, 1, color="0.85", zorder=0, label="published band")
    colours = _colours(table["scenario"])
    for i, row in enumerate(table.itertuples(index=False)):
        y, x = rows[i], scaled["mean"][i]
        colour = colours[row.scenario]
        lo, hi = scaled["ci_low"][i], scaled["ci_high"][i]
        if np.isfinite(lo) and np.isfinite(hi):
            ax.plot([lo, hi], [y, y], color=colour, linewidth=2.2, solid_capstyle="butt")
        edge = x <= -1 or x >= 2
        marker = ("<" if x <= -1 else ">") if edge else ("o" if row.in_band else "X")
        ax.plot([x], [y], marker=marker, color=colour, markersize=6, linestyle="none")
        ax.annotate(
            f"{row.mean:,.3g}  [{row.low:,.3g} - {row.high:,.3g}]",
            xy=(1.0, y),
            xycoords=("axes fraction", "data"),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
        )
    ax.set_yticks(rows, [f"{row.name} ({row.scenario})" for row in table.itertuples()])
    ax.set_xlim(-1.05, 2.05)
    ax.set_xticks([-1, 0, 0.5, 1, 2], ["-1", "band low", "0.5", "band high", "2"])
    ax.set_xlabel("position relative to the published band (band widths)")
    ax.set_title("Calibration targets: published band and model mean (95% interval)")
    for scenario, colour in colours.items():
        ax.plot([], [], color=colour, marker="o", linestyle="none", label=scenario)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.4 / n), ncols=3)
    return fig


@_styled
def sensitivity_indices(table: pd.DataFrame, index: str, *, top: int = 8) -> Figure:
    """Sensitivity indices with their 95% CIs: one panel per outcome, largest first.

    Args:
        table: tidy indices (`experiments.claims.sensitivity.SENSITIVITY_COLUMNS`):
            ``outcome``, ``parameter``, ``index``, ``estimate``, ``low``, ``high``.
        index: which index to draw: ``mu_star`` (Morris), ``S1`` or ``ST`` (Sobol).
        top: at most this many parameters per panel.

    Returns:
        Horizontal bars per parameter with CI whiskers, one panel per outcome.

    Raises:
        ValueError: if a column is missing or there is no row of that index.
    """
    _require(table, ["outcome", "parameter", "index", "estimate", "low", "high"], "indices")
    rows = table[table["index"] == index]
    if rows.empty:
        raise ValueError(f"indices has no rows of index {index!r}")
    outcomes = list(dict.fromkeys(rows["outcome"]))
    ncols = min(3, len(outcomes))
    nrows = -(-len(outcomes) // ncols)
    fig, axes = _figure((3.6 * ncols, 0.35 * top * nrows + 1.2), ncols=ncols, nrows=nrows)
    flat = np.atleast_1d(axes).ravel()
    label = {"mu_star": "Morris mu* (95% CI)", "S1": "first-order Sobol index (95% CI)"}
    for ax, outcome in zip(flat, outcomes, strict=False):
        part = rows[rows["outcome"] == outcome].sort_values("estimate").tail(top)
        y = np.arange(len(part))
        err = _yerr(part["estimate"], part["low"], part["high"])
        ax.barh(y, part["estimate"], xerr=err, color=OKABE_ITO["sky_blue"], capsize=2)
        ax.set_yticks(y, [_label(p) for p in part["parameter"]], fontsize=7)
        ax.set_title(outcome, fontsize=8)
        ax.set_xlabel(label.get(index, "total Sobol index (95% CI)"), fontsize=7)
        ax.tick_params(axis="x", labelsize=7)
    for ax in flat[len(outcomes) :]:
        ax.set_visible(False)
    return fig


@_styled
def verdict_flips(table: pd.DataFrame, column: str, title: str) -> Figure:
    """Verdicts of each claim under changed conditions, flips outlined.

    Args:
        table: one row per (claim, condition): ``claim``, the condition column,
            ``verdict``, ``baseline`` and ``flipped``.
        column: the condition column, e.g. ``mechanism`` or ``factor``.
        title: the chart title.

    Returns:
        A grid: claims down, conditions across, each cell coloured by its
        verdict (`VERDICT_COLOURS`), cells whose verdict differs from the
        baseline marked with a black border and an "x".

    Raises:
        ValueError: if a column is missing or the table is empty.
    """
    _require(table, ["claim", column, "verdict", "baseline", "flipped"], "verdicts")
    claims = list(dict.fromkeys(table["claim"]))
    conditions = list(dict.fromkeys(table[column].astype(str)))
    fig, ax = _figure((1.1 * len(conditions) + 2.0, 0.28 * len(claims) + 1.6))
    index = {(r["claim"], str(r[column])): r for r in table.to_dict("records")}
    for i, claim in enumerate(claims):
        for j, condition in enumerate(conditions):
            row = index.get((claim, condition))
            if row is None:
                continue
            flipped = bool(row["flipped"])
            ax.add_patch(
                Rectangle(
                    (j, i),
                    0.94,
                    0.9,
                    facecolor=VERDICT_COLOURS.get(str(row["verdict"]), "white"),
                    edgecolor="black" if flipped else "white",
                    linewidth=1.5 if flipped else 0.5,
                )
            )
            if flipped:
                ax.text(j + 0.47, i + 0.45, "x", ha="center", va="center", fontsize=8)
    ax.set_xlim(0, len(conditions))
    ax.set_ylim(len(claims), 0)
    ax.set_xticks(np.arange(len(conditions)) + 0.47, [_label(c) for c in conditions])
    ax.tick_params(axis="x", labelrotation=35, labelsize=7)
    ax.set_yticks(np.arange(len(claims)) + 0.45, claims, fontsize=7)
    ax.set_title(title)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    handles = [Patch(color=c, label=v) for v, c in VERDICT_COLOURS.items()]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7)
    return fig


# ------------------------------------------------------------------- saving
def save_figure(
    fig: Figure,
    out_dir: str | Path,
    name: str,
    formats: Sequence[str] = ("png", "svg"),
) -> list[Path]:
    """Write a figure in each format, each file atomically (temporary file, then rename).

    PNG is written at `DPI` (150); PDF embeds TrueType fonts; SVG and PDF
    carry no creation date and SVG has fixed element ids, so the same
    figure gives the same file. All formats are checked before anything is
    written.

    Args:
        fig: the figure.
        out_dir: the folder (created if missing).
        name: the file name without extension, e.g. a name from `CHART_NAMES`.
        formats: some of `SAVE_FORMATS` (``png``, ``svg``, ``pdf``); a single
            string is one format.

    Returns:
        The paths written, ``<out_dir>/<name>.<format>``, in the order of `formats`.

    Raises:
        ValueError: if a format is not allowed, no format is given, or `name`
            is not a plain file name.
    """
    formats = (formats,) if isinstance(formats, str) else tuple(formats)
    bad = [f for f in formats if f not in SAVE_FORMATS]
    if bad or not formats:
        raise ValueError(
            f"unsupported format(s) {bad or '(none)'}; allowed: {', '.join(SAVE_FORMATS)}"
        )
    if not name or Path(name).name != name or name.startswith("."):
        raise ValueError(f"name must be a plain file name, got {name!r}")
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    with _RC_LOCK, mpl.rc_context(dict(_SAVE_STYLE)):
        for fmt in formats:
            path = folder / f"{name}.{fmt}"
            metadata = {} if fmt == "png" else {"Date": None}
            atomic_write(
                path,
                lambda handle, fmt=fmt, metadata=metadata: fig.savefig(
                    handle, format=fmt, dpi=DPI, metadata=metadata
                ),
            )
            paths.append(path)
    return paths
