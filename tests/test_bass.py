"""Word of mouth alone reproduces the Bass diffusion curve on a complete graph."""

import numpy as np
import pytest

from model import MarketModel


def bass_closed_form(t_years: np.ndarray, p: float, q: float) -> np.ndarray:
    """F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}), written out here, not imported."""
    decay = np.exp(-(p + q) * t_years)
    return (1 - decay) / (1 + (q / p) * decay)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("p", "q"), [(0.005, 0.2), (0.005, 0.9), (0.05, 0.2), (0.05, 0.9), (0.03, 0.38), (0.05, 0.5)]
)
def test_mean_adoption_matches_bass_closed_form(p, q):
    n, months, reps = 2_000, 120, 24
    curves = []
    for seed in range(reps):
        m = MarketModel(
            rng=seed,
            n_people=n,
            network="complete",
            n_founders=0,
            customer_join_prob=0.0,
            discount_join_prob=0.0,
            bass_p=p,
            bass_q=q,
            affinity={"kind": "constant", "mean": 1.0},
        )
        m.run(months)
        curves.append(m.monthly_table().customers.to_numpy() / n)
    curves = np.array(curves)
    mean = curves.mean(axis=0)
    se = curves.std(axis=0, ddof=1) / np.sqrt(reps)
    expected = bass_closed_form(np.arange(1, months + 1) / 12, p, q)
    # 120 correlated monthly comparisons: a Bonferroni bound at 1% needs |z| < 3.8;
    # the floor on the SE covers the first months, when almost nobody has adopted.
    z = np.abs(mean - expected) / np.maximum(se, 1 / (n * np.sqrt(reps)))
    assert z.max() < 3.8, f"month {z.argmax() + 1}: z = {z.max():.2f}"
