"""The calibration report: `report.md` and a chart of every target in a calibration folder."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from experiments.calibrate.search import Calibration
from experiments.present.charts import calibration_targets, save_figure
from experiments.spec.schema import ExperimentConfig
from experiments.store.writer import atomic_write

CHART = "calibration_targets"


def write_report(calibration: Calibration, cfg: ExperimentConfig) -> Path:
    """Write the chart and `report.md` into the calibration folder.

    Args:
        calibration: the finished calibration.
        cfg: its config (for the parameter ranges searched).

    Returns:
        The path of report.md.
    """
    out = calibration.out
    save_figure(calibration_targets(calibration.confirmation), out, CHART, formats=("png",))
    path = out / "report.md"
    text = report_text(calibration, cfg)
    atomic_write(path, lambda handle: handle.write(text.encode()))
    return path


def report_text(calibration: Calibration, cfg: ExperimentConfig) -> str:
    """The report as Markdown (see `write_report`)."""
    fit, table, confirmed = calibration.fit, calibration.confirmation, calibration.confirmed
    accepted = fit.accepted
    n_in = int(table["in_band"].sum())
    confirm_n = int(table["n"].max()) if len(table) else 0
    stages = fit.points["stage"]
    design = int((stages == stages.iloc[0]).sum())
    lines = [
        f"# Calibration `{cfg.name}`",
        "",
        f"{len(fit.points)} points searched ({design} of a {cfg.design.kind} design, "
        f"{len(fit.points) - design} proposed by Optuna's TPE sampler in "
        f"{stages.nunique() - 1} batches), each under {len(cfg.scenario_names)} regimes x "
        f"{cfg.replications.n} replications; {len(accepted)} points have every target's mean "
        f"in its band (the accepted set). The {len(confirmed)} best points "
        f"({int(confirmed['accepted'].sum())} of them accepted) were rerun with {confirm_n} "
        f"fresh seeds each; on those reruns the calibrated point is point {fit.best} "
        f"({stages.loc[fit.best]}): **{n_in} of {len(table)} targets in band**.",
        "",
        "## Targets at the calibrated point",
        "",
        "| target | regime | source | published | band | model mean [95% CI] | in band |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in table.itertuples(index=False):
        lines.append(
            f"| {row.name} | {row.scenario} | {row.source} | {row.published} | "
            f"{_num(row.low)} - {_num(row.high)} | {_num(row.mean)} "
            f"[{_num(row.ci_low)}, {_num(row.ci_high)}] | {'yes' if row.in_band else '**no**'} |"
        )
    lines += [
        "",
        f"![Calibration targets]({CHART}.png)",
        "",
        "## Calibrated parameters",
        "",
        "The calibrated value; the range searched; the 5%-95% range over the accepted set "
        "(the calibration's uncertainty; empty when no point was accepted).",
        "",
        "| parameter | calibrated | searched | accepted 5% - 95% |",
        "|---|---|---|---|",
    ]
    best = fit.best_values()
    for name in fit.parameters:
        spec = cfg.design.parameters[name]
        spread = _spread(accepted[name]) if len(accepted) else ""
        searched = f"{_num(spec.low)} - {_num(spec.high)}{' (log)' if spec.log else ''}"
        lines.append(f"| `{name}` | {_num(best[name])} | {searched} | {spread} |")
    lines += [
        "",
        "Files: `points.csv` (every point scored), `accepted.csv`, `candidates.csv` (the "
        "reruns scored), `targets.csv`, "
        "`calibrated.json`; the runs in `search/`, `refine/NN/` and `confirm/`.",
        "",
    ]
    return "\n".join(lines)


def _spread(values: pd.Series) -> str:
    return f"{_num(values.quantile(0.05))} - {_num(values.quantile(0.95))}"


def _num(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:,.3g}"
