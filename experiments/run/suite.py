"""Running a suite: every part into its own results folder, in file order.

Part `P` of suite `S` is the experiment named `S.P`, run into `<out>/P/`, an
ordinary resumable results folder (`load_results` reads it). The suite's own
folder holds `suite.json` (kind `downline-suite`: the suite's name, its parts
in order, each part's config hash), written atomically before the first part
runs. Suite files are read by `experiments.spec.suite`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from experiments.run.backends import make_backend
from experiments.run.runner import SweepSummary, default_workers, run_experiment
from experiments.spec.modelref import load_model_class
from experiments.spec.runspec import expand_runs
from experiments.spec.suite import Suite
from experiments.store.layout import SUITE_MANIFEST, NotAResultsFolder, read_suite_manifest
from experiments.store.writer import (
    StoreError,
    check_folder,
    remove_derived,
    suite_manifest,
    write_json,
)

__all__ = ["run_suite"]


def run_suite(
    suite: Suite,
    out: Path,
    *,
    config_file: Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    run_timeout: float | None = None,
    force: bool = False,
    **options: Any,
) -> list[SweepSummary]:
    """Run every part of a suite into `<out>/<part>/`, in file order, on one backend.

    Every part's folder is checked before anything is written, so a refused
    suite leaves the folder as it was.

    Args:
        suite: the validated suite.
        out: the suite's results folder.
        config_file: the suite file's path, for the manifests.
        workers: worker processes (default: CPU count; 1 runs in-process).
        scheduler: a Dask scheduler address or "local".
        run_timeout: Dask only: fail a run after this many seconds.
        force: replace results of a different config in the parts' folders.
        **options: passed to `run_experiment` (quiet).

    Returns:
        One summary per part.

    Raises:
        StoreError: when the folder is not a suite folder of this suite's name
            (a non-empty folder of something else is never touched), or a
            part's folder is refused or locked.
        BackendError: when the backend cannot be used.
        ImportError: when the model cannot be imported.
    """
    _check_target(out, suite)
    for part, cfg in suite.parts.items():
        check_folder(out / part, cfg, force=force)
    load_model_class()
    largest = max(len(expand_runs(cfg)) for cfg in suite.parts.values())
    size = max(1, min(workers or default_workers(), largest))
    summaries = []
    with make_backend(size, scheduler, run_timeout) as backend:
        out.mkdir(parents=True, exist_ok=True)
        write_json(out / SUITE_MANIFEST, suite_manifest(suite, config_file))
        try:
            for part, cfg in suite.parts.items():
                summaries.append(
                    run_experiment(
                        cfg,
                        out / part,
                        config_file=config_file,
                        force=force,
                        backend=backend,
                        **options,
                    )
                )
        finally:
            if any(summary.changed for summary in summaries) or len(summaries) < len(suite.parts):
                remove_derived(out)
    return summaries


def _check_target(out: Path, suite: Suite) -> None:
    """Refuse a non-empty folder that is not this suite's results folder."""
    if not out.is_dir() or not any(out.iterdir()):
        return
    try:
        manifest = read_suite_manifest(out)
    except NotAResultsFolder as err:
        raise StoreError(f"{err}; refusing to write into it") from None
    if manifest.get("name") != suite.name:
        raise StoreError(
            f"{out}: holds the results of suite {manifest.get('name')!r}, not {suite.name!r}"
        )
