"""Tests of experiments.claims.stats: coverage, effect sizes, paired tests, replications, Wilson."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as sps

from experiments.claims.stats import (
    BootstrapFallbackWarning,
    a12_magnitude,
    bootstrap_ci,
    holm,
    mann_whitney,
    paired_difference,
    replications_for_cv,
    replications_needed,
    share_true,
    vargha_delaney_a,
)


# ------------------------------------------------------------------ bootstrap
@pytest.mark.parametrize("method", ["BCa", "percentile"])
def test_bootstrap_ci_coverage_of_known_mean(method):
    """Over 400 normal samples the 95% CI covers the true mean 95% of the time.

    Tolerance: 3 standard errors of a proportion at 400 trials (±0.033). The
    bootstrap intervals are known to be slightly narrow at n = 30 (coverage
    about 0.93-0.94), well inside the tolerance; a broken interval (e.g. a
    standard-error-sized one, coverage 0.68) fails.
    """
    trials, n, true_mean, level = 400, 30, 3.0, 0.95
    data = np.random.default_rng(20261122).normal(true_mean, 2.0, size=(trials, n))
    covered = 0
    for i, sample in enumerate(data):
        _, low, high = bootstrap_ci(sample, level=level, n_resamples=999, rng=i, method=method)
        covered += low <= true_mean <= high
    tolerance = 3 * math.sqrt(level * (1 - level) / trials)
    assert abs(covered / trials - level) <= tolerance, covered / trials


def test_bootstrap_ci_is_reproducible_and_brackets_the_estimate():
    x = np.random.default_rng(5).exponential(size=25)
    first = bootstrap_ci(x, rng=11)
    assert first == bootstrap_ci(x, rng=np.random.default_rng(11))
    assert first.low < first.estimate < first.high
    assert first.estimate == pytest.approx(x.mean())


def test_bootstrap_ci_degenerate_cases():
    assert all(math.isnan(v) for v in bootstrap_ci([], rng=0))
    est, low, high = bootstrap_ci([4.0], rng=0)
    assert est == 4.0 and math.isnan(low) and math.isnan(high)
    assert bootstrap_ci([2.5] * 7, rng=0) == (2.5, 2.5, 2.5)
    # NaN are dropped: same as the sample without them
    assert bootstrap_ci([1.0, np.nan, 2.0, 4.0], rng=3) == bootstrap_ci([1.0, 2.0, 4.0], rng=3)


def test_bootstrap_ci_needs_an_explicit_rng_and_finite_values():
    with pytest.raises(TypeError):
        bootstrap_ci([1.0, 2.0], rng=None)
    with pytest.raises(ValueError, match="infinite"):
        bootstrap_ci([1.0, np.inf], rng=0)


def test_bootstrap_ci_falls_back_to_percentile_when_bca_is_undefined():
    x = np.array([0.0] * 19 + [1.0])  # medians of resamples are almost always 0
    with pytest.warns(BootstrapFallbackWarning):
        est, low, high = bootstrap_ci(x, np.median, rng=1)
    # a resample's median is nonzero only with 10 or more of the single 1 (P < 1e-8)
    assert (est, low, high) == (0.0, 0.0, 0.0)


def test_bootstrap_ci_accepts_a_statistic_without_axis():
    x = np.random.default_rng(2).normal(size=20)
    est, low, high = bootstrap_ci(x, lambda v: float(np.std(v)), n_resamples=500, rng=4)
    assert low < est < high


# -------------------------------------------------------- Vargha-Delaney A
def test_vargha_delaney_identical_and_separated_samples():
    x = [1.0, 2.0, 2.0, 5.0]
    assert vargha_delaney_a(x, x) == 0.5
    assert vargha_delaney_a([5, 6, 7], [1, 2]) == 1.0
    assert vargha_delaney_a([1, 2], [5, 6, 7]) == 0.0
    assert vargha_delaney_a([1, 1], [1, 1, 1]) == 0.5
    assert math.isnan(vargha_delaney_a([], [1.0]))


@given(
    st.lists(st.integers(-5, 5), min_size=1, max_size=30),
    st.lists(st.integers(-5, 5), min_size=1, max_size=30),
)
def test_vargha_delaney_equals_mann_whitney_u_over_nm(a, b):
    u = sps.mannwhitneyu(a, b).statistic
    assert vargha_delaney_a(a, b) == pytest.approx(u / (len(a) * len(b)), abs=1e-12)
    assert vargha_delaney_a(a, b) + vargha_delaney_a(b, a) == pytest.approx(1.0, abs=1e-12)


@given(
    st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=20),
    st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=20),
)
def test_vargha_delaney_matches_its_definition(a, b):
    greater = sum(x > y for x in a for y in b)
    ties = sum(x == y for x in a for y in b)
    expected = (greater + 0.5 * ties) / (len(a) * len(b))
    assert vargha_delaney_a(a, b) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("a12", "label"),
    [
        (0.5, "negligible"),
        (0.559, "negligible"),
        (0.56, "small"),
        (0.44, "small"),
        (0.639, "small"),
        (0.64, "medium"),
        (0.3, "medium"),
        (0.25, "large"),
        (0.71, "large"),
        (1.0, "large"),
        (0.0, "large"),
        (math.nan, "undefined"),
    ],
)
def test_a12_magnitude_labels(a12, label):
    assert a12_magnitude(a12) == label


# -------------------------------------------------------- paired difference
def test_paired_difference_finds_a_known_shift():
    rng = np.random.default_rng(7)
    common = rng.normal(10, 3, size=30)  # common random numbers: shared noise
    shift = 0.8
    a = common + shift + rng.normal(0, 0.5, size=30)
    b = common + rng.normal(0, 0.5, size=30)
    res = paired_difference(a, b, rng=1)
    assert res.n == 30
    assert res.low <= shift <= res.high
    assert res.low > 0
    assert res.p_value < 0.05
    assert res.estimate == pytest.approx(np.mean(a - b))
    assert res.mean_a - res.mean_b == pytest.approx(res.estimate)


def test_paired_difference_without_shift_is_not_significant():
    rng = np.random.default_rng(8)
    common = rng.normal(10, 3, size=30)
    a = common + rng.normal(0, 0.5, size=30)
    b = common + rng.normal(0, 0.5, size=30)
    res = paired_difference(a, b, rng=2)
    assert res.p_value > 0.05
    assert res.low <= 0 <= res.high
    assert res.magnitude in ("negligible", "small")


def test_paired_effect_size_uses_the_pairing():
    """A small shift common to every pair is large when paired, negligible unpaired."""
    common = np.linspace(0.0, 1.0, 30)  # run-to-run spread far above the shift
    shift = np.where(np.arange(30) < 27, 0.004, -0.001)  # a is higher in 27 of 30 pairs
    res = paired_difference(common + shift, common, rng=1)
    assert res.a12 == pytest.approx(27 / 30)
    assert res.magnitude == "large"
    assert vargha_delaney_a(common + shift, common) < 0.56


def test_paired_difference_all_zero_differences():
    x = [1.0, 2.0, 3.0, 3.0]
    res = paired_difference(x, x, rng=0)
    assert (res.estimate, res.low, res.high, res.p_value, res.a12) == (0.0, 0.0, 0.0, 1.0, 0.5)


def test_paired_difference_with_some_zero_differences_and_nan_pairs():
    a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, np.nan, 8.0]
    b = [1.0, 1.0, 2.0, 3.0, 4.0, 5.0, 7.0, 7.0]
    res = paired_difference(a, b, rng=0, alternative="greater")
    assert res.n == 7
    assert 0 < res.p_value < 0.05
    with pytest.raises(ValueError, match="length"):
        paired_difference([1.0, 2.0], [1.0], rng=0)


def test_paired_difference_with_no_pairs_is_undefined():
    res = paired_difference([np.nan], [1.0], rng=0)
    assert res.n == 0 and math.isnan(res.estimate) and res.magnitude == "undefined"


# ------------------------------------------------------------- Mann-Whitney
def test_mann_whitney_separated_and_identical_samples():
    res = mann_whitney([10, 11, 12, 13, 14, 15], [1, 2, 3, 4, 5, 6])
    assert res.a12 == 1.0 and res.magnitude == "large" and res.p_value < 0.01
    same = mann_whitney([3, 3, 3], [3, 3])
    assert same.p_value == 1.0 and same.a12 == 0.5
    assert math.isnan(mann_whitney([], [1]).p_value)


def test_mann_whitney_matches_scipy():
    rng = np.random.default_rng(9)
    a, b = rng.normal(0.3, 1, 40), rng.normal(0, 1, 35)
    res = mann_whitney(a, b)
    ref = sps.mannwhitneyu(a, b)
    assert res.u == ref.statistic and res.p_value == ref.pvalue
    assert res.a12 == pytest.approx(vargha_delaney_a(a, b))


# ------------------------------------------------------------ replications
def test_replications_for_known_cv():
    # the textbook n = 385 for cv 0.5 at 5% relative precision and 95%
    assert replications_for_cv(0.5, 0.05, 0.95) == 385
    assert replications_for_cv(0.2, 0.1, 0.95) == math.ceil((1.959964 * 2) ** 2)  # 16
    assert replications_for_cv(0.0) == 2
    # the t version is larger when n is small, and close to z when n is large
    assert replications_for_cv(0.2, 0.1, t=True) > replications_for_cv(0.2, 0.1)
    assert replications_for_cv(0.5, 0.05, t=True) - 385 <= 2


def test_replications_needed_from_a_pilot_with_known_cv():
    z = np.random.default_rng(3).normal(size=20)
    pilot = 100 + 30 * (z - z.mean()) / z.std(ddof=1)  # mean 100, sd 30: cv 0.3
    expected = math.ceil((sps.norm.ppf(0.975) * 0.3 / 0.05) ** 2)
    assert replications_needed(pilot, rel_precision=0.05) == expected == 139
    assert replications_needed(-pilot, rel_precision=0.05) == expected  # |mean|
    assert replications_needed([5.0, 5.0, 5.0]) == 2
    with pytest.raises(ValueError):
        replications_needed([1.0])
    with pytest.raises(ValueError, match="mean is 0"):
        replications_needed([-1.0, 1.0])


# ------------------------------------------------------------------- Wilson
def test_wilson_interval_known_values():
    share, low, high = share_true([True] * 8 + [False] * 2)
    assert share == 0.8
    assert (low, high) == pytest.approx((0.4902, 0.9433), abs=5e-5)
    # 0 of 10 and 10 of 10: one bound at the edge, the other at z^2 / (n + z^2)
    z2 = sps.norm.ppf(0.975) ** 2
    assert share_true([0] * 10) == pytest.approx((0.0, 0.0, z2 / (10 + z2)))
    assert share_true([1] * 10) == pytest.approx((1.0, 10 / (10 + z2), 1.0))
    # 50 of 100 at 95%: (0.4038, 0.5962)
    assert share_true([1, 0] * 50)[1:] == pytest.approx((0.4038, 0.5962), abs=5e-5)


def test_wilson_interval_edge_cases():
    assert all(math.isnan(v) for v in share_true([]))
    assert share_true([1.0, np.nan, 0.0]).estimate == 0.5
    with pytest.raises(ValueError):
        share_true([0.5, 1.0])


# --------------------------------------------------------------------- Holm
def test_holm_adjustment():
    adjusted = holm([0.01, 0.04, 0.03, 0.005])
    assert adjusted == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert np.isnan(holm([np.nan, 0.2])[0]) and holm([np.nan, 0.2])[1] == pytest.approx(0.2)
    assert holm([0.6, 0.7]) == pytest.approx([1.0, 1.0])


def test_no_global_random_state_is_used():
    np.random.seed(0)  # noqa: NPY002 - the legacy global state is what is checked
    before = np.random.get_state()[1].copy()  # noqa: NPY002
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bootstrap_ci(np.arange(10.0), rng=1)
        paired_difference(np.arange(10.0), np.arange(10.0)[::-1], rng=2)
    assert np.array_equal(np.random.get_state()[1], before)  # noqa: NPY002
