"""The `downline` command line: run, check, demo, report and charts; app is reserved.

Exit codes: 0 success; 1 some runs failed (or the sweep was interrupted:
130); 2 bad arguments, a bad config or a refused results folder, in which
case nothing is written and each problem is one line on stderr.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from experiments.paths import results_path
from experiments.run.backends import BackendError
from experiments.run.runner import default_workers, run_experiment
from experiments.run.suite import run_suite
from experiments.spec.designs import design_points
from experiments.spec.loader import find_config, load_config
from experiments.spec.modelref import param_schema
from experiments.spec.schema import ConfigError, ExperimentConfig
from experiments.spec.suite import Suite, is_suite, load_suite
from experiments.store.layout import NotAResultsFolder
from experiments.store.writer import StoreError

USAGE_ERROR = 2
RUNS_FAILED = 1
INTERRUPTED = 130
MAX_LISTED_FAILURES = 20
RESERVED = {"app": "the interactive app"}
CHART_FORMATS = ("png", "svg", "pdf")
_SCHEDULER = re.compile(r"^[a-z][a-z0-9+]*://\S+$")


class UsageError(Exception):
    """A bad command-line argument (one line, naming the argument)."""


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


def _scheduler(text: str) -> str:
    if text != "local" and not _SCHEDULER.match(text):
        raise argparse.ArgumentTypeError(
            f"must be 'local' or an address like tcp://HOST:PORT, got {text!r}"
        )
    return text


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with its subcommands."""
    parser = _Parser(prog="downline", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run an experiment config into a results folder")
    run.add_argument(
        "config", help="TOML config (bare names also found in the experiments package)"
    )
    run.add_argument(
        "--out", type=Path, metavar="DIR", help="results folder (default: results/<name>)"
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
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.set_defaults(handler=_run)

    check = commands.add_parser("check", help="validate a config and count its runs")
    check.add_argument("config")
    check.set_defaults(handler=_check)

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
        "report", help="analyse a claims suite folder: verdicts, charts, report.md and report.html"
    )
    report.add_argument("results", type=Path, help="the suite's results folder (results/claims)")
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

    chart = commands.add_parser("charts", help="redraw the charts of a claims suite folder")
    chart.add_argument("results", type=Path, help="the suite's results folder (results/claims)")
    chart.add_argument(
        "--format",
        choices=CHART_FORMATS,
        action="append",
        help="file format; repeat for several (default: png)",
    )
    chart.set_defaults(handler=_charts)

    for name, what in RESERVED.items():
        reserved = commands.add_parser(name, help=f"{what} (not implemented yet)")
        reserved.add_argument("args", nargs=argparse.REMAINDER)
        reserved.set_defaults(handler=_reserved)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `downline` console script.

    Args:
        argv: the arguments (default: `sys.argv[1:]`).

    Returns:
        The exit code.
    """
    try:
        args = build_parser().parse_args(argv)
    except UsageError as err:
        return _fail([str(err)])
    return args.handler(args)


def _fail(lines: list[str]) -> int:
    for line in lines:
        print(f"error: {line}", file=sys.stderr)
    return USAGE_ERROR


def _run(args: argparse.Namespace) -> int:
    try:
        path = find_config(args.config)
        target: ExperimentConfig | Suite = load_suite(path) if is_suite(path) else load_config(path)
    except ConfigError as err:
        return _fail(err.errors)
    out = args.out if args.out is not None else results_path(target.name)
    options = {
        "workers": args.workers,
        "scheduler": args.scheduler,
        "force": args.force,
        "quiet": args.quiet,
        "config_file": path,
    }
    try:
        if isinstance(target, Suite):
            summaries = run_suite(target, out, **options)
        else:
            summaries = [run_experiment(target, out, **options)]
    except (BackendError, StoreError) as err:
        return _fail([str(err)])
    except ImportError as err:
        return _fail([f"cannot import the model: {err}"])
    except KeyboardInterrupt:
        print(f"interrupted: rerun the same command to resume -> {out}", file=sys.stderr)
        return INTERRUPTED
    failures = [failure for summary in summaries for failure in summary.failures]
    for summary in summaries:
        print(summary.line())
    for run_id, error in failures[:MAX_LISTED_FAILURES]:
        print(f"failed {run_id}: {error.splitlines()[0] if error else ''}", file=sys.stderr)
    if len(failures) > MAX_LISTED_FAILURES:
        more = len(failures) - MAX_LISTED_FAILURES
        print(f"... and {more} more failures (see the manifests in {out})", file=sys.stderr)
    return RUNS_FAILED if failures else 0


def _check(args: argparse.Namespace) -> int:
    try:
        path = find_config(args.config)
        parts = load_suite(path).parts if is_suite(path) else {"": load_config(path)}
    except ConfigError as err:
        return _fail(err.errors)
    if param_schema() is None:
        print("warning: model parameters not checked: the model is not importable", file=sys.stderr)
    total = 0
    for part, cfg in parts.items():
        scenarios, points = len(cfg.scenario_names), len(design_points(cfg.design))
        reps = cfg.replications.n
        total += scenarios * points * reps
        print(
            f"ok: {f'{part}: ' if part else ''}{scenarios * points * reps} runs "
            f"({scenarios} scenarios x {points} points x {reps} replications)"
        )
    if "" not in parts:
        print(f"ok: {total} runs in {len(parts)} parts")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from experiments.present.demo import format_table, run_demo

    try:
        metrics = run_demo(args.n_people, args.months, args.seed)
    except ImportError as err:
        return _fail([f"cannot import the model: {err}"])
    except ValueError as err:
        return _fail([f"demo: {line}" for line in str(err).splitlines()])
    print(format_table(metrics))
    return 0


def _report(args: argparse.Namespace) -> int:
    from experiments.claims.assess import IncompleteResults, part_folders
    from experiments.present.report import build_report
    from experiments.present.sensitivity import build_sensitivity_report, is_sensitivity_folder

    try:
        if is_sensitivity_folder(args.results):
            files = build_sensitivity_report(args.results, formats=(args.format,))
            print(f"report: {files[0]}, {files[-1]}")
            return 0
        part_folders(args.results)
        print(f"report: analysing {args.results} ...", file=sys.stderr)
        files = build_report(args.results, formats=(args.format,), n_resamples=args.resamples)
    except (NotAResultsFolder, IncompleteResults) as err:
        return _fail([str(err)])
    print(f"report: {files[0]}, {files[1]}")
    return 0


def _charts(args: argparse.Namespace) -> int:
    from experiments.claims.assess import IncompleteResults
    from experiments.present.chartset import redraw_charts

    try:
        files = redraw_charts(args.results, tuple(dict.fromkeys(args.format or ["png"])))
    except (NotAResultsFolder, IncompleteResults) as err:
        return _fail([str(err)])
    count = sum(len(paths) for paths in files.values())
    print(f"charts: {count} files in {args.results / 'charts'}")
    return 0


def _reserved(args: argparse.Namespace) -> int:
    print(
        f"error: downline {args.command}: {RESERVED[args.command]} is not implemented yet",
        file=sys.stderr,
    )
    return USAGE_ERROR


if __name__ == "__main__":
    sys.exit(main())
