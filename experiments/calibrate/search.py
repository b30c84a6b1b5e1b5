"""`downline calibrate`: search the uncertain inputs, refine, score, confirm the calibrated point.

A calibration file is an experiment config (experiments/calibration.toml)
plus a `[calibration]` table (`experiments.calibrate.settings`). Its design
samples the uncertain inputs, its scenarios are the regimes the targets
apply to (`mlm`, `referral`). The calibration runs the design through the
experiments layer into `<out>/search`, scores every point
(`experiments.calibrate.fit`), lets Optuna's TPE sampler propose further
batches of points (`experiments.calibrate.refine`) into `<out>/refine/NN`,
reruns the best few (`[calibration] candidates`) with fresh seeds into
`<out>/confirm`, and picks the calibrated point among them on those runs,
reporting each target there, so that neither the choice nor the reported
values rest on the few replications in which one of many noisy points
looked best. Every stage is a resumable results folder.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.calibrate.fit import (
    Fit,
    candidates,
    confirmation_table,
    fit,
    point_values,
    score_runs,
)
from experiments.calibrate.refine import points_config, refine
from experiments.calibrate.settings import CalibrationSettings
from experiments.calibrate.targets import TARGETS
from experiments.run.runner import SweepSummary, run_experiment
from experiments.spec.schema import ExperimentConfig, config_hash
from experiments.store.layout import NotAResultsFolder, read_manifest
from experiments.store.results import load_results
from experiments.store.writer import atomic_write

SEARCH, REFINE, CONFIRM = "search", "refine", "confirm"
CONFIRM_SEED_OFFSET = 1
"""The confirmation's base seed is the search's plus this, so its seeds are fresh."""


@dataclass(frozen=True)
class Calibration:
    """What a calibration produced.

    Attributes:
        fit: every scored point (design and refinement; column `stage`) and the choice.
        confirmation: each target at the calibrated point (`confirmation_table`).
        confirmed: the candidates scored on their confirmation runs (index: point).
        summaries: the sweep summaries of every stage.
        out: the calibration folder.
    """

    fit: Fit
    confirmation: pd.DataFrame
    confirmed: pd.DataFrame
    summaries: list[SweepSummary]
    out: Path

    @property
    def failures(self) -> list[tuple[str, str]]:
        """Failed runs of any stage."""
        return [failure for summary in self.summaries for failure in summary.failures]


def confirmation_config(
    cfg: ExperimentConfig, values: list[dict[str, Any]], runs: int
) -> ExperimentConfig:
    """The search config at the candidates: their points, `runs` replications, fresh seeds."""
    replications = {"count": runs, "base_seed": cfg.replications.base_seed + CONFIRM_SEED_OFFSET}
    return points_config(cfg, f"{cfg.name}-{CONFIRM}", values, replications)


def run_calibration(
    cfg: ExperimentConfig, settings: CalibrationSettings, out: Path, **options: Any
) -> Calibration:
    """Search, refine, score and confirm; write the calibration's tables into `out`.

    Args:
        cfg: the calibration's experiment config (a design over the uncertain inputs).
        settings: the `[calibration]` table.
        out: the calibration folder.
        **options: passed to `run_experiment` (workers, scheduler, force, quiet, config_file).

    Returns:
        The calibration.

    Raises:
        ValueError: when a stage has failed runs (rerun to retry them).
        ImportError: when Optuna is missing and refinement is asked for.
    """
    parameters = list(cfg.design.parameters)
    summaries: list[SweepSummary] = []

    def run_stage(stage_cfg: ExperimentConfig, folder: Path, stage: str) -> pd.DataFrame:
        summary = run_experiment(stage_cfg, folder, **options)
        summaries.append(summary)
        if summary.failures:
            raise ValueError(
                f"{len(summary.failures)} runs failed in {folder}; rerun the same command to retry"
            )
        scored = score_runs(load_results(folder).runs, parameters)
        return scored.assign(stage=stage)

    stages = [run_stage(cfg, out / SEARCH, SEARCH)]
    options = {**options, "config_file": None}
    stages += refine(
        cfg,
        stages[0],
        settings.refine_batches,
        settings.batch_size,
        lambda batch, batch_cfg: run_stage(
            batch_cfg, out / REFINE / f"{batch:02d}", f"{REFINE}{batch:02d}"
        ),
    )
    points = pd.concat(stages, ignore_index=True).rename_axis("point")
    chosen = candidates(points, settings.candidates)
    values = [point_values(points, parameters, point) for point in chosen]
    check = confirmation_config(cfg, values, settings.confirm)
    _drop_stale_confirmation(out / CONFIRM, check)
    confirmed_runs = run_stage(check, out / CONFIRM, CONFIRM)
    runs = load_results(out / CONFIRM).runs
    confirmed = confirmed_runs.set_axis(pd.Index(chosen, name="point"))
    scored = fit(confirmed, parameters)
    best = chosen.index(scored.best)
    table = confirmation_table(runs[runs["point"] == best])
    result = Fit(points=points, parameters=parameters, best=scored.best)
    _write_tables(out, cfg, result, confirmed, table)
    return Calibration(result, table, confirmed, summaries, out)


def _drop_stale_confirmation(folder: Path, check: ExperimentConfig) -> None:
    """Remove a confirmation of another point: the confirmation follows the choice."""
    if not folder.exists():
        return
    try:
        stale = read_manifest(folder).get("config_hash") != config_hash(check)
    except NotAResultsFolder:
        stale = True
    if stale:
        shutil.rmtree(folder)


def _write_tables(
    out: Path, cfg: ExperimentConfig, scored: Fit, confirmed: pd.DataFrame, table: pd.DataFrame
) -> None:
    """points.csv, accepted.csv, candidates.csv, targets.csv and calibrated.json, atomically."""
    _write(out / "points.csv", scored.points.to_csv().encode())
    _write(out / "accepted.csv", scored.accepted.to_csv().encode())
    _write(out / "candidates.csv", confirmed.to_csv().encode())
    _write(out / "targets.csv", table.to_csv(index=False).encode())
    summary = {
        "config": cfg.name,
        "config_hash": config_hash(cfg),
        "calibrated": scored.best_values(),
        "point": scored.best,
        "stage": str(scored.points.loc[scored.best, "stage"]),
        "accepted": int(scored.points["accepted"].sum()),
        "candidates": len(confirmed),
        "candidates_accepted": int(confirmed["accepted"].sum()),
        "points": len(scored.points),
        "targets_in_band": int(table["in_band"].sum()),
        "targets": len(TARGETS),
    }
    _write(out / "calibrated.json", json.dumps(summary, indent=2).encode())


def _write(path: Path, data: bytes) -> None:
    atomic_write(path, lambda handle: handle.write(data))
