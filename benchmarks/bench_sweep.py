"""Overhead of a sweep: scheduling, serialisation and storage against ideal parallel speed-up.

Prints one JSON object:
- `single_run_s`: median wall time of one run in this process (build the
  model, run it, collect its metrics and monthly table: what a worker does);
- `sweep_wall_s`: wall time of `run_experiment` over R runs of the same
  config on W local worker processes, writing Parquet and the manifest;
- `ideal_s` = R x single_run_s / W, and `ratio` = sweep_wall_s / ideal_s
  (target: <= 1.3);
- `mean_run_s_in_workers`: mean run time measured inside the workers, which
  separates CPU contention from the sweep's own overhead.

Usage: python benchmarks/bench_sweep.py [--runs R] [--workers W] [--people N] [--months M]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from experiments.run.execute import execute_run
from experiments.run.runner import run_experiment
from experiments.spec.loader import parse_config
from experiments.spec.runspec import expand_runs
from experiments.store.results import load_results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="runs in the sweep (default 200)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--people", type=int, default=10_000, help="n_people (default 10,000)")
    parser.add_argument("--months", type=int, default=120, help="months per run (default 120)")
    parser.add_argument("--repeats", type=int, default=3, help="single runs timed (default 3)")
    args = parser.parse_args()

    cfg = parse_config(
        {
            "name": "bench-sweep",
            "months": args.months,
            "model": {"n_people": args.people, "plan": "unilevel"},
            "replications": {"count": args.runs, "base_seed": 1},
            "outputs": {"monthly": True, "participants": False},
        }
    )
    specs = expand_runs(cfg)
    singles = []
    for spec in specs[: args.repeats]:
        start = time.perf_counter()
        result = execute_run(spec)
        singles.append(time.perf_counter() - start)
        if not result.ok:
            raise SystemExit(f"the model failed: {result.error}")
    single = statistics.median(singles)

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "sweep"
        start = time.perf_counter()
        summary = run_experiment(cfg, out, workers=args.workers, quiet=True)
        wall = time.perf_counter() - start
        runs = load_results(out).manifest["runs"].values()
        in_workers = statistics.mean(entry["elapsed_s"] for entry in runs)

    ideal = args.runs * single / args.workers
    print(
        json.dumps(
            {
                "n_people": args.people,
                "months": args.months,
                "runs": args.runs,
                "workers": args.workers,
                "single_run_s": round(single, 4),
                "sweep_wall_s": round(wall, 3),
                "ideal_s": round(ideal, 3),
                "ratio": round(wall / ideal, 3),
                "target_ratio": 1.3,
                "mean_run_s_in_workers": round(in_workers, 4),
                "failed": summary.failed,
            }
        )
    )


if __name__ == "__main__":
    main()
