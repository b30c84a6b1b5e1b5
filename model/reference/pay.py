"""Every plan's placement and pay, written as walks up the upline one level at a time.

These are the reference versions of the rules of docs/ODD.md section 7.14.
They take the plan object (`model.plans`) only for its parameters; they do
not call its vectorised `place` or `pay`. People are plain integer ids, the
placement tree is a dict from person to placement parent (-1: the company),
and one month's volumes are dicts (`Volumes`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from model.plans import CompensationPlan

COMPANY = -1
"""The placement parent (and sponsor) of someone placed under the company."""


@dataclass(frozen=True)
class Volumes:
    """One month's standing and volumes of everyone the plan sees.

    Attributes:
        upline: placement parent of every placed person (-1: the company).
        active: people who have joined and not quit.
        qualified: active people who met the personal-volume minimum.
        pv: personal volume of each person this month (absent: 0).
        customer_sales: retail spend of each referrer's customers (absent: 0).
    """

    upline: dict[int, int]
    active: set[int]
    qualified: set[int]
    pv: dict[int, float]
    customer_sales: dict[int, float] = field(default_factory=dict)


@dataclass
class Commissions:
    """What each person earns in a month, split as in the ledger."""

    personal: dict[int, float] = field(default_factory=dict)
    override: dict[int, float] = field(default_factory=dict)

    def add(self, person: int, amount: float, personal: bool = False) -> None:
        """Credit `amount` to `person` (an override unless `personal`)."""
        book = self.personal if personal else self.override
        book[person] = book.get(person, 0.0) + amount

    def total(self) -> float:
        """All commissions of the month."""
        return sum(self.personal.values()) + sum(self.override.values())

    def total_of(self, person: int) -> float:
        """Personal plus override commissions of one person."""
        return self.personal.get(person, 0.0) + self.override.get(person, 0.0)

    def scaled_to(self, limit: float) -> Commissions:
        """The company's payout ceiling: cut everyone pro rata if the total exceeds `limit`."""
        total = self.total()
        if total <= limit:
            return self
        factor = limit / total
        return Commissions(
            {i: x * factor for i, x in self.personal.items()},
            {i: x * factor for i, x in self.override.items()},
        )


def uplines(upline: dict[int, int], person: int) -> Iterator[int]:
    """The placement uplines of `person`, nearest first, up to the top of its tree."""
    above = upline.get(person, COMPANY)
    while above != COMPANY:
        yield above
        above = upline.get(above, COMPANY)


def pay_levels(
    volumes: Volumes, rates: tuple[float, ...], holds_level: set[int], is_paid: set[int]
) -> Commissions:
    """Level pay: each source's PV pays `rates[k]` to the (k+1)-th upline holding a level.

    Walks up from every source one upline at a time; uplines not in
    `holds_level` are skipped (compression), and a level held by someone not
    in `is_paid` is forfeited (breakage).
    """
    paid = Commissions()
    for source, pv in volumes.pv.items():
        if pv <= 0:
            continue
        level = 0
        for above in uplines(volumes.upline, source):
            if above not in holds_level:
                continue
            if above in is_paid:
                paid.add(above, rates[level] * pv)
            level += 1
            if level == len(rates):
                break
    return paid


class ReferencePlan:
    """Placement and pay of one plan, one person and one upline at a time.

    Args:
        plan: the plan whose parameters (rates, fees, caps) are used.
    """

    stateless = True
    """Pay keeps no state between months, so `potential_pay` can be asked."""

    def __init__(self, plan: CompensationPlan) -> None:
        self.plan = plan
        self.upline: dict[int, int] = {}

    def place(self, person: int, sponsor: int) -> int:
        """Place a recruit under its sponsor (tree plans) and return its placement parent."""
        self.upline[person] = sponsor
        return sponsor

    def pay(self, volumes: Volumes) -> Commissions:
        """One month's commissions."""
        raise NotImplementedError

    def potential_pay(self, volumes: Volumes) -> float:
        """What `pay` would total if every active person qualified (NaN if pay has state)."""
        if not self.stateless:
            return float("nan")
        return self.pay(replace(volumes, qualified=set(volumes.active))).total()


class ReferralPay(ReferencePlan):
    """Referral: `rate` of the customers' retail spend to their qualified referrer."""

    def pay(self, volumes: Volumes) -> Commissions:
        """Pay each qualified referrer the rate on its customers' spend."""
        paid = Commissions()
        for referrer, sales in volumes.customer_sales.items():
            if referrer in volumes.qualified and sales > 0:
                paid.add(referrer, self.plan.rate * sales, personal=True)
        return paid


