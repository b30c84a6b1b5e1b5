"""A sweep: expand the runs, open the results folder, run what is missing, store as results arrive.

The parent process hands runs to a backend one at a time, receives each
result (metrics plus optional tables) as it completes, writes it and updates
the progress bar and the manifest. A failing run is recorded with its
traceback and the sweep goes on.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from experiments.run.backends import Backend, make_backend
from experiments.run.execute import execute_run
from experiments.spec.modelref import load_model_class
from experiments.spec.runspec import RunSpec, expand_runs
from experiments.spec.schema import ExperimentConfig
from experiments.store.tables import RunResult
from experiments.store.writer import ResultsStore


@dataclass
class SweepSummary:
    """How a sweep went.

    Attributes:
        total: runs in the experiment.
        ok: runs completed in this session.
        failed: runs that failed in this session.
        skipped: runs already stored before this session.
        elapsed_s: wall time of the session (seconds).
        out: the results folder.
        failures: (run id, error) of each failed run.
    """

    total: int
    ok: int
    failed: int
    skipped: int
    elapsed_s: float
    out: Path
    failures: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        """`120 runs: 118 ok, 2 failed, 0 skipped in 3m12s -> results/claims`."""
        return (
            f"{self.total} runs: {self.ok} ok, {self.failed} failed, {self.skipped} skipped "
            f"in {format_duration(self.elapsed_s)} -> {self.out}"
        )


def default_workers() -> int:
    """The default number of worker processes: the machine's CPU count."""
    return os.cpu_count() or 1


def run_experiment(
    cfg: ExperimentConfig,
    out: Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    force: bool = False,
    quiet: bool = False,
    config_file: Path | None = None,
) -> SweepSummary:
    """Run every run of an experiment that is not stored in `out` yet.

    Args:
        cfg: a validated config.
        out: the results folder.
        workers: worker processes (default: CPU count; 1 runs in-process).
        scheduler: a Dask scheduler address or "local" (default: local processes).
        force: replace results of a different config in `out`.
        quiet: no progress bar or start message.
        config_file: the config's path, for the manifest.

    Returns:
        The summary of this session.

    Raises:
        BackendError: when the backend cannot be used.
        StoreError: when the results folder is refused or locked.
        ImportError: when the model cannot be imported.
    """
    start = time.monotonic()
    workers = workers or default_workers()
    specs = expand_runs(cfg)
    backend = make_backend(max(1, min(workers, len(specs))), scheduler)
    load_model_class()
    with backend:  # connect before writing: an unreachable scheduler leaves nothing behind
        store = ResultsStore.open(
            out, cfg, specs, force=force, backend=backend.description, config_file=config_file
        )
        pending = store.pending()
        summary = SweepSummary(len(specs), 0, 0, len(specs) - len(pending), 0.0, out)
        if not quiet:
            for note in store.notes:
                print(f"note: {note}", file=sys.stderr)
            if pending:
                print(
                    f"{cfg.name}: {len(pending)} of {len(specs)} runs to do "
                    f"on {backend.description} -> {out}",
                    file=sys.stderr,
                )
        status = "interrupted"
        try:
            _execute(pending, backend, store, summary, _progress(cfg.name, summary, quiet))
            status = "finished"
        finally:
            store.close(status)
            summary.elapsed_s = time.monotonic() - start
    return summary


def _execute(
    pending: list[RunSpec], backend: Backend, store: ResultsStore, summary: SweepSummary, bar: tqdm
) -> None:
    """Run the pending runs on the backend, storing and counting each result as it arrives."""
    with bar:
        for spec, outcome in backend.imap_unordered(execute_run, pending):
            result = outcome
            if not isinstance(outcome, RunResult):
                result = RunResult.failure(spec.run_id, outcome)
            store.save(spec, result)
            if result.ok:
                summary.ok += 1
            else:
                summary.failed += 1
                summary.failures.append((spec.run_id, result.error or "unknown error"))
            bar.update()


def _progress(name: str, summary: SweepSummary, quiet: bool) -> tqdm:
    """A progress bar of runs done, rate and time left (off when quiet or not on a terminal)."""
    return tqdm(
        total=summary.total,
        initial=summary.skipped,
        desc=name,
        unit="run",
        disable=quiet or not sys.stderr.isatty(),
        dynamic_ncols=True,
        file=sys.stderr,
    )


def format_duration(seconds: float) -> str:
    """`3.2s`, `3m12s` or `1h02m`."""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"
