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

LOG_INTERVAL_S = 10.0


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
        changed: whether the session changed what the folder holds.
    """

    total: int
    ok: int
    failed: int
    skipped: int
    elapsed_s: float
    out: Path
    failures: list[tuple[str, str]] = field(default_factory=list)
    changed: bool = False

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
    run_timeout: float | None = None,
    force: bool = False,
    quiet: bool = False,
    config_file: Path | None = None,
    backend: Backend | None = None,
) -> SweepSummary:
    """Run every run of an experiment that is not stored in `out` yet.

    Args:
        cfg: a validated config.
        out: the results folder.
        workers: worker processes (default: CPU count; 1 runs in-process).
        scheduler: a Dask scheduler address or "local" (default: local processes).
        run_timeout: Dask only: fail a run after this many seconds.
        force: replace results of a different config in `out`.
        quiet: no progress bar or start message.
        config_file: the config's path, for the manifest.
        backend: a backend already started (a suite shares one between its parts);
            `workers`, `scheduler` and `run_timeout` are then not used.

    Returns:
        The summary of this session.

    Raises:
        BackendError: when the backend cannot be used.
        StoreError: when the results folder is refused or locked.
        ImportError: when the model cannot be imported.
    """
    start = time.monotonic()
    specs = expand_runs(cfg)
    load_model_class()
    if backend is None:
        size = max(1, min(workers or default_workers(), len(specs)))
        with make_backend(size, scheduler, run_timeout) as own:
            return _sweep(cfg, out, specs, own, force, quiet, config_file, start)
    return _sweep(cfg, out, specs, backend, force, quiet, config_file, start)


def _sweep(
    cfg: ExperimentConfig,
    out: Path,
    specs: list[RunSpec],
    backend: Backend,
    force: bool,
    quiet: bool,
    config_file: Path | None,
    start: float,
) -> SweepSummary:
    """Open the folder (after the backend connected: a failure leaves nothing), run, close."""
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
        summary.changed = store.changed
    return summary


def _execute(
    pending: list[RunSpec],
    backend: Backend,
    store: ResultsStore,
    summary: SweepSummary,
    bar: tqdm | LogProgress,
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


class LogProgress:
    """Progress as log lines on stderr, for output that is not a terminal (nohup, CI logs).

    A line at most every `LOG_INTERVAL_S` seconds and one at the end:
    `claims.main: 12/33 runs (36%), 0 failed, 5.2s, about 9.1s left`.
    """

    def __init__(self, name: str, summary: SweepSummary):
        self.name = name
        self.summary = summary
        self.start = time.monotonic()
        self.last = self.start

    def __enter__(self) -> LogProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.summary.ok + self.summary.failed:
            self._line()

    def update(self) -> None:
        """Count one run; print a line when the interval has passed."""
        if time.monotonic() - self.last >= LOG_INTERVAL_S:
            self._line()

    def _line(self) -> None:
        s = self.summary
        done_now = s.ok + s.failed
        done = s.skipped + done_now
        elapsed = time.monotonic() - self.start
        left = elapsed / done_now * (s.total - done) if done_now else 0.0
        print(
            f"{self.name}: {done}/{s.total} runs ({done / max(s.total, 1):.0%}), "
            f"{s.failed} failed, {format_duration(elapsed)}, "
            f"about {format_duration(left)} left",
            file=sys.stderr,
            flush=True,
        )
        self.last = time.monotonic()


def _progress(name: str, summary: SweepSummary, quiet: bool) -> tqdm | LogProgress:
    """A progress bar on a terminal, log lines otherwise; nothing shown when quiet."""
    if not quiet and not sys.stderr.isatty():
        return LogProgress(name, summary)
    return tqdm(
        total=summary.total,
        initial=summary.skipped,
        desc=name,
        unit="run",
        disable=quiet,
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
