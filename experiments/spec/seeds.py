"""Seeds of runs: a pure function of the config, the design point and the replication.

With `replications.count`, the seed of replication r at design point p is
drawn from `numpy.random.SeedSequence(base_seed, spawn_key=(p, r))`: 64 bits
of its state with the top bit cleared, so it fits a signed 64-bit column.
Runs of one point never share a stream with runs of another, and each seed
depends on nothing but (base_seed, p, r): not on worker count, backend or
the order in which runs execute.

The scenario is deliberately not part of the key: every scenario at the same
design point and replication gets the same seed, so comparisons between
scenarios use common random numbers (the same population, network and
draws wherever the scenarios do not change them), which removes much of the
noise from scenario differences.

With an explicit `replications.seeds` list, replication r uses `seeds[r]` as
given, at every design point and in every scenario.
"""

from __future__ import annotations

import numpy as np

SEED_MASK = (1 << 63) - 1


def derived_seed(base_seed: int, point: int, replication: int) -> int:
    """Seed of replication `replication` at design point `point`.

    Args:
        base_seed: the config's `replications.base_seed` (>= 0).
        point: design point index (>= 0).
        replication: replication index (>= 0).

    Returns:
        A non-negative integer below 2**63.
    """
    sequence = np.random.SeedSequence(base_seed, spawn_key=(point, replication))
    return int(sequence.generate_state(1, dtype=np.uint64)[0]) & SEED_MASK


def run_seed(base_seed: int, seeds: list[int] | None, point: int, replication: int) -> int:
    """Seed of one run: `seeds[replication]` when explicit seeds are given, else derived.

    Args:
        base_seed: root of derived seeds.
        seeds: explicit seeds per replication, or None.
        point: design point index.
        replication: replication index.

    Returns:
        The seed (the same for every scenario).
    """
    if seeds is not None:
        return seeds[replication]
    return derived_seed(base_seed, point, replication)