class UnilevelPay(ReferencePlan):
    """Unilevel: `rates[k]` of every PV to the (k+1)-th upline, with compression."""

    def pay(self, volumes: Volumes) -> Commissions:
        """Level pay past quitters (inactive) or past the unqualified too (dynamic)."""
        dynamic = self.plan.compression == "dynamic"
        holds_level = volumes.qualified if dynamic else volumes.active
        return pay_levels(volumes, self.plan.rates, holds_level, volumes.qualified)


class BreakawayPay(ReferencePlan):
    """Stair-step breakaway: rank differentials in groups, generation overrides above."""

    def rate_of(self, group_volume: float) -> float:
        """The rank percentage of the highest step reached (0 below the first)."""
        rate = 0.0
        for threshold, step_rate in zip(
            self.plan.rank_thresholds, self.plan.rank_rates, strict=True
        ):
            if group_volume >= threshold:
                rate = step_rate
        return rate

    def nearest_qualified_upline(self, volumes: Volumes, person: int) -> int:
        """The first qualified placement upline of `person` (-1: none)."""
        return next((a for a in uplines(volumes.upline, person) if a in volumes.qualified), COMPANY)

    def pay(self, volumes: Volumes) -> Commissions:
        """Compress, roll group volumes up, break away, pay differentials and generations."""
        plan, qualified = self.plan, volumes.qualified
        leader = {i: self.nearest_qualified_upline(volumes, i) for i in qualified}
        attached: dict[int, float] = {}
        for person, pv in volumes.pv.items():
            if person not in qualified and pv > 0:
                upline = self.nearest_qualified_upline(volumes, person)
                if upline != COMPANY:
                    attached[upline] = attached.get(upline, 0.0) + pv
        group = {i: volumes.pv.get(i, 0.0) + attached.get(i, 0.0) for i in qualified}

        def levels_down(person: int) -> int:
            depth, above = 0, leader[person]
            while above != COMPANY:
                depth, above = depth + 1, leader[above]
            return depth

        threshold = plan.rank_thresholds[plan.breakaway_rank - 1]
        broke: set[int] = set()
        for person in sorted(qualified, key=levels_down, reverse=True):  # children first
            if leader[person] == COMPANY:
                continue
            if group[person] >= threshold:
                broke.add(person)
            else:
                group[leader[person]] += group[person]
        rate = {i: self.rate_of(group[i]) for i in qualified}
        paid = Commissions()
        for person in qualified:
            paid.add(person, rate[person] * volumes.pv.get(person, 0.0), personal=True)
            paid.add(person, rate[person] * attached.get(person, 0.0))
            above = leader[person]
            if above != COMPANY and person not in broke:
                paid.add(above, (rate[above] - rate[person]) * group[person])
        top_rank = {i for i in qualified if group[i] >= threshold}
        for person in broke:
            generation = 0
            for above in uplines(volumes.upline, person):
                if generation == len(plan.generation_rates):
                    break
                if above in top_rank:
                    paid.add(above, plan.generation_rates[generation] * group[person])
                    generation += 1
        return paid


class SlotPlan(ReferencePlan):
    """A plan with positions: everyone has `width` ordered slots for people placed below."""

    width = 2

    def __init__(self, plan: CompensationPlan) -> None:
        super().__init__(plan)
        self.slots: dict[int, list[int]] = {}

    def slots_of(self, person: int) -> list[int]:
        """The people in `person`'s slots, left to right (-1: open)."""
        return self.slots.setdefault(person, [COMPANY] * self.width)

    def first_open(self, start: int) -> tuple[int, int]:
        """The first open slot at or below `start`, breadth-first, left to right."""
        queue = [start]
        for person in queue:
            below = self.slots_of(person)
            if COMPANY in below:
                return person, below.index(COMPANY)
            queue.extend(below)
        raise AssertionError("a finite tree always has an open slot")

    def attach(self, person: int, parent: int, slot: int) -> int:
        """Put `person` in `parent`'s `slot` and return the parent."""
        self.slots_of(parent)[slot] = person
        self.upline[person] = parent
        return parent


