"""The `downline` command line: run, calibrate, check, plans, demo, report, charts, verify, app.

Every error is one line on stderr (`--debug` adds the traceback); a refused
command writes nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import NoReturn

from experiments.paths import default_output
from experiments.present.server import DEFAULT_HOST, DEFAULT_PORT, missing_app_packages, serve
from experiments.run.runner import default_workers, run_experiment
from experiments.run.suite import run_suite
from experiments.spec.designs import design_size
from experiments.spec.loader import MAX_RUNS, find_config, load_config
from experiments.spec.modelref import param_schema, plan_names, plan_parameters
from experiments.spec.schema import ConfigError, ExperimentConfig
from experiments.spec.suite import Suite, is_suite, load_suite
from experiments.store.integrity import verify_folder
from experiments.store.layout import (
    MANIFEST,
    SUITE_MANIFEST,
    TABLE_DIRS,
    NotAResultsFolder,
    read_manifest,
    read_suite_manifest,
)
from experiments.store.writer import StoreError, repair_folder

OK = 0
RUNS_FAILED = 1
USAGE_ERROR = 2
ENVIRONMENT_ERROR = 3
INTERRUPTED = 130
EXIT_CODES = f"""exit codes:
  {OK}    ok
  {RUNS_FAILED}    some runs failed (run), or problems found (verify)
  {USAGE_ERROR}    bad input or usage: arguments, config, a refused or incomplete results folder
  {ENVIRONMENT_ERROR}    environment or I/O error: unreadable or unwritable files, full disk,
       unreachable scheduler, model not importable
  {INTERRUPTED}  interrupted (Ctrl-C or SIGTERM); rerun the same command to resume
