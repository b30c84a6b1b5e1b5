"""The compensation-plan interface shared by every plan.

A plan is a small pydantic model: its parameters are validated, frozen
fields (so a plan round-trips through a TOML table), its class-level
metadata says what family it stands for and how recruits are placed, and
`pay` turns one month's volumes into commissions, vectorised over people.
Plans that need memory between months (binary carry-over, matrix positions)
keep it in private attributes reset by `reset`.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from model.plans.registry import plan_class

Structure = Literal["tree", "binary", "matrix"]
VolumeBasis = Literal["pv", "customer_sales"]
UNLIMITED_DEPTH = 2**31 - 1
"""`max_depth` of plans that pay on volume at any depth (binary legs, stair-step groups)."""


@dataclass(frozen=True)
class PlanInput:
    """One month's volumes and standing, one entry per person.

    Attributes:
        upline: placement parent of each person (-1: the company, or not placed).
        active: participant who has not quit.
        qualified: active and met the personal-volume minimum this month.
        pv: personal business volume bought this month (wholesale dollars).
        customer_sales: retail dollars bought this month by the person's own
            customers (used by plans that pay on customer purchases).
        month: the month being paid (1-based).
    """

    upline: np.ndarray
    active: np.ndarray
    qualified: np.ndarray
    pv: np.ndarray
    customer_sales: np.ndarray
    month: int


@dataclass(frozen=True)
class Payout:
    """Commissions for one month, split by what they were paid on.

    Attributes:
        personal: paid on the person's own sales or own customers.
        override: paid on other participants' volume (downline overrides).
    """

    personal: np.ndarray
    override: np.ndarray

    @property
    def total(self) -> np.ndarray:
        """Personal plus override commissions per person."""
        return self.personal + self.override

    def capped(self, limit: float) -> Payout:
        """Scale both parts down pro rata so that the total is at most `limit` (>= 0).

        This is a company-wide payout ceiling: when a month's commissions would
        exceed it, every commission is cut by the same factor.
        """
        total = float(self.total.sum())
        if total <= limit:
            return self
        factor = limit / total
        return Payout(personal=self.personal * factor, override=self.override * factor)


def check_level_rates(rates: tuple[float, ...]) -> tuple[float, ...]:
    """Validate per-level commission rates: each in [0, 1], their exact sum <= 1.

    Raises:
        ValueError: naming the rule and the rates.
    """
    if any(not 0 <= r <= 1 for r in rates) or math.fsum(rates) > 1:
        raise ValueError(f"each rate must be in [0, 1] and their sum <= 1, got {rates}")
    return rates


class CompensationPlan(BaseModel, ABC):
    """Base class of all compensation plans.

    Class attributes:
        name: registry name (also the TOML `name`).
        family: the real-world plan family it stands for.
        structure: how recruits are placed (tree, binary, matrix).
        recruiting_reward: whether recruiting someone can earn money.
        resale: participants buy at wholesale and resell at retail (True), or
            customers buy from the company and the referrer is paid (False).
        volume_basis: the volume `max_payout_share` is a share of.
        stateless_pay: `pay` keeps no state between calls, so it can be asked
            what it would pay (`potential_pay`) without changing the run.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", ser_json_inf_nan="constants")

    name: ClassVar[str]
    family: ClassVar[str]
    structure: ClassVar[Structure] = "tree"
    recruiting_reward: ClassVar[bool]
    resale: ClassVar[bool] = True
    volume_basis: ClassVar[VolumeBasis] = "pv"
    stateless_pay: ClassVar[bool] = True

    starter_fee: float = Field(
        0.0, ge=0, allow_inf_nan=False, description="one-off joining fee [$]"
    )
    monthly_fee: float = Field(0.0, ge=0, allow_inf_nan=False, description="monthly fee [$/month]")
    qualification_pv: float = Field(
        0.0, ge=0, allow_inf_nan=False, description="personal volume needed to earn [BV/month]"
    )

    @property
    @abstractmethod
    def max_depth(self) -> int:
        """Deepest level below a person that can pay them (0: own sales only).

        `UNLIMITED_DEPTH` when volume at any depth can pay (binary, breakaway).
        """

    @property
    def outside_levels(self) -> int:
        """Uplines above a market's founders that the plan can pay on the market's volume.

        `max_depth` for plans that pay a fixed number of levels; plans that pay
        at unlimited depth override it with the number of uplines their rules
        can reach above a group (1 by default: the direct upline).
        """
        return self.max_depth if self.max_depth < UNLIMITED_DEPTH else 1

    @property
    @abstractmethod
    def max_payout_share(self) -> float:
        """Upper bound of total commissions as a share of the month's `volume_basis` total."""

    @abstractmethod
    def pay(self, volumes: PlanInput) -> Payout:
        """Commissions for one month.

        Args:
            volumes: the month's volumes and standing.

        Returns:
            Personal and override commissions per person (non-negative).
        """

    def potential_pay(self, volumes: PlanInput) -> float:
        """What the plan would pay this month if every active participant qualified.

        The gap between this and what `pay` pays is breakage: commissions the
        plan's rates would pay that go unpaid because an upline did not meet
        the minimum. NaN for plans whose pay has state between months (their
        counterfactual would need a second copy of that state).
        """
        if not self.stateless_pay:
            return math.nan
        return float(self.pay(replace(volumes, qualified=volumes.active)).total.sum())

    def reset(self, n_people: int) -> None:
        """Clear per-run state before a new run over `n_people` people.

        Plans with state between calls (positions, carry-over) size their
        private arrays here; `place` and `pay` then expect `n_people` people.
        """

    def place(self, recruits: np.ndarray, sponsors: np.ndarray, upline: np.ndarray) -> np.ndarray:
        """Placement parents for new recruits, in the order given.

        Args:
            recruits: person ids joining this month.
            sponsors: their recruiting sponsors (-1: the company).
            upline: current placement parents of everyone (read only).

        Returns:
            The placement parent of each recruit. Tree plans place under the sponsor;
            plans with positions (binary, matrix) place each recruit in turn, so a
            recruit placed earlier in the batch can receive a later one, and record
            the positions in their private state.
        """
        return sponsors.copy()

    def __eq__(self, other: object) -> bool:
        """Plans are equal when they are the same class with the same parameters.

        Per-run state (private attributes set by `reset`, `place` and `pay`)
        does not count.
        """
        if not isinstance(other, CompensationPlan):
            return NotImplemented
        return type(self) is type(other) and self.params() == other.params()

    def __hash__(self) -> int:
        """Hash of the class and the parameters, consistent with `__eq__`."""
        return hash((type(self), tuple(self.params().items())))

    def params(self) -> dict[str, Any]:
        """The plan's parameters as plain Python values."""
        return self.model_dump(mode="python")

    def to_table(self) -> dict[str, Any]:
        """A TOML-ready table: `name` plus every parameter (no caps: `inf`)."""
        table = self.model_dump(mode="json")
        return {"name": self.name, **table}

    @staticmethod
    def from_table(table: dict[str, Any]) -> CompensationPlan:
        """Build a plan from a table written by `to_table`.

        Raises:
            ValueError: when the name is unknown or a parameter is invalid.
        """
        table = dict(table)
        name = table.pop("name", None)
        if name is None:
            raise ValueError("plan table needs a 'name'")
        return plan_class(name)(**table)

    @classmethod
    def describe(cls) -> str:
        """First paragraph of the class docstring, for reports."""
        return (cls.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
