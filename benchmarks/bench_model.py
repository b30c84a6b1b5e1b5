"""Speed and memory of the model, against Mesa's own Boltzmann wealth example.

Prints one JSON object. Targets (issue 2): a 10,000-person, 120-month run,
network generation included, in at most 1 s; person-months per second at
least 50x the Boltzmann example's agent-steps per second. Issue 3: every
plan's run within 2x of the unilevel run (`vs_unilevel`, wall time ratio).

Issue 14: `reference` gives, at 1,000 and 2,000 people, the wall time of
the reference model (`model.reference.ReferenceModel`, agent by agent)
against the fast model's for the unilevel plan (`fast_speedup`: reference
time over fast time).

Usage: python benchmarks/bench_model.py [--people N] [--months M] [--repeats R]
"""

from __future__ import annotations

import argparse
import inspect
import json
import platform
import time
import tracemalloc

import mesa
import numpy as np

from model import MarketModel, available_plans
from model.reference import ReferenceModel

CORE_PLANS = ("unilevel", "referral")
"""The default MLM and referral scenarios the speed targets of issue 2 apply to."""


def time_model(plan: str, people: int, months: int, repeats: int) -> dict:
    """Best-of-`repeats` wall time of build + run, and the peak traced memory of one run."""
    times = []
    for seed in range(repeats):
        start = time.perf_counter()
        MarketModel(rng=seed, n_people=people, plan=plan).run(months)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    MarketModel(rng=0, n_people=people, plan=plan).run(months)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    best = min(times)
    return {
        "wall_s": round(best, 4),
        "wall_s_median": round(float(np.median(times)), 4),
        "person_months_per_s": round(people * months / best),
        "peak_mib": round(peak / 2**20, 1),
    }


def time_reference(people: int, months: int, repeats: int, plan: str = "unilevel") -> dict:
    """Best-of-`repeats` wall times of the fast and the reference model, and their ratio."""
    best = {}
    for name, model_class in (("fast", MarketModel), ("reference", ReferenceModel)):
        times = []
        for seed in range(repeats):
            start = time.perf_counter()
            model_class(rng=seed, n_people=people, plan=plan).run(months)
            times.append(time.perf_counter() - start)
        best[name] = min(times)
    return {
        "people": people,
        "plan": plan,
        "fast_s": round(best["fast"], 4),
        "reference_s": round(best["reference"], 4),
        "fast_speedup": round(best["reference"] / best["fast"], 1),
    }


def time_boltzmann(agents: int, steps: int) -> dict:
    """Agent-steps per second of Mesa's Boltzmann wealth example (either constructor).

    Throughput over all `steps` steps of one run, as Mesa users would see it
    (steps get faster as wealth concentrates: the fastest is reported too).
    """
    from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannWealth

    if "scenario" in inspect.signature(BoltzmannWealth.__init__).parameters:
        from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario

        build = lambda: BoltzmannWealth(  # noqa: E731
            scenario=BoltzmannScenario(n=agents, width=100, height=100, rng=1)
        )
    else:
        build = lambda: BoltzmannWealth(n=agents, width=100, height=100, seed=1)  # noqa: E731
    model = build()
    step_times = []
    for _ in range(steps):
        start = time.perf_counter()
        model.step()
        step_times.append(time.perf_counter() - start)
    wall = sum(step_times)
    return {
        "agents": agents,
        "steps": steps,
        "wall_s": round(wall, 4),
        "fastest_step_s": round(min(step_times), 5),
        "agent_steps_per_s": round(agents * steps / wall),
    }


def main() -> None:
    """Run the benchmark and print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--plans", nargs="*", default=list(available_plans()), choices=available_plans()
    )
    args = parser.parse_args()
    plans = {p: time_model(p, args.people, args.months, args.repeats) for p in args.plans}
    if "unilevel" in plans:
        for result in plans.values():
            result["vs_unilevel"] = round(result["wall_s"] / plans["unilevel"]["wall_s"], 2)
    boltz = time_boltzmann(args.people, 20)
    for result in plans.values():
        result["vs_boltzmann"] = round(
            result["person_months_per_s"] / boltz["agent_steps_per_s"], 1
        )
    core = [plans[name] for name in CORE_PLANS if name in plans]
    print(
        json.dumps(
            {
                "people": args.people,
                "months": args.months,
                "plans": plans,
                "boltzmann": boltz,
                "reference": [time_reference(n, args.months, args.repeats) for n in (1_000, 2_000)],
                "targets": {
                    "core_plans": list(CORE_PLANS),
                    "wall_s_max": 1.0,
                    "vs_boltzmann_min": 50,
                    "vs_unilevel_max": 2.0,
                },
                "core_meet_targets": bool(core)
                and all(r["wall_s"] <= 1.0 and r["vs_boltzmann"] >= 50 for r in core),
                "within_2x_unilevel": all(r.get("vs_unilevel", 0) <= 2.0 for r in plans.values()),
                "mesa": mesa.__version__,
                "python": platform.python_version(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
