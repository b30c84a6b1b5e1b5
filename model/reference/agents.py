"""The reference model's agents: a Person (everyone) and a Participant (who joined).

Each method is one rule of docs/ODD.md section 7 for one agent, written as
plain Python on the agent's own attributes; the model calls them through
Mesa's AgentSet in the ODD's order (`model.reference.model`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import mesa

from model.agents import _IdCounters
from model.ledger import BUSINESS_ROWS, Row
from model.population import BUSINESS, DISCOUNT

if TYPE_CHECKING:
    from model.reference.model import ReferenceModel

NO_ONE = -1
"""No seller, no sponsor."""

PROSPECT, CUSTOMER, PARTICIPANT, FORMER = "prospect", "customer", "participant", "former"
"""A person's state (docs/ODD.md section 2.1, "Person states")."""


@dataclass(frozen=True)
class Pitch:
    """One prospecting contact: `seller` pitches `target` with reach 1 (a tie) or cold_factor."""

    seller: Participant
    target: Person
    reach: float


class Person(mesa.Agent):
    """Someone in the market: a prospect, a customer, a participant or a former participant.

    Args:
        model: the reference model.
        pid: the person's index (as in the fast model's arrays).
        traits: affinity, consumption, skill, propensity, hours and budget.
        ties: the people this person knows (social network).
    """

    _ids = _IdCounters()  # Mesa 3.3's id counter would keep every model alive

    def __init__(
        self, model: ReferenceModel, pid: int, traits: dict[str, float], ties: list[int]
    ) -> None:
        super().__init__(model)
        self.pid = pid
        self.affinity = traits["affinity"]
        self.consumption = traits["consumption"]
        self.skill = traits["skill"]
        self.propensity = traits["propensity"]
        self.hours = traits["hours"]
        self.budget = traits["budget"]
        self.ties = ties
        self.state = PROSPECT
        self.seller = NO_ONE
        self.contacts_received = 0
        self.stories_heard = 0
        self.rows = [0.0] * len(Row)
        self.budget_left = self.budget
        self.role: Participant | None = None

    # ----------------------------------------------------------------- helpers
    @property
    def is_adopter(self) -> bool:
        """A customer or an active participant (word of mouth, rule 3)."""
        return self.state in (CUSTOMER, PARTICIPANT)

    def receptivity(self) -> float:
        """How open the person still is to pitches and to word of mouth (section 7.1)."""
        p = self.model.params
        return math.exp(-self.contacts_received / p.saturation_contacts) * (
            (1.0 - p.neg_wom_strength) ** self.stories_heard
        )

    def net_profit(self) -> float:
        """Sum of the business rows."""
        return sum(self.rows[row] for row in BUSINESS_ROWS)

    def gross_income(self) -> float:
        """Retail margin plus commissions, so far."""
        r = self.rows
        return (
            r[Row.RETAIL_SALES]
            + r[Row.RESALE_COST]
            + r[Row.COMMISSION_PERSONAL]
            + r[Row.COMMISSION_OVERRIDE]
        )

    # ------------------------------------------------------------------- rules
    def consider_joining(self) -> int | None:
        """Rule 2b: a customer may join for the business or, in resale plans, the discount.

        Returns:
            The motive it joins with, or None.
        """
        model, p = self.model, self.model.params
        if model.random.random() < p.customer_join_prob * self.propensity:
            return BUSINESS
        if model.plan.resale and p.discount_join_prob > 0:
            saving = self.expected_saving()
            fees = model.plan.starter_fee + model.plan.monthly_fee * p.payback_months
            if saving * p.payback_months > fees and model.random.random() < p.discount_join_prob:
                return DISCOUNT
        return None

    def expected_saving(self) -> float:
        """Monthly saving of buying one's expected use at wholesale instead of retail [$]."""
        p = self.model.params
        return self.consumption * self.affinity * p.retail_price * p.distributor_discount

    def adoption_hazard(self, mean_weight: float) -> tuple[float, float]:
        """Rule 3: this month's word-of-mouth hazard H and its innovation part.

        The share f of adopting ties grows over the month by the Bass equation
        with the prospects' mean weight; the hazard is integrated exactly
        (docs/ODD.md section 7.3).
        """
        p, dt = self.model.params, 1.0 / 12.0
        weight = self.affinity * self.receptivity()
        told = sum(map(self.model.adopters.__getitem__, self.ties))  # adopting ties
        f = told / max(len(self.ties), 1)
        innovation = weight * p.bass_p * dt
        if f >= 1.0:
            return weight * (p.bass_p + p.bass_q) * dt, innovation
        if mean_weight <= 0.0:
            return weight * (p.bass_p + p.bass_q * f) * dt, innovation
        big_p, big_q = mean_weight * p.bass_p, mean_weight * p.bass_q
        ratio = (big_p + big_q * f) / (1.0 - f) * math.exp((big_p + big_q) * dt)
        f_end = (ratio - big_p) / (ratio + big_q)
        return (weight / mean_weight) * math.log((1.0 - f) / (1.0 - f_end)), innovation

    def heard_from(self) -> int:
        """Rule 3: a uniformly random tie who is an adopter (-1: none)."""
        adopters = [tie for tie in self.ties if self.model.adopters[tie]]
        return self.model.random.choice(adopters) if adopters else NO_ONE

    def buy(self) -> None:
        """Rule 4: a customer buys its consumption at retail (within budget) or may lapse."""
        model, p = self.model, self.model.params
        if model.random.random() >= self.affinity:
            if model.random.random() < p.customer_lapse_prob:
                self.state, self.seller = PROSPECT, NO_ONE
                model.flows["customer_lapses"] += 1
                model.unhappy.append(self)
            return
        units = min(self.consumption, self.budget / p.retail_price)
        spend = units * p.retail_price
        model.units_shipped += units
        model.flows["retail_volume"] += units * p.wholesale_price
        model.flows["consumer_sales"] += spend
        seller = model.active_participant(self.seller)
        if seller is None:
            model.pay_company(self, spend, Row.CONSUMPTION)
            return
        seller.served += 1
        if (
            model.plan.resale
        ):  # the seller resells: retail from the customer, wholesale to the company
            self.rows[Row.CONSUMPTION] -= spend
            seller.person.rows[Row.RETAIL_SALES] += spend
            wholesale = units * p.wholesale_price
            model.pay_company(seller.person, wholesale, Row.RESALE_COST)
            seller.pv += wholesale
        else:  # referral: the customer pays the company, the referrer is credited the sale
            model.pay_company(self, spend, Row.CONSUMPTION)
            seller.customer_sales += spend

    def tell_ties(self) -> None:
        """Rule 7b: tell each tie, with probability neg_wom_reach, an unhappy story."""
        reach = self.model.params.neg_wom_reach
        for tie in self.ties:
            if self.model.random.random() < reach:
                self.model.people[tie].stories_heard += 1


