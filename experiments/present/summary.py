"""The report and charts of any results folder: `downline report DIR` and `downline charts DIR`.

For a results folder (or each part of a suite folder) written by `downline run`:

- a summary per scenario and design point: runs, then the mean of each
  outcome over replications with a 95% bootstrap interval (success and loss
  rates, median and percentile income, Gini, top shares, payout ratio);
- the response of each outcome to each design parameter (Spearman rank
  correlation over runs, per scenario) and a chart of it;
- an income-disclosure table per scenario, in the form companies publish:
  participants by annualised gross income bracket (commissions plus retail
  profit per year of participation) with the share, mean and median of each
  bracket and the share still active at the end;
- the standard charts (success and loss rates, income distribution, Lorenz
  curves, participants over time) where the tables they need were kept.

Everything is read from the stored runs (`load_results`), never simulated.
The analysis tables go to `<root>/analysis/` with `sources.json` (each
part's config hash and the digest of the run ids they came from), the charts
to `<root>/charts/`, the report to `report.md` and `report.html`; all are
written to a temporary folder first and moved into place when complete.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from experiments.claims.assess import IncompleteResults, replace_dir, run_ids_digest
from experiments.claims.stats import bootstrap_ci
from experiments.present import charts
from experiments.present.chartset import CHART_DIR, install_charts
from experiments.present.report import REPORT_HTML, REPORT_MD, render_html
from experiments.store.layout import MANIFEST, SUITE_MANIFEST, read_suite_manifest
from experiments.store.results import Results, load_results

__all__ = [
    "BRACKETS",
    "OUTCOMES",
    "build_summary_report",
    "draw_summary_charts",
    "income_disclosure",
    "response_table",
    "summary_table",
]

OUTCOMES = (
    "success_rate",
    "loss_rate",
    "median_net",
    "p90_net",
    "p99_net",
    "gini_net",
    "top1_share",
    "top10_share",
    "payout_ratio",
)
BRACKETS = (
    ("$0", -math.inf, 0.0),
    ("under $1k", 0.0, 1_000.0),
    ("$1k-$10k", 1_000.0, 10_000.0),
    ("$10k-$50k", 10_000.0, 50_000.0),
    ("$50k-$100k", 50_000.0, 100_000.0),
    ("over $100k", 100_000.0, math.inf),
)
"""Annual gross income brackets: (label, above, up to and including); $0 is no income."""
ANALYSIS_DIR = "analysis"
CI_SEED = 20260101


def _folders(root: Path) -> dict[str, Path]:
    """Part name -> results folder ("" for a plain results folder)."""
    if (root / SUITE_MANIFEST).is_file():
        return {p["name"]: root / p["folder"] for p in read_suite_manifest(root).get("parts", [])}
    return {"": root}


def _load(root: Path) -> dict[str, Results]:
    """The stored results of every part, refusing parts without a stored run."""
    if not (root / MANIFEST).is_file() and not (root / SUITE_MANIFEST).is_file():
        raise IncompleteResults(f"{root}: not a downline results or suite folder")
    loaded = {}
    for part, folder in _folders(root).items():
        results = load_results(folder)
        if results.runs.empty:
            raise IncompleteResults(f"{folder}: no stored runs to report on")
        loaded[part] = results
    return loaded


def _design(results: Results) -> list[str]:
    return list(results.manifest.get("design", {}).get("parameters", []))


def _outcomes(runs: pd.DataFrame) -> list[str]:
    return [name for name in OUTCOMES if name in runs.columns]


def summary_table(results: Results, n_resamples: int = 9999) -> pd.DataFrame:
    """One row per scenario and design point: runs, and each outcome's mean with a 95% CI.

    Args:
        results: a loaded results folder.
        n_resamples: bootstrap resamples per interval.

    Returns:
        Columns scenario, point, the design parameters, runs, then
        `<outcome>`, `<outcome>_low`, `<outcome>_high` for each outcome.
    """
    runs = results.runs
    design = _design(results)
    rows = []
    for (scenario, point), group in runs.groupby(["scenario", "point"], sort=True):
        row: dict[str, Any] = {"scenario": scenario, "point": point}
        row.update({name: group[name].iloc[0] for name in design if name in group})
        row["runs"] = len(group)
        for name in _outcomes(runs):
            values = pd.to_numeric(group[name], errors="coerce").dropna().to_numpy()
            ci = bootstrap_ci(values, np.mean, n_resamples=n_resamples, rng=CI_SEED)
            ci = ci if len(values) > 1 and np.ptp(values) > 0 else ci._replace(low=ci.estimate)
            row.update({name: ci.estimate, f"{name}_low": ci.low, f"{name}_high": ci.high})
        rows.append(row)
    return pd.DataFrame(rows)


def response_table(results: Results) -> pd.DataFrame:
    """Spearman rank correlation of each outcome with each numeric design parameter, per scenario.

    Returns:
        Columns scenario, parameter, outcome, spearman, runs; empty without a design.
    """
    runs = results.runs
    rows = []
    for name in _design(results):
        values = pd.to_numeric(runs.get(name), errors="coerce")
        if values is None or values.isna().all() or values.nunique() < 2:
            continue
        for scenario, group in runs.groupby("scenario", sort=True):
            x = values.loc[group.index]
            for outcome in _outcomes(runs):
                y = pd.to_numeric(group[outcome], errors="coerce")
                rho = x.corr(y, method="spearman") if x.nunique() > 1 else math.nan
                rows.append(
                    {
                        "scenario": scenario,
                        "parameter": name,
                        "outcome": outcome,
                        "spearman": rho,
                        "runs": len(group),
                    }
                )
    return pd.DataFrame(rows, columns=["scenario", "parameter", "outcome", "spearman", "runs"])


def income_disclosure(participants: pd.DataFrame, months: int) -> pd.DataFrame:
    """The income-disclosure table per scenario, pooled over its runs.

    Annual gross income is a participant's commissions plus retail profit,
    divided by the years they participated (join month to quit month, or to
    the end of the run), before any cost.

    Args:
        participants: the participant tables of the runs (`Results.participants`).
        months: the months each run simulated.

    Returns:
        Columns scenario, bracket, participants, share, mean_income,
        median_income, share_active; one row per scenario and bracket, in
        `BRACKETS` order.
    """
    gross = participants["commissions"].astype(float) + participants["retail_profit"].astype(float)
    quit_month = pd.to_numeric(participants["quit_month"], errors="coerce")
    active = quit_month.isna()
    end = quit_month.fillna(months).astype(float)
    years = np.maximum(end - participants["join_month"].astype(float) + 1.0, 1.0) / 12.0
    table = pd.DataFrame(
        {"scenario": participants["scenario"], "income": gross / years, "active": active}
    )
    rows = []
    for scenario, group in table.groupby("scenario", sort=True):
        for label, above, upto in BRACKETS:
            if label == "$0":
                inside = group.income <= 0
            else:
                inside = (group.income > above) & (group.income <= upto)
            members = group[inside]
            rows.append(
                {
                    "scenario": scenario,
                    "bracket": label,
                    "participants": len(members),
                    "share": len(members) / len(group) if len(group) else math.nan,
                    "mean_income": members.income.mean() if len(members) else math.nan,
                    "median_income": members.income.median() if len(members) else math.nan,
                    "share_active": members.active.mean() if len(members) else math.nan,
                }
            )
    return pd.DataFrame(rows)


def _rates(summary: pd.DataFrame) -> pd.DataFrame:
    """The rates chart's table: per scenario, the mean over points of each rate and its CI."""
    rows = []
    for metric in ("success_rate", "loss_rate"):
        if metric not in summary:
            continue
        for scenario, group in summary.groupby("scenario", sort=False):
            rows.append(
                {
                    "scenario": scenario,
                    "metric": metric,
                    "estimate": group[metric].mean(),
                    "ci_low": group[f"{metric}_low"].mean(),
                    "ci_high": group[f"{metric}_high"].mean(),
                }
            )
    return pd.DataFrame(rows)


