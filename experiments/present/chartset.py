"""The report's charts: tidy data from a claims suite folder, drawn by `experiments.present.charts`.

Each ``*_data`` function prepares the DataFrame one chart function of
`experiments.present.charts` takes (its columns are documented there); `draw_charts`
draws them all and saves them with `experiments.present.charts.save_figure`. The data
come from the saved runs (main and depth parts) and the analysis tables;
nothing is simulated.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from experiments.claims.assess import (
    Analysis,
    analyse_suite,
    analysis_is_current,
    load_analysis,
    save_analysis,
    scenario_settings,
)
from experiments.claims.catalogue import claim_by_id
from experiments.claims.measures import MIN_TENURE_MONTHS, months_of
from experiments.claims.stats import BootstrapFallbackWarning, bootstrap_ci
from experiments.present import charts
from experiments.store.layout import read_suite_manifest
from experiments.store.results import Results, load_results

__all__ = [
    "CHART_DIR",
    "CLAIM_CHARTS",
    "chart_data",
    "draw_charts",
    "install_charts",
    "redraw_charts",
]

CHART_DIR = "charts"
CLAIM_CHARTS: Mapping[str, tuple[str, ...]] = {
    "C1": ("success_and_loss_rates", "net_income_distribution"),
    "C2": ("success_by_plan_depth",),
    "C3": ("lorenz_curves",),
    "C4": ("earnings_by_cohort",),
    "C5": ("lorenz_curves",),
    "C8": ("variance_decomposition",),
    "C9": ("variance_decomposition",),
    "C10": ("retail_vs_internal_volume",),
    "C12": ("participants_over_time",),
}
"""The charts shown in each claim's section of the report."""

_REGIMES = ("mlm", "referral")


def _regime_rows(results: Results, table: pd.DataFrame) -> pd.DataFrame:
    """Rows of the main part's regimes, with a `regime` column."""
    regime = scenario_settings(results)["regime"]
    rows = table[table["scenario"].isin(regime.index)].copy()
    rows["regime"] = rows["scenario"].map(regime)
    return rows


def participants_data(main: Results) -> pd.DataFrame:
    """Every participant of every run of the main part, with its ``regime``.

    Returns:
        Columns ``regime``, ``run_id``, ``join_month``, ``quit_month``, ``retail_profit``,
        ``commissions``, ``net_profit``.
    """
    people = _regime_rows(main, main.participants)
    columns = [
        "regime",
        "run_id",
        "join_month",
        "quit_month",
        "retail_profit",
        "commissions",
        "net_profit",
    ]
    return people[columns].reset_index(drop=True)


def cohort_people(people: pd.DataFrame, months: int) -> pd.DataFrame:
    """The participants C4's measure uses, with their gross income per year in the business.

    Those who joined at least 24 months before the horizon T; ``gross_per_year``
    as in `experiments.claims.measures`.
    """
    eligible = people[people["join_month"] <= months - MIN_TENURE_MONTHS]
    quit_month = eligible["quit_month"].astype("Float64").fillna(months).to_numpy(dtype=float)
    years = np.maximum(quit_month - eligible["join_month"].to_numpy(dtype=float), 1.0) / 12
    gross = (eligible["retail_profit"] + eligible["commissions"]).to_numpy(dtype=float)
    return eligible.assign(gross_per_year=gross / years)


