"""Speed of the app: one step with every chart redrawn, and the "what would happen to me" panel.

Prints one JSON object. Targets (issue 13): one step of a 10,000-person model
with every chart redrawn in under 1 s, and the what-if answer in under 10 s,
on 2 cores.

The step is timed as a user sees it: the page is rendered in-process with
solara (as the tests do), and each click on Mesa's Step button steps the
runs and redraws every chart (PNG encoding included). It is timed with one
plan and in compare mode (two plans), after a warm-up of `--warmup` months.
Wall time and this process's CPU time are both reported: on a machine shared
with other jobs the wall time includes waiting for a core, the CPU time does
not (on an idle machine the two agree, the work being single-threaded).

Usage: python benchmarks/bench_app.py [--people N] [--steps S] [--warmup M] [--replications R]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import time
import warnings

import ipyvuetify as v
import numpy as np
import solara

from experiments.present.app import Page
from experiments.present.whatif import Person, what_if


@solara.component
def _App():
    with solara.AppLayout():
        Page()


def _type(rc, label: str, text: str) -> None:
    field = rc.find(v.TextField, label=label).widget
    field.v_model = text
    field.fire_event("keyup.enter")


def time_steps(people: int, steps: int, warmup: int, compare: str | None) -> dict:
    """Seconds per click on Step (every chart redrawn) after `warmup` months."""
    with contextlib.redirect_stdout(io.StringIO()):  # solara echoes the app bar off a server
        return _time_steps(people, steps, warmup, compare)


def _time_steps(people: int, steps: int, warmup: int, compare: str | None) -> dict:
    _, rc = solara.render(_App(), handle_error=False)
    _type(rc, "n people", str(people))
    if compare is not None:
        rc.find(v.Select, label="compare with").widget.v_model = compare
    step = rc.find(v.Btn, children=["Step"]).widget
    for _ in range(warmup):
        step.click()
    wall, cpu = [], []
    for _ in range(steps):
        start, start_cpu = time.perf_counter(), time.process_time()
        step.click()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    rc.close()  # Mesa's redraw signal is global here: a page left open would redraw too
    return {
        "median_s": round(float(np.median(wall)), 3),
        "max_s": round(max(wall), 3),
        "median_cpu_s": round(float(np.median(cpu)), 3),
        "months": warmup + steps,
    }


def time_what_if(replications: int) -> dict:
    """Seconds for the what-if answer under unilevel and referral."""
    person = Person(hours=10, budget=150, ties=20, join_month=12)
    start, start_cpu = time.perf_counter(), time.process_time()
    answer = what_if(person, "unilevel", replications=replications)
    return {
        "wall_s": round(time.perf_counter() - start, 2),
        "cpu_s": round(time.process_time() - start_cpu, 2),
        "replications": replications,
        "people": answer.n_people,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=60)
    parser.add_argument("--replications", type=int, default=20)
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # solara's hook check on Mesa's ComponentsView
    one = time_steps(args.people, args.steps, args.warmup, None)
    two = time_steps(args.people, args.steps, args.warmup, "referral")
    result = {
        "people": args.people,
        "step_with_charts": one,
        "step_with_charts_compare": two,
        "what_if": time_what_if(args.replications),
        "targets": {"step_s": 1.0, "what_if_s": 10.0},
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    result["load_average"] = os.getloadavg()[0]
    result["meets_targets"] = (
        max(one["median_s"], two["median_s"]) < 1.0 and result["what_if"]["wall_s"] < 10.0
    )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
