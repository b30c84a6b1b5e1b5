"""Participant agents: Mesa handles onto the population arrays.

The monthly rules run vectorised over `model.population`; a `Participant`
holds only its person index and reads its state from those arrays, so it is
always current and costs nothing to keep. People who never join are not
agents.
"""

from __future__ import annotations

import itertools
import weakref
from typing import TYPE_CHECKING, Any

import mesa

if TYPE_CHECKING:
    from model.model import MarketModel


class _IdCounters(weakref.WeakKeyDictionary):
    """Per-model unique-id counters that do not keep finished models alive.

    Mesa 3.3 numbers agents from a class-level `defaultdict` keyed by model,
    which holds every model ever built: a worker running thousands of models
    grows by megabytes a run. Looked up through the agent class, this weak
    mapping takes its place (Mesa 3.5 no longer has the attribute).
    """

    def __getitem__(self, model: Any) -> itertools.count:
        try:
            return super().__getitem__(model)
        except KeyError:
            counter = itertools.count(1)
            self[model] = counter
            return counter


class Participant(mesa.Agent):
    """Someone who joined as a distributor (MLM) or affiliate (referral).

    Args:
        model: the model the person lives in.
        person: index of the person in the population arrays.
    """

    _ids = _IdCounters()

    def __init__(self, model: MarketModel, person: int) -> None:
        super().__init__(model)
        self.person = person

    @property
    def active(self) -> bool:
        """Has joined and not quit."""
        return bool(self.model.population.active[self.person])

    @property
    def sponsor(self) -> int | None:
        """Person index of the recruiting sponsor (None: the company)."""
        s = int(self.model.population.sponsor[self.person])
        return s if s >= 0 else None

    @property
    def join_month(self) -> int:
        """Month joined (0 for founders)."""
        return int(self.model.population.join_month[self.person])

    @property
    def depth(self) -> int:
        """Generation in the sponsor tree (founders 1)."""
        return int(self.model.population.depth[self.person])

    @property
    def net_profit(self) -> float:
        """Business net profit so far ($)."""
        return float(self.model.ledger.net_profit_of(self.person))
