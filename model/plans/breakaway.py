"""Stair-step breakaway plan: ranks by group volume, rank differentials, generation overrides."""

from __future__ import annotations

from itertools import pairwise
from typing import ClassVar

import numpy as np
from pydantic import Field, model_validator

from model.plans.base import UNLIMITED_DEPTH, CompensationPlan, Payout, PlanInput
from model.plans.registry import register_plan
from model.plans.tree import ancestors_at_levels, levels_bottom_up, nearest_marked_ancestor


@register_plan
class Breakaway(CompensationPlan):
    """Stair-step breakaway: a rank percentage on group volume minus what the legs below earn.

    Ranks are checked every month. Only qualified participants (active, PV at
    least `qualification_pv`) hold a rank; the PV of unqualified members and
    the legs below them roll up to their nearest qualified upline
    (compression). A qualified participant's group volume (GV) is its own PV,
    the PV of unqualified members rolled up to it, and the GV of every leg
    below it that has not broken away. Its rank is the highest step whose
    `rank_thresholds` GV it reaches, and it earns that step's `rank_rates`
    percentage on its own PV (personal) and the differential on each
    non-broken leg: (own rate - the leg leader's rate) x the leg's GV. A
    leg leader whose GV reaches the threshold of `breakaway_rank` breaks
    away with its group: its GV no longer counts in the upline's group, and
    instead the breakaway-rank uplines above it earn `generation_rates[k]`
    of its GV, generation k+1 being the (k+1)-th breakaway-rank upline.

    Example: thresholds 200 / 600 / 1,200 GV at 3 / 6 / 9%, breakaway at
    rank 3 (1,200 GV), one generation at 4%. A sponsors B and C, all
    qualified. B's group is 300 GV (3%); C's is 1,300 GV, so C breaks away.
    A buys 400 PV, so A's GV is 400 + 300 = 700 (6%): A earns 6% x 400 = 24
    personal and (6% - 3%) x 300 = 9 on B's leg. A earns nothing on C's
    group, since A is below breakaway rank; at 1,200 GV or more A would earn
    the first-generation 4% x 1,300 = 52 on it.

    Parameters: starter_fee [$], monthly_fee [$/month], qualification_pv
    [BV/month], rank_thresholds [GV per month, increasing], rank_rates
    (share, one per rank, non-decreasing), breakaway_rank (1-based rank
    number), generation_rates (share of a breakaway group's GV per
    generation). Defaults: $100 starter kit, 100 PV, the Amway UK steps
    200..10,000 GV at 3..21%, breakaway at 21%, three generations at 4%.
    """

    name: ClassVar[str] = "breakaway"
    family: ClassVar[str] = "stair-step breakaway"
    recruiting_reward: ClassVar[bool] = True

    starter_fee: float = Field(100.0, ge=0, allow_inf_nan=False, description="one-off fee [$]")
    qualification_pv: float = Field(
        100.0, ge=0, allow_inf_nan=False, description="personal volume needed to earn [BV/month]"
    )
    rank_thresholds: tuple[float, ...] = Field(
        (200.0, 600.0, 1200.0, 2400.0, 4000.0, 7000.0, 10000.0),
        min_length=1,
        max_length=20,
        description="group volume needed for each rank [BV/month], increasing",
    )
    rank_rates: tuple[float, ...] = Field(
        (0.03, 0.06, 0.09, 0.12, 0.15, 0.18, 0.21),
        min_length=1,
        max_length=20,
        description="percentage of each rank [share of GV], non-decreasing",
    )
    breakaway_rank: int = Field(
        7, ge=1, description="rank (1-based) at which a leg breaks away [rank number]"
    )
    generation_rates: tuple[float, ...] = Field(
        (0.04, 0.04, 0.04),
        max_length=10,
        description="override on a breakaway group's GV per generation [share]",
    )

    @model_validator(mode="after")
    def _consistent_ranks(self) -> Breakaway:
        thresholds, rates = self.rank_thresholds, self.rank_rates
        generations = self.generation_rates
        if len(thresholds) != len(rates):
            raise ValueError("rank_thresholds and rank_rates need the same length")
        if thresholds[0] <= 0 or any(b <= a for a, b in pairwise(thresholds)):
            raise ValueError(f"rank_thresholds must be positive and increasing, got {thresholds}")
        if rates[0] < 0 or any(b < a for a, b in pairwise(rates)):
            raise ValueError(f"rank_rates must be >= 0 and non-decreasing, got {rates}")
        if any(g < 0 for g in generations) or rates[-1] + sum(generations) > 1:
            raise ValueError("generation_rates must be >= 0 and top rate + their sum <= 1")
        if self.breakaway_rank > len(rates):
            raise ValueError(f"breakaway_rank must be at most {len(rates)}")
        return self

    @property
    def max_depth(self) -> int:
        """Unlimited: differentials reach as deep as the group does."""
        return UNLIMITED_DEPTH

    @property
    def outside_levels(self) -> int:
        """The upline earning the differential, and the generations above a breakaway."""
        return 1 + len(self.generation_rates)

    @property
    def max_payout_share(self) -> float:
        """Top rank rate (differentials telescope to it) plus all generation rates."""
        return float(self.rank_rates[-1] + sum(self.generation_rates))

    def rate_of(self, group_volume: np.ndarray) -> np.ndarray:
        """Rank percentage earned on a group volume (0 below the first threshold)."""
        steps = np.searchsorted(np.asarray(self.rank_thresholds), group_volume, side="right")
        return np.concatenate([[0.0], self.rank_rates])[steps]

    def pay(self, volumes: PlanInput) -> Payout:
        """Rank differentials within groups and generation overrides on breakaway groups."""
        n, pv, qualified = volumes.pv.size, volumes.pv, volumes.qualified
        nearest = nearest_marked_ancestor(volumes.upline, qualified)
        rolled = np.flatnonzero(~qualified & (pv > 0) & (nearest >= 0))
        attached = np.bincount(nearest[rolled], weights=pv[rolled], minlength=n)
        leader = np.where(qualified, nearest, -1)  # parents in the compressed tree
        group = np.where(qualified, pv, 0.0) + attached
        threshold = self.rank_thresholds[self.breakaway_rank - 1]
        broke = np.zeros(n, dtype=bool)
        for level in levels_bottom_up(leader):
            broke[level] = group[level] >= threshold
            stay = level[~broke[level]]
            np.add.at(group, leader[stay], group[stay])
        rate = np.where(qualified, self.rate_of(group), 0.0)
        legs = np.flatnonzero((leader >= 0) & ~broke)
        above = leader[legs]
        override = rate * attached
        differential = (rate[above] - rate[legs]) * group[legs]
        override += np.bincount(above, weights=differential, minlength=n)
        top_rank = qualified & (group >= threshold)
        override += self._generation_overrides(volumes.upline, top_rank, broke, group)
        return Payout(personal=rate * pv, override=override)

    def _generation_overrides(
        self, upline: np.ndarray, top_rank: np.ndarray, broke: np.ndarray, group: np.ndarray
    ) -> np.ndarray:
        """Generation k+1 (the k+1-th breakaway-rank upline) earns rates[k] of a breakaway GV."""
        n = group.size
        paid = np.zeros(n)
        groups = np.flatnonzero(broke)
        if not self.generation_rates or groups.size == 0:
            return paid
        payees = ancestors_at_levels(upline, top_rank, groups, len(self.generation_rates))
        for rate, generation in zip(self.generation_rates, payees, strict=True):
            ok = generation >= 0
            paid += np.bincount(generation[ok], weights=rate * group[groups][ok], minlength=n)
        return paid
