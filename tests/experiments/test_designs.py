"""Designs: grid sizes, Latin hypercube strata, Sobol and Saltelli sizes, integer and log scales."""

from __future__ import annotations

import math

import numpy as np
import pytest

from experiments.spec.designs import design_points, design_size
from experiments.spec.schema import Design, DesignParameter


def _sampled(kind, n, seed=1, **params):
    return Design(kind=kind, n=n, seed=seed, parameters=params)


def test_none_is_one_empty_point():
    assert design_points(Design()) == [{}]


def test_points_are_the_given_points_in_order():
    design = Design(
        kind="points",
        parameters={
            "a": DesignParameter(values=[1, 2, 3]),
            "b": DesignParameter(values=["x", "y", "z"]),
        },
    )
    assert design_points(design) == [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}, {"a": 3, "b": "z"}]


def test_grid_is_the_cartesian_product_last_parameter_fastest():
    design = Design(
        kind="grid",
        parameters={
            "a": DesignParameter(values=[1, 2, 3]),
            "b": DesignParameter(values=["x", "y"]),
            "c": DesignParameter(values=[0.5, 1.5, 2.5, 3.5]),
        },
    )
    points = design_points(design)
    assert len(points) == 3 * 2 * 4
    assert points[:2] == [{"a": 1, "b": "x", "c": 0.5}, {"a": 1, "b": "x", "c": 1.5}]
    assert points[-1] == {"a": 3, "b": "y", "c": 3.5}
    assert len({tuple(p.values()) for p in points}) == 24


def test_latin_hypercube_has_one_point_per_stratum_within_range():
    n = 50
    design = _sampled(
        "lhs", n, a=DesignParameter(low=-2.0, high=3.0), b=DesignParameter(low=10.0, high=11.0)
    )
    points = design_points(design)
    for name, low, high in (("a", -2.0, 3.0), ("b", 10.0, 11.0)):
        values = np.array([p[name] for p in points])
        assert ((values >= low) & (values <= high)).all()
        strata = np.floor((values - low) / (high - low) * n).astype(int)
        assert sorted(strata) == list(range(n))


@pytest.mark.parametrize("kind", ["lhs", "sobol", "saltelli"])
def test_sampled_designs_are_reproducible_from_the_seed(kind):
    params = {"a": DesignParameter(low=0.0, high=1.0), "b": DesignParameter(low=1.0, high=9.0)}
    first = design_points(_sampled(kind, 8, seed=4, **params))
    assert design_points(_sampled(kind, 8, seed=4, **params)) == first
    assert design_points(_sampled(kind, 8, seed=5, **params)) != first


def test_sobol_points_are_within_range_and_balanced():
    points = design_points(_sampled("sobol", 64, a=DesignParameter(low=5.0, high=7.0)))
    values = np.array([p["a"] for p in points])
    assert len(values) == 64
    assert ((values >= 5.0) & (values <= 7.0)).all()
    # a scrambled Sobol' sequence of 2^m points has one point in each of 2^m strata
    assert sorted(np.floor((values - 5.0) / 2.0 * 64).astype(int)) == list(range(64))


@pytest.mark.parametrize(("second_order", "size"), [(True, 8 * (2 * 3 + 2)), (False, 8 * (3 + 2))])
def test_saltelli_sizes(second_order, size):
    pytest.importorskip("SALib")
    params = {name: DesignParameter(low=0.0, high=1.0) for name in "abc"}
    design = Design(kind="saltelli", n=8, calc_second_order=second_order, parameters=params)
    points = design_points(design)
    assert len(points) == size
    assert all(0.0 <= p[name] <= 1.0 for p in points for name in "abc")


@pytest.mark.parametrize(
    ("kind", "size"),
    [("lhs", 8), ("sobol", 8), ("saltelli", 8 * (3 + 2)), ("morris", 8 * (3 + 1))],
)
def test_design_size_counts_the_points_without_making_them(kind, size):
    """Saltelli makes n (d + 2) points without second order; Morris n (d + 1)."""
    pytest.importorskip("SALib")
    params = {name: DesignParameter(low=0.0, high=1.0) for name in "abc"}
    extra = {"calc_second_order": False} if kind == "saltelli" else {}
    design = Design(kind=kind, n=8, seed=3, parameters=params, **extra)
    assert design_size(design) == size
    assert len(design_points(design)) == size


def test_integer_parameters_cover_every_integer_equally():
    design = _sampled("lhs", 100, k=DesignParameter(low=1.0, high=4.0, integer=True))
    values = [p["k"] for p in design_points(design)]
    assert all(type(v) is int for v in values)
    assert sorted(set(values)) == [1, 2, 3, 4]
    assert [values.count(k) for k in (1, 2, 3, 4)] == [25, 25, 25, 25]


def test_log_parameters_are_uniform_in_log_space():
    n = 40
    design = _sampled("lhs", n, x=DesignParameter(low=1.0, high=10_000.0, log=True))
    values = np.array([p["x"] for p in design_points(design)])
    assert ((values >= 1.0) & (values <= 10_000.0)).all()
    strata = np.floor(np.log10(values) / 4 * n).astype(int)
    assert sorted(strata) == list(range(n))


def test_integer_log_parameters_stay_in_range():
    design = _sampled("sobol", 256, k=DesignParameter(low=1.0, high=1000.0, integer=True, log=True))
    values = np.array([p["k"] for p in design_points(design)])
    assert values.min() >= 1 and values.max() <= 1000
    assert values.dtype.kind == "i"
    # log scale: about a third of the points below 10 (log10 range 0..3)
    assert math.isclose((values < 10).mean(), 1 / 3, abs_tol=0.05)