"""
MAX_LISTED_FAILURES = 20
CHART_FORMATS = ("png", "svg", "pdf")
_SCHEDULER = re.compile(r"[a-z][a-z0-9+]*://\S+")


class UsageError(Exception):
    """A bad command-line argument (one line, naming the argument)."""


class ProblemsFound(Exception):
    """`verify` found missing, corrupt or stray files (exit code 1)."""


class _Parser(argparse.ArgumentParser):
    """An argument parser that reports errors as one line instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def _integer(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be an integer >= {minimum}, got {text!r}")
        return value

    return parse


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a number of seconds > 0, got {text!r}")
    return value


def _scheduler(text: str) -> str:
    if text != "local" and not _SCHEDULER.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"must be 'local' or an address like tcp://HOST:PORT, got {text!r}"
        )
    return text


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with its subcommands."""
    parser = _Parser(
        prog="downline",
        description=__doc__.split("\n")[0],
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"downline {_version()}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run an experiment config into a results folder")
    run.add_argument(
        "config", help="TOML config (bare names also found in the experiments package)"
    )
    run.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="results folder (default: ./results/<name> under the working directory)",
    )
    run.add_argument(
        "--workers",
        type=_integer(1),
        metavar="N",
        help=f"worker processes; 1 runs in-process (default: CPU count, {default_workers()})",
    )
    run.add_argument(
        "--scheduler",
        type=_scheduler,
        metavar="ADDR",
        help="Dask scheduler address (tcp://HOST:PORT), or 'local' for a LocalCluster",
    )
    again = run.add_mutually_exclusive_group()
    again.add_argument(
        "--resume", action="store_true", help="continue a sweep (the default for the same config)"
    )
    again.add_argument(
        "--force", action="store_true", help="delete results of a different config in --out first"
    )
    run.add_argument(
        "--run-timeout",
        type=_seconds,
        metavar="S",
        help="with --scheduler: fail a run that takes longer than S seconds",
    )
    run.add_argument(
        "--quiet", action="store_true", help="no progress (bar on a terminal, else log lines)"
    )
    _max_runs(run)
    run.set_defaults(handler=_run)

    calibrate = commands.add_parser(
        "calibrate", help="search a calibration config, score it against the targets, confirm"
    )
    calibrate.add_argument("config", help="calibration file (e.g. calibration.toml)")
    calibrate.add_argument(
        "--out", type=Path, metavar="DIR", help="calibration folder (default: ./results/<name>)"
    )
    calibrate.add_argument("--workers", type=_integer(1), metavar="N", help="worker processes")
    calibrate.add_argument(
        "--scheduler", type=_scheduler, metavar="ADDR", help="Dask scheduler address or 'local'"
    )
    calibrate.add_argument(
        "--force", action="store_true", help="delete results of a different config in --out first"
    )
    calibrate.add_argument("--quiet", action="store_true", help="no progress")
    calibrate.set_defaults(handler=_calibrate)

    check = commands.add_parser("check", help="validate a config and count its runs")
    check.add_argument("config")
    _max_runs(check)
    check.set_defaults(handler=_check)

    plans = commands.add_parser(
        "plans", help="list the compensation plans with their parameters, defaults and ranges"
    )
    plans.set_defaults(handler=_plans)

    demo = commands.add_parser("demo", help="one MLM and one referral run, headline metrics")
    demo.add_argument(
        "--n-people", type=_integer(1), metavar="N", help="population (default: the model's)"
    )
    demo.add_argument(
        "--months", type=_integer(1), default=120, metavar="M", help="months (default: 120)"
    )
    demo.add_argument(
        "--seed", type=_integer(0), default=1, metavar="S", help="rng seed (default: 1)"
    )
    demo.set_defaults(handler=_demo)

    report = commands.add_parser(
        "report",
        help="report.md and report.html with charts for a results folder "
        "(claims suites: the claims' verdicts)",
    )
    report.add_argument("results", type=Path, help="a results folder or suite folder")
    report.add_argument(
        "--format",
        choices=("png", "svg"),
        default="png",
        help="chart format embedded in the report (default: png)",
    )
    report.add_argument(
        "--resamples",
        type=_integer(99),
        default=9999,
        metavar="N",
        help="bootstrap resamples per confidence interval (default: 9999)",
    )
    report.set_defaults(handler=_report)

    chart = commands.add_parser("charts", help="draw the charts of a results folder")
    chart.add_argument("results", type=Path, help="a results folder or suite folder")
    chart.add_argument(
        "--format",
        choices=CHART_FORMATS,
        action="append",
        help="file format; repeat for several (default: png)",
    )
    chart.set_defaults(handler=_charts)

    verify = commands.add_parser(
        "verify", help="check a results folder's files against its manifest (checksums, rows)"
    )
    verify.add_argument("results", type=Path, help="a results folder or suite folder")
    verify.set_defaults(handler=_verify)

    repair = commands.add_parser(
        "repair", help="rebuild a results folder's manifest from its verified run files"
    )
    repair.add_argument("results", type=Path, help="a results folder or suite folder")
    repair.add_argument(
        "--config", metavar="FILE", help="the folder's config, when its manifest is unreadable"
    )
    repair.set_defaults(handler=_repair)

    app = commands.add_parser("app", help="the interactive app in the browser (Solara, offline)")
    app.add_argument("--host", default=DEFAULT_HOST, help=f"interface (default: {DEFAULT_HOST})")
    app.add_argument(
        "--port",
        type=_integer(1),
        default=DEFAULT_PORT,
        metavar="PORT",
        help=f"port (default: {DEFAULT_PORT})",
    )
    app.set_defaults(handler=_app)
    return parser


def _max_runs(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--max-runs",
        type=_integer(1),
        default=MAX_RUNS,
        metavar="N",
        help=f"refuse experiments of more runs (default: {MAX_RUNS:,})",
    )


def _version() -> str:
    try:
        return version("downline")
    except PackageNotFoundError:
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `downline` console script.

    Args:
        argv: the arguments (default: `sys.argv[1:]`).

    Returns:
        The exit code (see `EXIT_CODES`).
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(argv)
    except UsageError as err:
        return _fail([str(err)])
    except SystemExit as done:  # --help and --version
        return done.code if isinstance(done.code, int) else OK
    with _sigterm_as_interrupt():
        try:
            return args.handler(args)
        except KeyboardInterrupt:
            out = getattr(args, "out_dir", None)
            where = f" -> {out}" if out is not None else ""
            print(f"interrupted: rerun the same command to resume{where}", file=sys.stderr)
            return INTERRUPTED
        except Exception as err:  # every error is one line; --debug shows where it came from
            if args.debug:
                traceback.print_exc()
            return _fail(_lines(err), _exit_code(err))


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Handle SIGTERM like Ctrl-C while a command runs (signals need the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _lines(err: Exception) -> list[str]:
    """The error as lines on stderr: one per problem, never a traceback."""
    if isinstance(err, ConfigError):
        return err.errors
    if isinstance(err, OSError) and err.strerror:
        where = f"{err.filename}: " if err.filename else ""
        return [f"{where}{err.strerror}"]
    if isinstance(err, ImportError):
        return [f"cannot import the model: {err}"]
    text = str(err).strip() or type(err).__name__
    if not type(err).__module__.startswith("experiments."):  # ours name the problem already
        text = f"{type(err).__name__}: {text}"
    return [line for line in text.splitlines() if line.strip()][:1]


def _exit_code(err: Exception) -> int:
    from experiments.claims.assess import IncompleteResults

    if isinstance(err, ProblemsFound):
        return RUNS_FAILED
    bad_input = (UsageError, ConfigError, StoreError, NotAResultsFolder, IncompleteResults)
    if isinstance(err, bad_input):
        return USAGE_ERROR
    return ENVIRONMENT_ERROR


def _fail(lines: list[str], code: int = USAGE_ERROR) -> int:
    for line in lines:
        print(f"error: {line}", file=sys.stderr)
    return code


def _load(config: str, max_runs: int | None) -> tuple[Path, ExperimentConfig | Suite]:
    path = find_config(config)
    if is_suite(path):
        return path, load_suite(path, max_runs)
    return path, load_config(path, max_runs)


def _run(args: argparse.Namespace) -> int:
    path, target = _load(args.config, args.max_runs)
    out = args.out if args.out is not None else default_output(target.name)
    args.out_dir = out
    options = {
        "workers": args.workers,
        "scheduler": args.scheduler,
        "run_timeout": args.run_timeout,
        "force": args.force,
        "quiet": args.quiet,
        "config_file": path,
    }
    if isinstance(target, Suite):
        summaries = run_suite(target, out, **options)
    else:
        summaries = [run_experiment(target, out, **options)]
    failures = [failure for summary in summaries for failure in summary.failures]
    for summary in summaries:
        print(summary.line())
    for run_id, error in failures[:MAX_LISTED_FAILURES]:
        print(f"failed {run_id}: {error.splitlines()[0] if error else ''}", file=sys.stderr)
    if len(failures) > MAX_LISTED_FAILURES:
        more = len(failures) - MAX_LISTED_FAILURES
        print(f"... and {more} more failures (see the manifests in {out})", file=sys.stderr)
    return RUNS_FAILED if failures else OK


def _calibrate(args: argparse.Namespace) -> int:
    from experiments.calibrate.search import run_calibration
    from experiments.calibrate.settings import load_calibration
    from experiments.present.calibration import write_report

    path = find_config(args.config)
    cfg, settings = load_calibration(path)
    out = args.out if args.out is not None else default_output(cfg.name)
    args.out_dir = out
    options = {
        "workers": args.workers,
        "scheduler": args.scheduler,
        "force": args.force,
        "quiet": args.quiet,
        "config_file": path,
    }
    try:
        calibration = run_calibration(cfg, settings, out, **options)
    except ValueError as err:  # a stage with failed runs
        return _fail([str(err)], RUNS_FAILED)
    report = write_report(calibration, cfg)
    table = calibration.confirmation
    print(f"calibrate: {int(table['in_band'].sum())} of {len(table)} targets in band -> {report}")
    return RUNS_FAILED if calibration.failures else OK


def _check(args: argparse.Namespace) -> int:
    from experiments.calibrate.settings import is_calibration, load_calibration

    path = find_config(args.config)
    if is_calibration(path):
        cfg, settings = load_calibration(path)
        print(
            f"ok: calibration: then {settings.refine_batches} batches of "
            f"{settings.batch_size} points and a confirmation of {settings.confirm} replications"
        )
        target: ExperimentConfig | Suite = cfg
    else:
        _, target = _load(args.config, args.max_runs)
    parts = target.parts if isinstance(target, Suite) else {"": target}
    if param_schema() is None:
        print("warning: model parameters not checked: the model is not importable", file=sys.stderr)
    total = 0
    for part, cfg in parts.items():
        scenarios, points = len(cfg.scenario_names), design_size(cfg.design)
        reps = cfg.replications.n
        total += scenarios * points * reps
        print(
            f"ok: {f'{part}: ' if part else ''}{scenarios * points * reps} runs "
            f"({scenarios} scenarios x {points} points x {reps} replications)"
        )
    if "" not in parts:
        print(f"ok: {total} runs in {len(parts)} parts")
    return OK


def _plans(args: argparse.Namespace) -> int:
    names = plan_names()
    if not names:
        raise ImportError("no plans: the model is not importable")
    for name in names:
        print(f'{name}  (plan = "{name}"; its parameters go in plan_params)')
        for param, info in (plan_parameters(name) or {}).items():
            where = f"  range {info['range']}" if info["range"] else ""
            about = f"  {info['description']}" if info["description"] else ""
            print(f"  {param} = {info['default']!r}{where}{about}")
    return OK


def _demo(args: argparse.Namespace) -> int:
    from experiments.present.demo import format_table, run_demo

    try:
        metrics = run_demo(args.n_people, args.months, args.seed)
    except ValueError as err:
        return _fail([f"demo: {line}" for line in str(err).splitlines()])
    print(format_table(metrics))
    return OK


def _is_claims_suite(root: Path) -> bool:
    from experiments.claims.assess import REQUIRED_PARTS

    if not (root / SUITE_MANIFEST).is_file():
        return False
    parts = {p.get("name") for p in read_suite_manifest(root).get("parts", [])}
    return set(REQUIRED_PARTS) <= parts


def _report(args: argparse.Namespace) -> int:
    from experiments.claims.assess import part_folders
    from experiments.present.sensitivity import build_sensitivity_report, is_sensitivity_folder

    _folders(args.results)
    if is_sensitivity_folder(args.results):
        files = build_sensitivity_report(args.results, formats=(args.format,))
        print(f"report: {files[0]}, {files[-1]}")
        return OK
    if _is_claims_suite(args.results):
        from experiments.present.report import build_report

        for part, folder in part_folders(args.results).items():
            failed = read_manifest(folder).get("counts", {}).get("failed", 0)
            if failed:
                print(
                    f"warning: part {part}: {failed} runs failed; the verdicts use the "
                    "stored runs only (rerun the suite to retry them)",
                    file=sys.stderr,
                )
        print(f"report: analysing {args.results} ...", file=sys.stderr)
        files = build_report(args.results, formats=(args.format,), n_resamples=args.resamples)
    else:
        from experiments.present.summary import build_summary_report

        print(f"report: analysing {args.results} ...", file=sys.stderr)
        files = build_summary_report(
            args.results, formats=(args.format,), n_resamples=args.resamples
        )
    print(f"report: {files[0]}, {files[1]}")
    return OK


def _charts(args: argparse.Namespace) -> int:
    formats = tuple(dict.fromkeys(args.format or ["png"]))
    _folders(args.results)
    if _is_claims_suite(args.results):
        from experiments.present.chartset import redraw_charts

        files = redraw_charts(args.results, formats)
    else:
        from experiments.present.summary import draw_summary_charts

        files = draw_summary_charts(args.results, formats)
    count = sum(len(paths) for paths in files.values())
    print(f"charts: {count} files in {args.results / 'charts'}")
    return OK


def _folders(root: Path) -> dict[str, Path]:
    """The results folders of a results folder (itself) or of a suite folder (its parts)."""
    if (root / SUITE_MANIFEST).is_file():
        parts = read_suite_manifest(root).get("parts", [])
        return {p["name"]: root / p["folder"] for p in parts}
    if not (root / MANIFEST).is_file() and not (root / TABLE_DIRS["metrics"]).is_dir():
        raise NotAResultsFolder(f"{root}: not a downline results or suite folder")
    return {"": root}


def _verify(args: argparse.Namespace) -> int:
    problems = 0
    for folder in _folders(args.results).values():
        check = verify_folder(folder, read_manifest(folder))
        for run_id, problem in check.bad:
            print(f"error: {folder}: run {run_id}: {problem}", file=sys.stderr)
        for path in check.stray:
            print(f"error: {folder}: {path}: not listed in the manifest (stray)", file=sys.stderr)
        problems += len(check.bad) + len(check.stray)
        legacy = f", {len(check.unrecorded)} without checksums" if check.unrecorded else ""
        print(
            f"{'ok' if check.clean else 'PROBLEMS'}: {folder}: {check.ok} runs verified"
            f"{legacy}, {len(check.bad)} missing or corrupt, {len(check.stray)} stray, "
            f"{check.pending} not stored"
        )
    if problems:
        raise ProblemsFound(
            f"{args.results}: {problems} problems; `downline repair {args.results}` rebuilds "
            "the manifest from the intact files, then rerun the config to fill the gaps"
        )
    return OK


def _repair(args: argparse.Namespace) -> int:
    cfg = None
    if args.config is not None:
        _, loaded = _load(args.config, None)
        if isinstance(loaded, Suite):
            raise UsageError("repair --config: give the part's config, not a suite")
        cfg = loaded
    for folder in _folders(args.results).values():
        store = repair_folder(folder, cfg)
        counts = store.counts()
        print(
            f"repaired: {folder}: {counts['ok']} runs intact, {counts['pending']} to run again, "
            f"{counts['failed']} failed"
        )
    return OK


def _app(args: argparse.Namespace) -> int:
    missing = missing_app_packages()
    if missing:
        return _fail(
            [f"app: needs {', '.join(missing)}: pip install -e '.[app]'"], ENVIRONMENT_ERROR
        )
    return serve(args.host, args.port)


if __name__ == "__main__":
    sys.exit(main())
