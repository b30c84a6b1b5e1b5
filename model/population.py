"""Per-person traits and state, as a struct of arrays.

Everyone in the population, participant or not, is one index into these
arrays; the monthly rules in `model.model` are vectorised over them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model.params import ModelParams

NO_ONE = -1
"""Marker for 'no sponsor / no seller / not yet' in integer state arrays."""

BUSINESS = 1
"""`motive` of a participant who joined for the income (a part-timer or a builder)."""
DISCOUNT = 2
"""`motive` of a participant who joined to buy at the discount (a member)."""
MOTIVES = {0: "", BUSINESS: "business", DISCOUNT: "discount"}
"""Names of the `motive` codes, as in the participant table."""


@dataclass
class Population:
    """Traits (fixed) and state (changing each month) of every person.

    Attributes:
        affinity: monthly probability of buying when a customer (0..1).
        consumption: units the household uses in a buying month.
        skill: multiplier on the conversion of one's pitches.
        propensity: openness to the business opportunity (0..1).
        hours: hours per month worked while a participant.
        budget: discretionary budget per month ($).
        active: participant who has not quit.
        former: participant who quit (never rejoins).
        customer: buying customer who is not a participant.
        seller: participant who brought the customer (-1: the company).
        sponsor: who recruited the participant (-1: the company).
        upline: placement parent chosen by the plan (-1: the company).
        depth: generation in the sponsor tree (founders 1).
        motive: why the participant joined (0 never joined, BUSINESS, DISCOUNT).
        join_month, quit_month: -1 until it happens.
        contacts_received: prospecting contacts received so far (saturation).
        stories_heard: unhappy stories heard from ties (negative word of mouth).
        perceived_income: exponentially smoothed monthly net income ($).
        hours_worked: hours spent on the business so far.
    """

    affinity: np.ndarray
    consumption: np.ndarray
    skill: np.ndarray
    propensity: np.ndarray
    hours: np.ndarray
    budget: np.ndarray
    active: np.ndarray = field(init=False)
    former: np.ndarray = field(init=False)
    customer: np.ndarray = field(init=False)
    seller: np.ndarray = field(init=False)
    sponsor: np.ndarray = field(init=False)
    upline: np.ndarray = field(init=False)
    depth: np.ndarray = field(init=False)
    motive: np.ndarray = field(init=False)
    join_month: np.ndarray = field(init=False)
    quit_month: np.ndarray = field(init=False)
    contacts_received: np.ndarray = field(init=False)
    stories_heard: np.ndarray = field(init=False)
    perceived_income: np.ndarray = field(init=False)
    hours_worked: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        n = self.affinity.size
        self.active = np.zeros(n, dtype=bool)
        self.former = np.zeros(n, dtype=bool)
        self.customer = np.zeros(n, dtype=bool)
        for name in ("seller", "sponsor", "upline", "join_month", "quit_month"):
            setattr(self, name, np.full(n, NO_ONE, dtype=np.int64))
        self.depth = np.zeros(n, dtype=np.int64)
        self.motive = np.zeros(n, dtype=np.int8)
        for name in ("contacts_received", "stories_heard", "perceived_income", "hours_worked"):
            setattr(self, name, np.zeros(n))

    @classmethod
    def draw(cls, params: ModelParams, rng: np.random.Generator) -> Population:
        """Draw every person's traits from the parameters' distributions.

        Args:
            params: model parameters (trait distributions and population size).
            rng: the model's random generator.

        Returns:
            A population of prospects (nobody is a customer or participant yet).
        """
        n = params.n_people
        return cls(
            affinity=np.clip(params.affinity.sample(rng, n), 0.0, 1.0),
            consumption=params.consumption.sample(rng, n),
            skill=params.skill.sample(rng, n),
            propensity=np.clip(params.propensity.sample(rng, n), 0.0, 1.0),
            hours=params.hours.sample(rng, n),
            budget=params.budget.sample(rng, n),
        )

    @property
    def n(self) -> int:
        """Number of people."""
        return self.affinity.size

    def ever_joined(self) -> np.ndarray:
        """Ids of everyone who ever participated, in id order."""
        return np.flatnonzero(self.join_month >= 0)

    def receptivity(self, params: ModelParams, people: np.ndarray) -> np.ndarray:
        """How open `people` still are to a pitch or to word of mouth (0..1).

        Receptivity falls by 1/e for every `saturation_contacts` contacts
        received and by `neg_wom_strength` for every unhappy story heard.
        """
        return (
            np.exp(-self.contacts_received[people] / params.saturation_contacts)
            * (1.0 - params.neg_wom_strength) ** self.stories_heard[people]
        )

    def downline_size(self) -> np.ndarray:
        """Everyone ever recruited below each person in the sponsor tree (all generations)."""
        size = np.zeros(self.n, dtype=np.int64)
        joined = self.ever_joined()
        if joined.size == 0:
            return size
        depth = self.depth[joined]
        for d in range(int(depth.max()), 1, -1):
            kids = joined[depth == d]
            np.add.at(size, self.sponsor[kids], size[kids] + 1)
        return size
