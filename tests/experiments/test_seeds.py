"""Seeds: golden values, common random numbers across scenarios, independence from order."""

from __future__ import annotations

import random

import pytest

from experiments.spec.loader import parse_config
from experiments.spec.runspec import expand_runs
from experiments.spec.seeds import derived_seed, run_seed

GOLDEN = {
    (20261122, 0, 0): 7651911530580848203,
    (20261122, 0, 1): 6360885858501080218,
    (20261122, 1, 0): 5630860550863490847,
    (20261122, 3, 7): 2204962165338712801,
    (0, 0, 0): 2635072618980576772,
}


@pytest.mark.parametrize(("key", "seed"), GOLDEN.items())
def test_derived_seeds_are_stable(key, seed):
    assert derived_seed(*key) == seed


def test_derived_seeds_fit_signed_64_bits_and_differ():
    seeds = {derived_seed(1, p, r) for p in range(20) for r in range(20)}
    assert len(seeds) == 400
    assert all(0 <= s < 2**63 for s in seeds)


def test_seeds_do_not_depend_on_the_order_they_are_drawn_in():
    keys = [(p, r) for p in range(10) for r in range(10)]
    forward = {k: derived_seed(5, *k) for k in keys}
    shuffled = keys[:]
    random.Random(3).shuffle(shuffled)
    assert {k: derived_seed(5, *k) for k in shuffled} == forward


def test_explicit_seeds_are_used_as_given_at_every_point():
    assert [run_seed(0, [11, 22, 33], p, r) for p in (0, 4) for r in range(3)] == [11, 22, 33] * 2


def _config(scenarios, reps=None):
    return parse_config(
        {
            "name": "t",
            "scenarios": {name: {} for name in scenarios},
            "design": {"kind": "grid", "parameters": {"growth": {"values": [0.1, 0.2, 0.3]}}},
            "replications": reps or {"count": 4, "base_seed": 99},
        }
    )


def test_scenarios_share_seeds_at_each_point_and_replication(fake_model):
    runs = expand_runs(_config(["a", "b", "c"]))
    by_key = {}
    for run in runs:
        by_key.setdefault((run.point, run.replication), set()).add(run.seed)
    assert all(len(seeds) == 1 for seeds in by_key.values())
    assert len({seeds.pop() for seeds in by_key.values()}) == 12


def test_seed_of_a_run_does_not_depend_on_the_other_scenarios(fake_model):
    few = {(r.scenario, r.point, r.replication): r.seed for r in expand_runs(_config(["b"]))}
    many = {(r.scenario, r.point, r.replication): r.seed for r in expand_runs(_config(["c", "b"]))}
    assert all(many[key] == seed for key, seed in few.items())
    assert few[("b", 2, 3)] == derived_seed(99, 2, 3)


def test_explicit_seed_list_in_a_config(fake_model):
    runs = expand_runs(_config(["a"], {"seeds": [5, 6]}))
    assert [(r.point, r.replication, r.seed) for r in runs] == [
        (p, r, s) for p in range(3) for r, s in enumerate([5, 6])
    ]
