"""Docking the fast model against the reference model: samples and equivalence tests.

Docking (Axtell, Axelrod, Epstein & Cohen 1996) is distributional: each
implementation is run over its own seeds, and each statistic's mean is
tested for equivalence with two one-sided Welch t-tests (TOST, Schuirmann
1987) against a margin stated in advance, with Holm's (1979) correction over
all the statistics of all plans. The margins and their justification are in
docs/ODD.md ("The reference model").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from model import MarketModel, available_plans
from model.reference import ReferenceModel

PEOPLE, MONTHS, SEEDS = 1_000, 60, 50
FAST_SEEDS = range(0, SEEDS)
REFERENCE_SEEDS = range(100_000, 100_000 + SEEDS)  # independent of the fast model's seeds
CHECKPOINTS = (12, 24, 36, 48, 60)
"""Months at which the number of participants is compared."""
STATISTICS = (
    "success_rate",
    "loss_rate",
    "payout_ratio",
    "gini_net",
    "top1_share",
    "peak_participants",
    *(f"participants_m{month}" for month in CHECKPOINTS),
)
MARGIN_SD = 1.5
"""Equivalence margin: 1.5 standard deviations of the fast model's seed-to-seed spread."""
ALPHA = 0.05
"""Family-wise error rate over every statistic of every plan (Holm)."""
FAMILY = len(available_plans()) * len(STATISTICS)
"""Tests in the family: every statistic of every registered plan."""


def run_statistics(model: MarketModel | ReferenceModel) -> dict[str, float]:
    """The docked statistics of one finished run."""
    found = model.run_metrics()
    participants = model.monthly_table()["participants"]
    row = {name: float(found[name]) for name in STATISTICS if name in found}
    row.update({f"participants_m{m}": float(participants.loc[m]) for m in CHECKPOINTS})
    return row


def sample(model_class: type, seeds: range, plan: str, **params: Any) -> pd.DataFrame:
    """The statistics of one run per seed (rows) at the docking size."""
    rows = []
    for seed in seeds:
        model = model_class(rng=seed, n_people=PEOPLE, plan=plan, **params)
        model.run(MONTHS)
        rows.append(run_statistics(model))
    return pd.DataFrame(rows, columns=STATISTICS)


class Samples:
    """Each implementation's docking sample per plan, simulated once and kept."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str], pd.DataFrame] = {}

    def fast(self, plan: str) -> pd.DataFrame:
        """The fast model's sample for `plan`."""
        if ("fast", plan) not in self._kept:
            self._kept["fast", plan] = sample(MarketModel, FAST_SEEDS, plan)
        return self._kept["fast", plan]

    def reference(self, plan: str) -> pd.DataFrame:
        """The reference model's sample for `plan`."""
        if ("reference", plan) not in self._kept:
            self._kept["reference", plan] = sample(ReferenceModel, REFERENCE_SEEDS, plan)
        return self._kept["reference", plan]


@dataclass(frozen=True)
class Comparison:
    """One statistic's equivalence test.

    Attributes:
        statistic: its name.
        fast_mean, reference_mean: the two sample means.
        margin: the equivalence margin (absolute, in the statistic's units).
        p_value: TOST p-value (the larger of the two one-sided p-values).
    """

    statistic: str
    fast_mean: float
    reference_mean: float
    margin: float
    p_value: float


def tost_p_value(a: np.ndarray, b: np.ndarray, margin: float) -> float:
    """TOST p-value for |mean(a) - mean(b)| < margin (two one-sided Welch t-tests)."""
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    if margin <= 0:
        return 0.0 if np.ptp(np.concatenate([a, b])) == 0 else 1.0
    above = stats.ttest_ind(a + margin, b, equal_var=False, alternative="greater").pvalue
    below = stats.ttest_ind(a - margin, b, equal_var=False, alternative="less").pvalue
    return float(max(above, below))


def compare(fast: pd.DataFrame, reference: pd.DataFrame) -> list[Comparison]:
    """Equivalence test of every statistic, margins MARGIN_SD fast-model SDs."""
    found = []
    for name in STATISTICS:
        a, b = fast[name].to_numpy(float), reference[name].to_numpy(float)
        margin = MARGIN_SD * float(np.nanstd(a, ddof=1))
        found.append(
            Comparison(
                name, float(np.nanmean(a)), float(np.nanmean(b)), margin, tost_p_value(a, b, margin)
            )
        )
    return found


def holm_equivalent(
    p_values: list[float], alpha: float = ALPHA, family: int = FAMILY
) -> list[bool]:
    """Holm's step-down decisions: True where equivalence is shown.

    `family` is the size of the whole family of tests (it may be larger than
    `p_values` when the family is tested in parts, as each plan is here); the
    part is then tested as if the rest of the family had smaller p-values,
    which is conservative.
    """
    order = np.argsort(p_values)
    shown = [False] * len(p_values)
    rest = family
    for index in order:
        if p_values[index] > alpha / rest:
            break
        shown[index] = True
        rest -= 1
    return shown


def docks(fast: pd.DataFrame, reference: pd.DataFrame) -> bool:
    """Whether every statistic of the two samples is shown equivalent."""
    return all(holm_equivalent([c.p_value for c in compare(fast, reference)]))