class BinaryPay(SlotPlan):
    """Binary: a pairing bonus on the weaker leg, with carry-over, caps and flush."""

    stateless = False

    def __init__(self, plan: CompensationPlan) -> None:
        super().__init__(plan)
        self.legs: dict[int, list[float]] = {}  # last month's leg volumes
        self.carry: dict[int, list[float]] = {}
        self.last_qualified: dict[int, int] = {}  # month last qualified (0: never)
        self.month = 0

    def place(self, person: int, sponsor: int) -> int:
        """Into the sponsor's weaker (or extreme) leg, spilling over breadth-first."""
        if sponsor == COMPANY:
            self.upline[person] = COMPANY
            return COMPANY
        if self.plan.placement == "weaker":
            below = self.slots_of(sponsor)
            legs = self.legs.get(sponsor, [0.0, 0.0])
            left = (legs[0], below[0] != COMPANY)
            right = (legs[1], below[1] != COMPANY)
            side = 0 if left <= right else 1
            if below[side] == COMPANY:
                return self.attach(person, sponsor, side)
            return self.attach(person, *self.first_open(below[side]))
        side = 0 if self.plan.placement == "extreme_left" else 1
        end = sponsor
        while self.slots_of(end)[side] != COMPANY:
            end = self.slots_of(end)[side]
        return self.attach(person, end, side)

    def pay(self, volumes: Volumes) -> Commissions:
        """Pair each qualified person's legs (plus carry-over) and pay the rate on the pair."""
        plan = self.plan
        self.month += 1
        legs: dict[int, list[float]] = {}
        for source, pv in volumes.pv.items():  # every PV counts in each leg above it
            child = source
            for above in uplines(volumes.upline, source):
                side = self.slots_of(above).index(child)
                legs.setdefault(above, [0.0, 0.0])[side] += pv
                child = above
        self.legs = legs
        for person in volumes.qualified:
            self.last_qualified[person] = self.month
        paid = Commissions()
        carry: dict[int, list[float]] = {}
        for person in set(legs) | set(self.carry):
            qualified = person in volumes.qualified
            idle = self.month - self.last_qualified.get(person, 0)
            left, right = (
                c + v
                for c, v in zip(
                    self.carry.get(person, [0.0, 0.0]), legs.get(person, [0.0, 0.0]), strict=True
                )
            )
            pair = min(left, right) if qualified else 0.0
            bonus = plan.rate * pair
            if pair > 0:
                paid.add(person, min(bonus, plan.monthly_cap))
            flush = idle >= plan.flush_after_idle_months or person not in volumes.active
            flush = flush or (plan.flush_on_cap and bonus > plan.monthly_cap)
            if not flush:
                carry[person] = [
                    min(left - pair, plan.carry_cap),
                    min(right - pair, plan.carry_cap),
                ]
        self.carry = carry
        return paid.scaled_to(plan.payout_cap * sum(volumes.pv.values()))


class MatrixPay(SlotPlan):
    """Forced matrix: level pay in a width x depth tree filled breadth-first."""

    stateless = False

    def __init__(self, plan: CompensationPlan) -> None:
        super().__init__(plan)
        self.width = plan.width
        self.filled: dict[int, int] = {}
        self.due: set[int] = set()
        self.capacity = sum(plan.width**level for level in range(1, plan.depth + 1))

    def place(self, person: int, sponsor: int) -> int:
        """In the first open slot at or below the sponsor; counts the positions filled above."""
        if sponsor == COMPANY:
            self.upline[person] = COMPANY
            return COMPANY
        parent = self.attach(person, *self.first_open(sponsor))
        above = parent
        for _ in range(self.plan.depth):
            if above == COMPANY:
                break
            self.filled[above] = self.filled.get(above, 0) + 1
            if self.filled[above] == self.capacity:
                self.due.add(above)
            above = self.upline.get(above, COMPANY)
        return parent

    def pay(self, volumes: Volumes) -> Commissions:
        """Level pay past the unqualified, completion bonuses, then the payout ceiling."""
        paid = pay_levels(volumes, self.plan.rates, volumes.qualified, volumes.qualified)
        for person in self.due & volumes.qualified:
            if self.plan.completion_bonus > 0:
                paid.add(person, self.plan.completion_bonus)
        self.due = set()
        return paid.scaled_to(self.plan.payout_cap * sum(volumes.pv.values()))


REFERENCE_PLANS: dict[str, type[ReferencePlan]] = {
    "referral": ReferralPay,
    "unilevel": UnilevelPay,
    "breakaway": BreakawayPay,
    "binary": BinaryPay,
    "matrix": MatrixPay,
}
"""The reference placement and pay of every registered plan, by registry name."""


def reference_plan(plan: CompensationPlan) -> ReferencePlan:
    """The reference placement and pay for `plan` (a fresh one per run).

    Raises:
        ValueError: if the plan has no reference version.
    """
    if plan.name not in REFERENCE_PLANS:
        raise ValueError(f"no reference implementation of plan {plan.name!r}")
    return REFERENCE_PLANS[plan.name](plan)