class Participant(mesa.Agent):
    """A person who joined: a business participant or a discount member.

    Args:
        model: the reference model.
        person: the Person who joined.
        sponsor: who recruited it (-1: the company).
        motive: BUSINESS or DISCOUNT.
    """

    _ids = _IdCounters()

    def __init__(self, model: ReferenceModel, person: Person, sponsor: int, motive: int) -> None:
        super().__init__(model)
        p = model.params
        self.person = person
        self.pid = person.pid
        self.sponsor = sponsor
        self.depth = model.participants[sponsor].depth + 1 if sponsor != NO_ONE else 1
        self.motive = motive
        self.join_month = model.month
        self.quit_month = NO_ONE
        self.active = True
        self.perceived_income = p.expected_wage * person.hours if motive == BUSINESS else 0.0
        self.hours_worked = 0.0
        self.upline = NO_ONE  # placement parent, set by the plan when it joins
        self.net_before = 0.0  # cumulative business net at the last rule 6
        self.gross_before = 0.0  # cumulative gross income at the last rule 6
        self.month_net = 0.0  # net business income this month (rule 6)
        self.new_month()

    @property
    def business(self) -> bool:
        """Joined for the income (not a discount member)."""
        return self.motive == BUSINESS

    def new_month(self) -> None:
        """Clear the month's flows: volume, customers' sales, hours, contacts, served."""
        self.pv = 0.0
        self.customer_sales = 0.0
        self.worked = 0.0
        self.contacts = 0
        self.served = 0

    # ------------------------------------------------------------------- rules
    def hours_this_month(self) -> float:
        """Rule 1-2: hours follow perceived against expected income; members' are fixed."""
        p, hours = self.model.params, self.person.hours
        if not self.business:
            return p.member_effort * hours
        expected = p.expected_wage * hours
        gap = (self.perceived_income - expected) / expected if expected > 0 else 0.0
        return min(hours * (1.0 + p.effort_response * max(gap, -1.0)), p.max_hours)

    def prospect(self) -> None:
        """Rule 1-2: work, contact ties (and bought leads), and hand the pitches to the model."""
        model, p, person = self.model, self.model.params, self.person
        self.worked = self.hours_this_month()
        talent = person.skill * (1.0 + p.training_effect)
        warm = int(model.rng.poisson(p.contacts_per_hour * self.worked * talent))
        leads = self.buy_leads()
        self.contacts = warm + leads
        targets = [(model.random.choice(person.ties), 1.0) for _ in range(warm) if person.ties]
        targets += [(model.random.randrange(model.n_people), p.cold_factor) for _ in range(leads)]
        for target, reach in targets:
            other = model.people[target]
            if target != self.pid and other.state not in (PARTICIPANT, FORMER):
                model.pitches.append(Pitch(self, other, reach))

    def buy_leads(self) -> int:
        """Rule 1-2: a business participant buys Poisson(leads_per_month) leads it can afford."""
        model, p = self.model, self.model.params
        if p.leads_per_month == 0 or not self.business:
            return 0
        wanted = int(model.rng.poisson(p.leads_per_month))
        if p.cost_per_lead > 0:
            wanted = min(wanted, math.floor(self.person.budget_left / p.cost_per_lead))
        cost = wanted * p.cost_per_lead
        self.person.budget_left -= cost
        self.person.rows[Row.LEADS] -= cost
        model.outside["lead_vendors"] += cost
        return wanted

    def pitch(self, target: Person, reach: float) -> str | None:
        """Rule 1-2: one contact's outcome, from the target's state at the start of the rule.

        Returns:
            "recruit", "sale" or None.
        """
        model, p = self.model, self.model.params
        base = reach * target.receptivity()
        opportunity = False
        if model.plan.recruiting_reward and self.business:
            opportunity = model.random.random() < p.recruit_focus
            if p.prequalify:  # ask first: the opportunity only to the interested
                opportunity = target.propensity >= model.interest_cut
        u = model.random.random()
        if opportunity:
            return "recruit" if u < p.recruit_prob * base * target.propensity else None
        if target.state != CUSTOMER and u < p.sale_prob * base * target.affinity:
            return "sale"
        return None

    def buy_own_use(self) -> None:
        """Rule 4: buy one's expected use at wholesale; business participants top up to qualify."""
        model, p, person = self.model, self.model.params, self.person
        own = min(person.consumption * person.affinity * p.wholesale_price, person.budget_left)
        model.pay_company(person, own, Row.OWN_USE)
        person.budget_left -= own
        self.pv += own
        top_up = 0.0
        short = model.plan.qualification_pv - self.pv
        if model.plan.qualification_pv > 0 and self.business and 0 < short <= person.budget_left:
            top_up = short
            model.pay_company(person, top_up, Row.EXCESS)
            person.budget_left -= top_up
            self.pv += top_up
        model.flows["internal_volume"] += own + top_up
        model.flows["consumer_sales"] += own + top_up
        model.units_shipped += (own + top_up) / p.wholesale_price

    def pay_running_costs(self) -> None:
        """Rule 6: monthly and training fees; running costs within what is left of the budget."""
        model, p, person = self.model, self.model.params, self.person
        fee = model.plan.monthly_fee + (p.training_cost if self.business else 0.0)
        if fee > 0:
            model.pay_company(person, fee, Row.FEES)
        running = p.cost_per_contact * self.contacts + p.cost_per_customer * self.served
        running += p.fixed_cost if self.business else 0.0
        running = min(running, max(person.budget_left, 0.0))
        if running > 0:
            person.rows[Row.EXPENSES] -= running
            model.outside["third_parties"] += running
        self.hours_worked += self.worked

    def quit_hazard(self) -> float:
        """Rule 7: this month's probability of quitting (section 7.7)."""
        p, person = self.model.params, self.person
        if not self.business:
            unpaid = person.expected_saving() < self.model.plan.monthly_fee
            hazard = p.customer_lapse_prob * (1.0 - person.affinity)
            hazard += p.disappointment_weight * unpaid
        else:
            expected = p.expected_wage * person.hours
            gap = (expected - self.perceived_income) / expected if expected > 0 else 1.0
            loss = max(-person.net_profit(), 0.0)
            tolerance = p.loss_tolerance_months * person.budget
            loss_term = loss / (loss + tolerance) if loss > 0 else 0.0
            hazard = p.disappointment_weight * min(max(gap, 0.0), 1.0) + p.loss_weight * loss_term
        return min(max(p.base_quit_prob + hazard, 0.0), 1.0)

    def consider_quitting(self) -> None:
        """Rule 7: update perceived income; quit with the hazard (not in the month joined)."""
        model, p = self.model, self.model.params
        self.perceived_income = (
            p.income_smoothing * self.month_net + (1 - p.income_smoothing) * self.perceived_income
        )
        if self.join_month < model.month and model.random.random() < self.quit_hazard():
            self.quit()

    def quit(self) -> None:
        """Leave the business for good; a quitter at a loss becomes unhappy."""
        model = self.model
        self.active = False
        self.quit_month = model.month
        self.person.state = FORMER
        model.quitters.append(self)
        if self.person.net_profit() < 0:
            model.unhappy.append(self.person)
