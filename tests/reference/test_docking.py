"""The fast model docks with the reference model for every plan (and fails when a rule breaks)."""

from __future__ import annotations

import numpy as np
import pytest

from model import available_plans
from model.reference import pay as reference_pay
from tests.reference import docking


def report(plan: str, comparisons: list[docking.Comparison], shown: list[bool]) -> str:
    lines = [f"{plan}: statistic, fast mean, reference mean, margin, TOST p, equivalent"]
    lines += [
        f"  {c.statistic}: {c.fast_mean:.4g} {c.reference_mean:.4g} ±{c.margin:.3g}"
        f" p={c.p_value:.2g} {ok}"
        for c, ok in zip(comparisons, shown, strict=True)
    ]
    return "\n".join(lines)


@pytest.mark.slow
@pytest.mark.parametrize("plan", available_plans())
def test_fast_and_reference_models_dock(plan, samples):
    comparisons = docking.compare(samples.fast(plan), samples.reference(plan))
    shown = docking.holm_equivalent([c.p_value for c in comparisons])
    assert all(shown), report(plan, comparisons, shown)


def pay_levels_from_self(volumes, rates, holds_level, is_paid):
    """A broken level rule: the walk starts at the source, so every level is one off."""
    paid = reference_pay.Commissions()
    for source, pv in volumes.pv.items():
        level = 0
        for above in (source, *reference_pay.uplines(volumes.upline, source)):
            if above not in holds_level:
                continue
            if above in is_paid:
                paid.add(above, rates[level] * pv)
            level += 1
            if level == len(rates):
                break
    return paid


FRONT_LOADED = {"plan_params": {"rates": (0.2, 0.05, 0.05, 0.05, 0.05)}}
"""Unilevel rates with a large first level, so that a level paid one level off shows."""


@pytest.mark.slow
def test_docking_fails_when_a_level_rate_is_applied_one_level_off(monkeypatch):
    fast = docking.sample(docking.MarketModel, docking.FAST_SEEDS, "unilevel", **FRONT_LOADED)
    seeds = docking.REFERENCE_SEEDS
    intact = docking.sample(docking.ReferenceModel, seeds, "unilevel", **FRONT_LOADED)
    assert docking.docks(fast, intact)
    monkeypatch.setattr(reference_pay, "pay_levels", pay_levels_from_self)
    broken = docking.sample(docking.ReferenceModel, seeds, "unilevel", **FRONT_LOADED)
    assert not docking.docks(fast, broken)
    # not for want of power: some mean moved by more than its margin
    assert any(
        abs(c.reference_mean - c.fast_mean) > c.margin for c in docking.compare(fast, broken)
    )


def test_equivalence_needs_the_means_within_the_margin():
    rng = np.random.default_rng(3)
    a = rng.normal(0.0, 1.0, 200)
    assert docking.tost_p_value(a, rng.normal(0.0, 1.0, 200), 0.5) < 0.001
    assert docking.tost_p_value(a, rng.normal(1.0, 1.0, 200), 0.5) > 0.5
    assert docking.holm_equivalent([0.001, 0.02], alpha=0.05, family=2) == [True, True]
    assert docking.holm_equivalent([0.03, 0.04], alpha=0.05, family=2) == [False, False]