def rates_data(analysis: Analysis) -> pd.DataFrame:
    """Success and loss rates of both regimes with 95% bootstrap CIs, from the main part's runs.

    Returns:
        Columns ``regime``, ``metric``, ``estimate``, ``ci_low``, ``ci_high``.
    """
    table = analysis.measures["main"]
    rows = []
    for regime in _REGIMES:
        runs = table[table["scenario"] == regime]
        for metric in ("success_rate", "loss_rate", "success_rate_after_time"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", BootstrapFallbackWarning)
                iv = bootstrap_ci(runs[metric].to_numpy(dtype=float), n_resamples=999, rng=0)
            rows.append(
                {
                    "regime": regime,
                    "metric": metric,
                    "estimate": iv.estimate,
                    "ci_low": iv.low,
                    "ci_high": iv.high,
                }
            )
    return pd.DataFrame(rows)


def variance_data(analysis: Analysis) -> pd.DataFrame:
    """Shapley shares of the variance of the rank of gross income per year (C8's measure).

    Returns:
        Columns ``regime``, ``group``, ``share`` and ``direction``: the sign of the
        Spearman correlation of hours and of skill with gross income per year,
        which the shares hide (e.g. ``"hours +0.21, skill +0.35"``).
    """
    table = analysis.measures["main"]
    measure = claim_by_id("C8").measure
    rows = []
    for regime in _REGIMES:
        runs = table[table["scenario"] == regime]
        joint = runs[f"{measure}|r2_joint"].mean()
        direction = ", ".join(
            f"{trait} {runs[f'rank_corr:{trait},gross_per_year'].mean():+.2f}"
            for trait in ("hours", "skill")
        )
        for group in ("ability_effort", "timing_position"):
            rows.append(
                {
                    "regime": regime,
                    "group": group,
                    "share": runs[f"{measure}|shapley_{group}"].mean(),
                    "direction": direction,
                }
            )
        rows.append(
            {"regime": regime, "group": "unexplained", "share": 1 - joint, "direction": direction}
        )
    return pd.DataFrame(rows)


def robustness_data(analysis: Analysis) -> pd.DataFrame:
    """Every claim's robustness flags (``claim``, ``holds``); claims without a flag get one NaN."""
    flags = analysis.robustness[["claim", "holds"]]
    missing = [c for c in analysis.claims["claim"] if c not in set(flags["claim"])]
    extra = pd.DataFrame({"claim": missing, "holds": [float("nan")] * len(missing)})
    return pd.concat([flags, extra], ignore_index=True)


def monthly_data(main: Results) -> pd.DataFrame:
    """The monthly series of every run of the main part, with its ``regime``.

    Returns:
        Columns ``regime``, ``run_id``, ``month``, ``participants``, ``retail_volume``,
        ``internal_volume``.
    """
    months = _regime_rows(main, main.monthly)
    columns = ["regime", "run_id", "month", "participants", "retail_volume", "internal_volume"]
    return months[columns].reset_index(drop=True)


def depth_data(analysis: Analysis, depth: Results) -> pd.DataFrame:
    """Success rate by plan depth (0 = referral, k = unilevel with k levels), from the analysis.

    Returns:
        Columns ``depth``, ``metric``, ``estimate``, ``ci_low``, ``ci_high``.
    """
    settings = scenario_settings(depth)
    levels = settings["levels"].where(settings["regime"] == "mlm", 0)
    est = analysis.estimates
    rows = est[
        (est["part"] == "depth") & (est["kind"] == "level") & (est["measure"] == "success_rate")
    ].drop_duplicates(["scenario", "measure"])
    rows = rows.assign(depth=rows["scenario"].map(levels).astype(int))
    renamed = rows.rename(columns={"measure": "metric", "low": "ci_low", "high": "ci_high"})
    return renamed[["depth", "metric", "estimate", "ci_low", "ci_high"]].reset_index(drop=True)


def chart_data(root: Path, analysis: Analysis) -> dict[str, Callable[[], Figure]]:
    """Chart name -> a function drawing its figure from the suite folder and analysis."""
    main = load_results(root / "main")
    depth = load_results(root / "depth")
    people = participants_data(main)
    months = monthly_data(main)
    by = {"by": "regime"}
    return {
        "lorenz_curves": lambda: charts.lorenz_curves(
            people.assign(gross_income=people["retail_profit"] + people["commissions"]),
            "gross_income",
            **by,
        ),
        "net_income_distribution": lambda: charts.net_income_distribution(people, **by),
        "success_and_loss_rates": lambda: charts.success_and_loss_rates(rates_data(analysis), **by),
        "earnings_by_cohort": lambda: charts.earnings_by_cohort(
            cohort_people(people, months_of(main)), "gross_per_year", **by
        ),
        "variance_decomposition": lambda: charts.variance_decomposition(
            variance_data(analysis), **by
        ),
        "participants_over_time": lambda: charts.participants_over_time(months, **by),
        "retail_vs_internal_volume": lambda: charts.retail_vs_internal_volume(months, **by),
        "success_by_plan_depth": lambda: charts.success_by_plan_depth(depth_data(analysis, depth)),
        "robustness_map": lambda: charts.robustness_map(robustness_data(analysis)),
        "threshold_flips": lambda: charts.verdict_flips(
            analysis.thresholds.assign(factor=analysis.thresholds["factor"].map("x {:g}".format)),
            "factor",
            "Verdicts with every threshold x 0.5 and x 1.5",
        ),
        **optional_charts(analysis),
    }


def optional_charts(analysis: Analysis) -> dict[str, Callable[[], Figure]]:
    """The charts of the optional parts the suite ran: Morris screening and ablations."""
    out: dict[str, Callable[[], Figure]] = {}
    if not analysis.morris.empty:
        out["morris_screening"] = lambda: charts.sensitivity_indices(analysis.morris, "mu_star")
    if not analysis.ablations.empty:
        out["ablation_flips"] = lambda: charts.verdict_flips(
            analysis.ablations, "mechanism", "Verdicts with each mechanism switched off"
        )
    return out


def draw_charts(
    root: Path, analysis: Analysis, out_dir: Path, formats: Sequence[str] = ("png",)
) -> dict[str, list[Path]]:
    """Draw and save every chart of the report.

    Args:
        root: the suite's results folder.
        analysis: its analysis.
        out_dir: where the files go (created).
        formats: file formats, e.g. ("png",) or ("svg", "pdf").

    Returns:
        Chart name -> the files written, in the order of `formats`.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    return {
        name: charts.save_figure(draw(), out_dir, name, formats)
        for name, draw in chart_data(root, analysis).items()
    }


def redraw_charts(root: str | Path, formats: Sequence[str] = ("png",)) -> dict[str, list[Path]]:
    """Redraw the charts of a suite folder into `<root>/charts/`.

    Files of formats not asked for stay. Uses the saved analysis
    (`<root>/analysis/`) when it was made from the runs stored now, else
    computes and saves it first.

    Args:
        root: the suite's results folder.
        formats: file formats.

    Returns:
        Chart name -> the files written.

    Raises:
        NotAResultsFolder: when `root` is not a suite results folder.
        IncompleteResults: when a part the claims need is missing or empty.
    """
    root = Path(root)
    read_suite_manifest(root)
    if analysis_is_current(root):  # else the analysis is of other runs: made afresh
        analysis = load_analysis(root)
    else:
        analysis = analyse_suite(root)
        save_analysis(analysis, root)
    tmp = Path(tempfile.mkdtemp(prefix=".charts.", suffix=".tmp", dir=root))
    try:
        return install_charts(draw_charts(root, analysis, tmp, formats), root / CHART_DIR)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def install_charts(files: Mapping[str, list[Path]], dest: Path) -> dict[str, list[Path]]:
    """Move complete chart files into the charts folder, each with an atomic rename.

    Files of other formats already there stay (e.g. the PNGs the report links to
    when SVGs are added).

    Args:
        files: chart name -> files drawn in a temporary folder on the same file system.
        dest: the charts folder (created).

    Returns:
        Chart name -> the installed files.
    """
    dest.mkdir(parents=True, exist_ok=True)
    installed = {}
    for name, paths in files.items():
        installed[name] = [dest / p.name for p in paths]
        for path in paths:
            os.replace(path, dest / path.name)
    return installed
