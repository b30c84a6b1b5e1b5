"""Wall time of a whole suite run (default `claims_small`, 33 runs), start-up of workers included.

Prints one JSON object: `suite`, `runs`, `workers`, `wall_s` (median of
`--repeats` runs of the suite into fresh temporary folders, from loading the
config to the last manifest written) and `all_s` (every repeat). Target for
claims_small: at most 25 s on 2 cores.

Usage: python benchmarks/bench_suite.py [--suite claims_small.toml] [--workers 2] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from experiments.run.suite import run_suite
from experiments.spec.suite import load_suite


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--suite", default="claims_small.toml", help="suite config")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs (default 3)")
    args = parser.parse_args()
    times, runs = [], 0
    for _ in range(args.repeats):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            suite = load_suite(args.suite)
            summaries = run_suite(suite, Path(tmp) / "suite", workers=args.workers, quiet=True)
            times.append(time.perf_counter() - start)
            runs = sum(s.total for s in summaries)
    print(
        json.dumps(
            {
                "suite": args.suite,
                "runs": runs,
                "workers": args.workers,
                "wall_s": round(statistics.median(times), 2),
                "all_s": [round(t, 2) for t in times],
            }
        )
    )


if __name__ == "__main__":
    main()
