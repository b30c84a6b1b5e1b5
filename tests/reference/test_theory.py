"""The fast model against published analytic results, in the simple settings they assume.

- Gastwirth (1977): when every participant is equally likely to recruit the
  next entrant, the k-th of N entrants expects sum_{j=k+1}^{N} 1/(j-1)
  = H_{N-1} - H_{k-1} recruits (entrant j's recruiter is uniform over the
  j - 1 before it), about ln((N-1)/(k-1)); only about the first N/e entrants
  expect one recruit or more.
- A tree in which everyone recruits b people: its last generation holds
  b^D / (1 + b + ... + b^D), which tends to (b-1)/b of all members.
- Legara et al. (2008): under a binary plan earnings are Pareto-like and fall
  with order of entry; under unilevel they depend far less on position in
  the network (here: depth in the placement tree).

The simple setting (`SIMPLE`): a complete network, identical people who
never quit, no sales, no word of mouth, no joining from customers; every
participant pitches only the opportunity at the same rate and everyone
accepts with the same probability, so each month every participant is
equally likely to recruit each new entrant. Months are discrete (entrants of
the same month cannot recruit each other), so the recruiting rate is kept
small (LAMBDA a month) to approximate Gastwirth's one-at-a-time process.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from model import MarketModel, make_plan
from model.distributions import Distribution
from model.plans.tree import depths

LAMBDA = 0.05
"""Expected recruits per participant per month in the simple setting."""
SIMPLE = {
    "network": "complete",
    "n_founders": 1,
    "outside_upline": False,
    "hours": Distribution(kind="constant", mean=10.0),
    "skill": Distribution(kind="constant", mean=1.0),
    "propensity": Distribution(kind="constant", mean=1.0),
    "budget": Distribution(kind="constant", mean=500.0),
    "contacts_per_hour": LAMBDA / 10.0 / 0.5,
    "recruit_prob": 0.5,
    "recruit_focus": 1.0,
    "leads_per_month": 0.0,
    "training_effect": 0.0,
    "sale_prob": 0.0,
    "saturation_contacts": 1e9,
    "effort_response": 0.0,
    "bass_p": 0.0,
    "bass_q": 0.0,
    "customer_join_prob": 0.0,
    "discount_join_prob": 0.0,
    "neg_wom_reach": 0.0,
    "base_quit_prob": 0.0,
    "disappointment_weight": 0.0,
    "loss_weight": 0.0,
}


def entrants_recruits(seed: int, entrants: int) -> np.ndarray:
    """Recruits of each of the first `entrants` entrants (in order of entry) in one run."""
    model = MarketModel(rng=seed, n_people=5_000, plan="unilevel", **SIMPLE)
    while model.population.ever_joined().size < entrants:
        model.step()
    table = model.participant_table().sort_values(["join_month", "id"])  # ids are random
    first = table.iloc[:entrants]
    rank = {person: k for k, person in enumerate(first["id"])}
    recruits = np.zeros(entrants)
    for sponsor in first["sponsor"].dropna():
        recruits[rank[int(sponsor)]] += 1
    return recruits


def gastwirth_expected(entrants: int) -> np.ndarray:
    """E[recruits of the k-th entrant] = sum_{j=k+1}^{N} 1/(j-1), k = 1..N."""
    tail = np.cumsum(1.0 / np.arange(entrants - 1, 0, -1))[::-1]  # sum_{m=k}^{N-1} 1/m
    return np.append(tail, 0.0)


@pytest.mark.slow
def test_recruits_by_order_of_entry_follow_gastwirth():
    entrants, seeds = 60, 200
    runs = np.array([entrants_recruits(seed, entrants) for seed in range(seeds)])
    expected = gastwirth_expected(entrants)
    mean, se = runs.mean(axis=0), runs.std(axis=0, ddof=1) / math.sqrt(seeds)
    for k in (1, 2, 3, 5, 10, 20, 30, 45):  # 1-based order of entry
        z = (mean[k - 1] - expected[k - 1]) / se[k - 1]
        assert abs(z) < 4, (k, mean[k - 1], expected[k - 1], z)
    # only about the first N/e entrants expect to recruit anyone
    last_expecting_one = int(np.flatnonzero(expected >= 1)[-1]) + 1
    assert abs(last_expecting_one - entrants / math.e) <= 1
    cut = round(entrants / math.e)  # entrants cut - 7 .. cut - 1 expect more than one, ...
    assert mean[cut - 8 : cut - 1].mean() > 1 > mean[cut + 1 : cut + 8].mean()  # ... these fewer


@pytest.mark.parametrize("b", [2, 3, 5])
def test_the_last_generation_of_a_full_tree_holds_b_minus_1_over_b(b):
    generations = {2: 9, 3: 6, 5: 4}[b]
    sponsor = [-1]
    frontier = [0]
    for _ in range(generations):
        new = []
        for person in frontier:  # everyone in the last generation recruits b people
            for _ in range(b):
                sponsor.append(person)
                new.append(len(sponsor) - 1)
        frontier = new
    upline = make_plan("unilevel").place(np.arange(len(sponsor)), np.array(sponsor), None)
    depth = depths(upline)
    last = np.mean(depth == depth.max())
    assert last == pytest.approx((b - 1) / b, abs=1.0 / b**generations)
    # a forced matrix of width b fills the same tree by spillover when the founder recruits all
    rates = (0.01,) * generations
    matrix = make_plan("matrix", {"width": b, "depth": generations, "rates": rates})
    matrix.reset(len(sponsor))
    recruits = np.arange(1, len(sponsor))
    placed = np.full(len(sponsor), -1)
    placed[recruits] = matrix.place(recruits, np.zeros(recruits.size, dtype=int), placed)
    assert np.array_equal(np.sort(depths(placed)), np.sort(depth))


LEGARA_SEEDS = range(10, 20)
"""Fresh seeds: the thresholds below were set from a pilot on seeds 0-5 (docs/ODD.md 3.3)."""


def legara_runs(plan: str) -> list[dict[str, float]]:
    """Per run of the simple setting with >= 100 participants: position and earnings measures."""
    found = []
    for seed in LEGARA_SEEDS:
        model = MarketModel(rng=seed, n_people=3_000, plan=plan, **SIMPLE)
        model.run(100)
        table = model.participant_table().sort_values(["join_month", "id"])  # order of entry
        earned = table["commissions"].to_numpy()
        if earned.size < 100:
            continue
        placement_depth = depths(model.population.upline)[table["id"].to_numpy()]
        earners = np.sort(earned[earned > 0])[::-1]
        top = earners[: earners.size // 5]
        power_law = stats.linregress(np.log(top), np.log(np.arange(1, top.size + 1)))
        found.append(
            {
                "by_entry": stats.spearmanr(np.arange(earned.size), earned).statistic,
                "by_position": stats.spearmanr(placement_depth, earned).statistic,
                "power_law_r2": power_law.rvalue**2,
            }
        )
    return found


@pytest.mark.slow
def test_binary_earnings_are_pareto_like_and_depend_on_position_more_than_unilevel():
    """Legara et al. (2008), qualitatively, with thresholds stated in advance.

    Binary: commissions fall with order of entry (mean Spearman correlation
    below -0.5), the top fifth of earners lie on a power law (log rank on log
    commissions, median R^2 >= 0.9) and commissions fall with depth in the
    placement tree (mean Spearman below -0.45). Unilevel: they depend less on
    that position (its mean correlation with depth at least 0.15 higher).
    """
    binary, unilevel = legara_runs("binary"), legara_runs("unilevel")
    assert len(binary) >= 5 and len(unilevel) >= 5
    assert np.mean([r["by_entry"] for r in binary]) < -0.5
    assert np.median([r["power_law_r2"] for r in binary]) >= 0.9
    binary_position = np.mean([r["by_position"] for r in binary])
    assert binary_position < -0.45
    assert np.mean([r["by_position"] for r in unilevel]) > binary_position + 0.15