def _response_figure(results: Results, parameter: str) -> Figure:
    """Mean of each outcome at each value of a design parameter, one line per scenario."""
    runs = results.runs
    outcomes = _outcomes(runs)
    ncols = min(3, len(outcomes))
    nrows = math.ceil(len(outcomes) / ncols)
    fig = Figure(figsize=(4.0 * ncols, 3.0 * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    x = pd.to_numeric(runs[parameter], errors="coerce")
    for ax, outcome in zip(axes, outcomes, strict=False):
        for scenario, group in runs.assign(_x=x).groupby("scenario", sort=True):
            means = group.groupby("_x")[outcome].mean()
            ax.plot(means.index, means.to_numpy(), marker="o", label=str(scenario))
        ax.set_xlabel(parameter)
        ax.set_ylabel(outcome.replace("_", " "))
    for ax in axes[len(outcomes) :]:
        ax.set_visible(False)
    axes[0].legend(fontsize="small")
    return fig


def _chart_makers(
    part: str, results: Results, summary: pd.DataFrame
) -> dict[str, Callable[[], Figure]]:
    prefix = f"{part}_" if part else ""
    makers: dict[str, Callable[[], Figure]] = {}
    rates = _rates(summary)
    if not rates.empty:
        makers[f"{prefix}success_and_loss_rates"] = lambda: charts.success_and_loss_rates(rates)
    people = results.participants
    if people is not None and "net_profit" in people:
        makers[f"{prefix}net_income_distribution"] = lambda: charts.net_income_distribution(people)
        makers[f"{prefix}lorenz_curves"] = lambda: charts.lorenz_curves(people)
    monthly = results.monthly
    if monthly is not None and "participants" in monthly:
        makers[f"{prefix}participants_over_time"] = lambda: charts.participants_over_time(monthly)
    for name in _design(results):
        if pd.to_numeric(results.runs.get(name), errors="coerce").nunique() > 1:
            makers[f"{prefix}response_{name}"] = lambda n=name: _response_figure(results, n)
    return makers


def _draw(
    makers: dict[str, Callable[[], Figure]], folder: Path, formats: Sequence[str]
) -> dict[str, list[Path]]:
    files = {}
    for name, make in makers.items():
        files[name] = charts.save_figure(make(), folder, name.replace(".", "_"), formats)
    return files


def _sources(loaded: dict[str, Results]) -> dict[str, Any]:
    return {
        part or "results": {
            "config_hash": r.manifest.get("config_hash"),
            "runs": len(r.runs),
            "run_ids": run_ids_digest(r.runs.run_id),
        }
        for part, r in loaded.items()
    }


def draw_summary_charts(
    root: str | Path, formats: Sequence[str] = ("png",)
) -> dict[str, list[Path]]:
    """Draw the standard charts of a results or suite folder into `<root>/charts/`.

    Args:
        root: the folder.
        formats: file formats.

    Returns:
        Chart name -> the files written.

    Raises:
        NotAResultsFolder: when the folder or a file it lists cannot be read.
        IncompleteResults: when a folder has no stored run.
    """
    root = Path(root)
    loaded = _load(root)
    tmp = Path(tempfile.mkdtemp(prefix=".charts.", suffix=".tmp", dir=root))
    try:
        files: dict[str, list[Path]] = {}
        for part, results in loaded.items():
            summary = summary_table(results, n_resamples=999)
            files.update(_draw(_chart_makers(part, results, summary), tmp, formats))
        (tmp / "sources.json").write_text(json.dumps(_sources(loaded), indent=1), "utf-8")
        installed = install_charts(files, root / CHART_DIR)
        os.replace(tmp / "sources.json", root / CHART_DIR / "sources.json")
        return installed
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float | np.floating):
        return f"{value:.4g}"
    return str(value)


def _markdown_table(table: pd.DataFrame) -> list[str]:
    if table.empty:
        return ["(none)", ""]
    head = "| " + " | ".join(map(str, table.columns)) + " |"
    rule = "|" + "---|" * len(table.columns)
    body = ["| " + " | ".join(_fmt(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return [head, rule, *body, ""]


def _summary_cells(summary: pd.DataFrame, results: Results) -> pd.DataFrame:
    """The summary with each outcome as `mean [low, high]`."""
    keep = ["scenario", "point", *[n for n in _design(results) if n in summary], "runs"]
    shown = summary[keep].copy()
    for name in _outcomes(results.runs):
        shown[name] = [
            f"{_fmt(m)} [{_fmt(lo)}, {_fmt(hi)}]" if not math.isnan(lo) else _fmt(m)
            for m, lo, hi in zip(
                summary[name], summary[f"{name}_low"], summary[f"{name}_high"], strict=True
            )
        ]
    return shown


def _part_text(
    part: str, results: Results, tables: dict[str, pd.DataFrame], chart_files: dict[str, str]
) -> list[str]:
    manifest = results.manifest
    counts = manifest.get("counts", {})
    title = f"## {manifest.get('name', part)}" if part else "## Results"
    lines = [title, ""]
    lines.append(
        f"{len(results.runs)} runs analysed; manifest: {counts.get('ok', 0)} ok, "
        f"{counts.get('failed', 0)} failed, {counts.get('pending', 0)} not run. "
        f"Config hash `{str(manifest.get('config_hash'))[:12]}`, code version "
        f"`{manifest.get('code_version')}`, {manifest.get('config', {}).get('months')} months."
    )
    lines.append("")
    if counts.get("failed", 0) or counts.get("pending", 0):
        lines += [
            "**Warning: not every run is stored; the tables cover the stored runs only.**",
            "",
        ]
    lines += ["### Summary per scenario and design point", ""]
    lines += ["Mean over replications [95% bootstrap interval].", ""]
    lines += _markdown_table(_summary_cells(tables["summary"], results))
    if "disclosure" in tables:
        lines += ["### Income disclosure", ""]
        lines += [
            "Participants by annualised gross income (commissions plus retail profit per year "
            "of participation, before costs), pooled over each scenario's runs.",
            "",
        ]
        lines += _markdown_table(tables["disclosure"])
    if not tables["response"].empty:
        lines += ["### Response to the design parameters", ""]
        lines += ["Spearman rank correlation over runs, per scenario.", ""]
        wide = tables["response"].pivot_table(
            index=["scenario", "parameter"], columns="outcome", values="spearman", sort=False
        )
        lines += _markdown_table(wide.reset_index())
    for name, path in chart_files.items():
        lines += [f"![{name}]({path})", ""]
    return lines


def build_summary_report(
    root: str | Path, formats: Sequence[str] = ("png",), n_resamples: int = 9999
) -> list[Path]:
    """Write the analysis tables, charts and report of a results or suite folder.

    Args:
        root: the folder.
        formats: chart formats; the first is embedded in the HTML (png or svg).
        n_resamples: bootstrap resamples per interval.

    Returns:
        The report files written (report.md, report.html).

    Raises:
        NotAResultsFolder: when the folder or a file it lists cannot be read.
        IncompleteResults: when a folder has no stored run.
    """
    root = Path(root)
    loaded = _load(root)
    for part, results in loaded.items():
        counts = results.manifest.get("counts", {})
        if counts.get("failed", 0) or counts.get("pending", 0):
            where = f"part {part}" if part else str(root)
            print(
                f"warning: {where}: {counts.get('failed', 0)} runs failed and "
                f"{counts.get('pending', 0)} not run; the report covers the stored runs",
                file=sys.stderr,
            )
    tmp = Path(tempfile.mkdtemp(prefix=".report.", suffix=".tmp", dir=root))
    try:
        analysis = tmp / ANALYSIS_DIR
        analysis.mkdir()
        text = [f"# Report: {root.name}", ""]
        files: dict[str, list[Path]] = {}
        for part, results in loaded.items():
            tables = {
                "summary": summary_table(results, n_resamples),
                "response": response_table(results),
            }
            people = results.participants
            if people is not None and {"commissions", "retail_profit"} <= set(people):
                months = int(results.manifest.get("config", {}).get("months", 120))
                tables["disclosure"] = income_disclosure(people, months)
            for name, table in tables.items():
                table.to_csv(analysis / f"{part + '_' if part else ''}{name}.csv", index=False)
            drawn = _draw(_chart_makers(part, results, tables["summary"]), tmp / CHART_DIR, formats)
            files.update(drawn)
            shown = {name: f"{CHART_DIR}/{paths[0].name}" for name, paths in drawn.items()}
            text += _part_text(part, results, tables, shown)
        (analysis / "sources.json").write_text(json.dumps(_sources(loaded), indent=1), "utf-8")
        markdown_text = "\n".join(text)
        (tmp / REPORT_MD).write_text(markdown_text, encoding="utf-8")
        html = render_html(markdown_text, tmp, title=f"{root.name} report")
        (tmp / REPORT_HTML).write_text(html, encoding="utf-8")
        replace_dir(analysis, root / ANALYSIS_DIR)
        install_charts(files, root / CHART_DIR)
        for name in (REPORT_MD, REPORT_HTML):
            os.replace(tmp / name, root / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [root / REPORT_MD, root / REPORT_HTML]
