"""ReferenceModel: the monthly rules of docs/ODD.md, one agent at a time.

This is the executable statement of the rules: each rule is a method that
asks Mesa's AgentSet to have the agents concerned do one thing (prospect,
join, buy, get paid, pay their costs, quit, tell their ties), in the order of
docs/ODD.md section 3.1. It is written for clarity, not speed (up to a few
thousand people), and is docked against the fast, vectorised `MarketModel`
(tests/reference/). It reuses the fast model's inputs (parameters, network
generator, trait draws, plans' parameters, metrics) but none of its monthly
step code.

Order within a month where the ODD leaves it open, chosen as in the fast
model: the month's pitches are pooled and evaluated in one random order
(first success wins a target); recruits of rule 1-2 join in id order, then
rule 2b's business joiners in id order, then its members in id order (the
order matters only for binary and matrix placement).
"""

from __future__ import annotations

import math
import statistics
from functools import partial
from typing import Any

import mesa
import pandas as pd
from mesa.agent import AgentSet

from model import metrics
from model.ledger import Row
from model.model import MONTHLY_COLUMNS
from model.network import make_network
from model.params import ModelParams, validate_params
from model.plans import make_plan
from model.population import BUSINESS, DISCOUNT, MOTIVES, Population
from model.reference.agents import (
    CUSTOMER,
    NO_ONE,
    PARTICIPANT,
    PROSPECT,
    Participant,
    Person,
    Pitch,
)
from model.reference.pay import Volumes, reference_plan

TRAITS = ("affinity", "consumption", "skill", "propensity", "hours", "budget")


def _month_stat(model: ReferenceModel, key: str) -> float:
    return model.month_stats[key]


class ReferenceModel(mesa.Model):
    """The same model as `MarketModel`, written agent by agent.

    Takes the same keyword arguments (every `ModelParams` field) and gives
    the same tables and metrics.

    Args:
        rng: seed or numpy Generator (Mesa also seeds `self.random` from it).
        **params: model parameters by name.
    """

    def __init__(self, rng: Any = None, **params: Any) -> None:
        self.params: ModelParams = validate_params(**params)
        super().__init__(rng=rng)
        p = self.params
        self.n_people = p.n_people
        self.plan = make_plan(p.plan, p.plan_params)
        self.placement = reference_plan(self.plan)
        self.month = 0
        network = make_network(p.network, p.n_people, self.rng, **p.network_options)
        traits = Population.draw(p, self.rng)
        self.people = [
            Person(
                self,
                i,
                {name: float(getattr(traits, name)[i]) for name in TRAITS},
                network.neighbors(i).tolist(),
            )
            for i in range(p.n_people)
        ]
        # prequalifying (rule 1-2): interested in the business means a propensity in the
        # population's top recruit_focus share
        propensities = sorted(person.propensity for person in self.people)
        self.interest_cut = _quantile(propensities, 1.0 - p.recruit_focus)
        self.participants: dict[int, Participant] = {}
        self.adopters: list[bool] = []  # who was an adopter at the start of rule 3, by id
        self.pitches: list[Pitch] = []  # this month's prospecting contacts (rule 1-2)
        self.unhappy: list[Person] = []  # this month's tellers of rule 7b
        self.quitters: list[Participant] = []  # this month's quitters
        self.flows: dict[str, float] = {}  # this month's volumes and new customers
        self.units_shipped = 0.0  # units shipped this month (cost of goods)
        self.company = {"receipts": 0.0, "cogs": 0.0, "commissions": 0.0}
        self.outside = {"suppliers": 0.0, "lead_vendors": 0.0, "third_parties": 0.0}
        self.outside["outside_uplines"] = 0.0
        self.month_stats: dict[str, float] = dict.fromkeys(MONTHLY_COLUMNS, 0.0)
        self.datacollector = mesa.DataCollector(
            model_reporters={k: partial(_month_stat, key=k) for k in MONTHLY_COLUMNS}
        )
        self.outside_uplines = self._place_outside_uplines()
        for pid in sorted(self.random.sample(range(p.n_people), p.n_founders)):
            founder = self.join(self.people[pid], NO_ONE, BUSINESS)
            founder.net_before = founder.person.net_profit()  # starter fee is not month 1's
        self.month_stats["joins"] = 0
        self._company_before = (self.company["receipts"], self.company_margin())

    # ------------------------------------------------------------------ helpers
    def _place_outside_uplines(self) -> list[int]:
        """The chain of uplines above the market (ids n, n+1, ...; section 7.5)."""
        p, plan = self.params, self.plan
        levels = plan.outside_levels if p.outside_upline and plan.recruiting_reward else 0
        for level in range(levels - 2, -1, -1):  # from the top down, each under the one above
            self.placement.place(self.n_people + level, self.n_people + level + 1)
        return [self.n_people + level for level in range(levels)]

    def active_participants(self) -> AgentSet:
        """Participants who have not quit, in the order they joined."""
        active = [a for a in self.participants.values() if a.active]
        return AgentSet(active, random=self.random)

    def people_in(self, state: str) -> AgentSet:
        """People in one state (prospect, customer, participant, former), in id order."""
        return AgentSet([a for a in self.people if a.state == state], random=self.random)

    def active_participant(self, pid: int) -> Participant | None:
        """The participant with id `pid` if it is active, else None."""
        part = self.participants.get(pid)
        return part if part is not None and part.active else None

    def pay_company(self, person: Person, amount: float, row: Row) -> None:
        """`person` pays the company `amount`, booked on its `row`."""
        person.rows[row] -= amount
        self.company["receipts"] += amount

    def company_margin(self) -> float:
        """What the company has kept so far: receipts - cost of goods - commissions."""
        c = self.company
        return c["receipts"] - c["cogs"] - c["commissions"]

    def join(self, person: Person, sponsor: int, motive: int) -> Participant:
        """Section 7.10: `person` joins under `sponsor`, is placed by the plan, pays the fee."""
        part = Participant(self, person, sponsor, motive)
        person.state, person.seller, person.role = PARTICIPANT, NO_ONE, part
        self.participants[person.pid] = part
        under = sponsor
        if sponsor == NO_ONE and self.outside_uplines:
            under = self.outside_uplines[0]  # joins under the nearest outside upline
        part.upline = self.placement.place(person.pid, under)
        if self.plan.starter_fee > 0:
            self.pay_company(person, self.plan.starter_fee, Row.FEES)
        self.month_stats["joins"] += 1
        return part

    def assign_unserved(self) -> int:
        """A customer without a seller, in plans with uplines: a random business participant.

        Returns -1 in the referral plan or when no business participant is active.
        """
        if not self.plan.recruiting_reward:
            return NO_ONE
        servers = [a for a in self.active_participants() if a.business]
        return self.random.choice(servers).pid if servers else NO_ONE

    # ---------------------------------------------------------------- the month
    def step(self) -> None:
        """One month: the rules of docs/ODD.md section 3.1, in that order."""
        self.month += 1
        self.flows = dict.fromkeys(("retail_volume", "internal_volume", "consumer_sales"), 0.0)
        self.flows["new_customers"] = 0
        self.flows["customer_lapses"] = 0
        self.units_shipped = 0.0
        self.unhappy, self.quitters = [], []
        for person in self.people:
            person.budget_left = person.budget
        self.active_participants().do("new_month")
        self.prospecting()  # 1-2
        self.customers_join()  # 2b
        self.word_of_mouth()  # 3
        self.purchases()  # 4
        self.pay_commissions()  # 5
        self.running_costs()  # 6
        self.drop_out()  # 7
        self.spread_unhappiness()  # 7b
        self.record()

    def run(self, months: int) -> None:
        """Advance `months` months."""
        for _ in range(months):
            self.step()

    def prospecting(self) -> None:
        """Rules 1-2: active participants pitch; the first success on a target wins it.

        Recruits join (in id order) before sales are made, and a person
        recruited this month is not also sold to.
        """
        sellers = self.active_participants()
        if not sellers:
            return
        self.pitches = []
        sellers.shuffle_do("prospect")
        self.random.shuffle(self.pitches)
        outcomes = [pitch.seller.pitch(pitch.target, pitch.reach) for pitch in self.pitches]
        recruiter: dict[int, int] = {}
        sold_by: dict[int, int] = {}
        for pitch, outcome in zip(self.pitches, outcomes, strict=True):
            pitch.target.contacts_received += 1  # after all pitches: they see the same receptivity
            if outcome == "recruit":
                recruiter.setdefault(pitch.target.pid, pitch.seller.pid)
            elif outcome == "sale":
                sold_by.setdefault(pitch.target.pid, pitch.seller.pid)
        for pid in sorted(recruiter):
            self.join(self.people[pid], recruiter[pid], BUSINESS)
        for pid, seller in sold_by.items():
            if pid not in recruiter:
                self.people[pid].state, self.people[pid].seller = CUSTOMER, seller
                self.flows["new_customers"] += 1

    def customers_join(self) -> None:
        """Rule 2b: customers join for the business, then (resale plans) for the discount."""
        p = self.params
        if p.customer_join_prob == 0 and p.discount_join_prob == 0:
            return
        customers = self.people_in(CUSTOMER)
        decisions = dict(zip(customers, customers.map("consider_joining"), strict=True))
        for motive in (BUSINESS, DISCOUNT):
            for person in customers:
                if decisions[person] == motive:
                    seller = self.active_participant(person.seller)
                    self.join(person, seller.pid if seller else NO_ONE, motive)

    def word_of_mouth(self) -> None:
        """Rule 3: prospects adopt by word of mouth (Bass) and buy through the tie they heard."""
        p = self.params
        if p.bass_p == 0 and p.bass_q == 0:
            return
        self.adopters = [person.is_adopter for person in self.people]  # at the rule's start
        candidates = self.people_in(PROSPECT)
        if not candidates:
            return
        mean_weight = statistics.fmean(a.affinity * a.receptivity() for a in candidates)
        adopted = []
        for person in candidates:
            hazard, innovation = person.adoption_hazard(mean_weight)
            if self.random.random() < -math.expm1(-hazard):
                adopted.append((person, self.random.random() * hazard >= innovation))
        for person, imitated in adopted:
            seller = self.channel(person.heard_from()) if imitated else NO_ONE
            if seller == NO_ONE:
                seller = self.assign_unserved()
            person.state, person.seller = CUSTOMER, seller
            self.flows["new_customers"] += 1

    def channel(self, teller: int) -> int:
        """Whom an imitator buys through: the tie it heard from, or that tie's seller."""
        if teller == NO_ONE:
            return NO_ONE
        if self.active_participant(teller):
            return teller
        seller = self.people[teller].seller
        return seller if self.active_participant(seller) else NO_ONE

    def purchases(self) -> None:
        """Rule 4: customers buy or lapse, then participants buy own use and top up."""
        self.people_in(CUSTOMER).shuffle_do("buy")
        self.active_participants().shuffle_do("buy_own_use")
        cogs = self.units_shipped * self.params.unit_cost
        self.company["cogs"] += cogs
        self.outside["suppliers"] += cogs

    def pay_commissions(self) -> None:
        """Rule 5: the plan pays on the month's volumes, walking up each payer's upline."""
        n, plan = self.n_people, self.plan
        active = self.active_participants()
        qualified = {a.pid for a in active if a.pv >= plan.qualification_pv - 1e-9}
        share = self.uplines_qualified_share(qualified)
        for outside in self.outside_uplines:
            if self.random.random() < share:
                qualified.add(outside)
        volumes = Volumes(
            upline=self.placement.upline,
            active={a.pid for a in active} | set(self.outside_uplines),
            qualified=qualified,
            pv={a.pid: a.pv for a in active},
            customer_sales={a.pid: a.customer_sales for a in active},
        )
        self.month_stats["potential_commissions"] = self.placement.potential_pay(volumes)
        paid = self.placement.pay(volumes)
        for book, row in (
            (paid.personal, Row.COMMISSION_PERSONAL),
            (paid.override, Row.COMMISSION_OVERRIDE),
        ):
            for pid, amount in book.items():
                self.company["commissions"] += amount
                if pid < n:
                    self.people[pid].rows[row] += amount
                else:
                    self.outside["outside_uplines"] += amount
        self.month_stats["commissions"] = paid.total()
        self.month_stats["outside_commissions"] = math.fsum(
            paid.total_of(i) for i in self.outside_uplines
        )

    def uplines_qualified_share(self, qualified: set[int]) -> float:
        """Share of the market's uplines (an active person directly below) who qualify."""
        uplines = set()
        for part in self.active_participants():
            above = self.active_participant(self.placement.upline.get(part.pid, NO_ONE))
            if above is not None:
                uplines.add(above.pid)
        return sum(pid in qualified for pid in uplines) / len(uplines) if uplines else 1.0

    def running_costs(self) -> None:
        """Rule 6: fees and running costs, then each participant's net and gross income."""
        active = self.active_participants()
        active.do("pay_running_costs")
        q = self.plan.qualification_pv
        qualified, gross_qualified = 0, 0.0
        for part in active:
            net, gross = part.person.net_profit(), part.person.gross_income()
            part.month_net, part.net_before = net - part.net_before, net
            month_gross, part.gross_before = gross - part.gross_before, gross
            if part.pv >= q - 1e-9:
                qualified += 1
                gross_qualified += month_gross
        self.month_stats.update(
            qualified=qualified,
            qualified_gross_income=gross_qualified,
            customers_served=float(sum(a.served for a in active)),
            median_income=statistics.median(a.month_net for a in active) if active else math.nan,
        )

    def drop_out(self) -> None:
        """Rule 7: participants may quit; in plans with uplines their customers are passed on.

        A quitter's customers go to the quitter's nearest active sponsor, or
        are assigned by the company when no sponsor above is active.
        """
        self.active_participants().shuffle_do("consider_quitting")
        self.month_stats["quits"] = len(self.quitters)
        if not (self.plan.recruiting_reward and self.quitters):
            return
        quit_ids = {a.pid for a in self.quitters}
        for person in self.people_in(CUSTOMER):
            if person.seller in quit_ids:
                heir = self.participants[person.seller].sponsor
                while heir != NO_ONE and not self.participants[heir].active:
                    heir = self.participants[heir].sponsor
                person.seller = heir if heir != NO_ONE else self.assign_unserved()

    def spread_unhappiness(self) -> None:
        """Rule 7b: lapsed customers and quitters at a loss tell their ties."""
        if self.params.neg_wom_reach == 0:
            return
        for teller in self.unhappy:
            teller.tell_ties()

    def record(self) -> None:
        """Collect the month's values (docs/ODD.md section 8.1)."""
        active = self.active_participants()
        revenue, margin = self.company["receipts"], self.company_margin()
        before, self._company_before = self._company_before, (revenue, margin)
        self.month_stats.update(
            participants=len(active),
            customers=sum(person.state == CUSTOMER for person in self.people),
            new_customers=self.flows["new_customers"],
            customer_lapses=self.flows["customer_lapses"],
            retail_volume=self.flows["retail_volume"],
            internal_volume=self.flows["internal_volume"],
            consumer_sales=self.flows["consumer_sales"],
            members=sum(1 for a in active if a.motive == DISCOUNT),
            company_revenue=revenue - before[0],
            company_margin=margin - before[1],
        )
        self.datacollector.collect(self)
        self.month_stats["joins"] = 0

    # ---------------------------------------------------------------- reporting
    def sponsors_above(self, pid: int) -> list[int]:
        """The sponsor chain above `pid`, nearest first."""
        chain, sponsor = [], self.participants[pid].sponsor
        while sponsor != NO_ONE:
            chain.append(sponsor)
            sponsor = self.participants[sponsor].sponsor
        return chain

    def participant_table(self) -> pd.DataFrame:
        """One row per person who ever participated, as `MarketModel.participant_table`."""
        downline = dict.fromkeys(self.participants, 0)
        for pid in self.participants:
            for sponsor in self.sponsors_above(pid):
                downline[sponsor] += 1
        rows = []
        wage = self.params.opportunity_wage
        for pid in sorted(self.participants):
            part, person = self.participants[pid], self.people[pid]
            r = person.rows
            net = person.net_profit()
            rows.append(
                {
                    "id": pid,
                    "join_month": part.join_month,
                    "quit_month": part.quit_month if part.quit_month >= 0 else pd.NA,
                    "sponsor": part.sponsor if part.sponsor >= 0 else pd.NA,
                    "depth": part.depth,
                    "motive": MOTIVES[part.motive],
                    "downline_size": downline[pid],
                    "ties": len(person.ties),
                    **{name: getattr(person, name) for name in TRAITS},
                    "retail_profit": r[Row.RETAIL_SALES] + r[Row.RESALE_COST],
                    "commissions": r[Row.COMMISSION_PERSONAL] + r[Row.COMMISSION_OVERRIDE],
                    "override_income": r[Row.COMMISSION_OVERRIDE],
                    "fees": -r[Row.FEES],
                    "product_spend_excess": -r[Row.EXCESS],
                    "lead_spend": -r[Row.LEADS],
                    "business_expenses": -r[Row.EXPENSES],
                    "hours_worked": part.hours_worked,
                    "net_profit": net,
                    "net_profit_after_time": net - part.hours_worked * wage,
                }
            )
        table = pd.DataFrame(rows, columns=PARTICIPANT_COLUMNS)
        for column in ("quit_month", "sponsor"):
            table[column] = table[column].astype("Int64")
        for column in ("id", "join_month", "depth", "downline_size", "ties"):
            table[column] = table[column].astype("int64")
        table["motive"] = pd.Categorical(
            table["motive"], categories=[MOTIVES[BUSINESS], MOTIVES[DISCOUNT]]
        )
        return table

    def monthly_table(self) -> pd.DataFrame:
        """One row per month (index `month`, 1-based), as `MarketModel.monthly_table`."""
        table = self.datacollector.get_model_vars_dataframe()
        table.index = pd.RangeIndex(1, len(table) + 1, name="month")
        return table.loc[:, list(MONTHLY_COLUMNS)]

    def run_metrics(self) -> dict[str, float]:
        """The same metrics and calibration measures as `MarketModel.run_metrics`."""
        people, months = self.participant_table(), self.monthly_table()
        return {
            **metrics.run_metrics(people, months),
            **metrics.calibration_measures(people, months, self.n_people),
        }


PARTICIPANT_COLUMNS = (
    "id",
    "join_month",
    "quit_month",
    "sponsor",
    "depth",
    "motive",
    "downline_size",
    "ties",
    *TRAITS,
    "retail_profit",
    "commissions",
    "override_income",
    "fees",
    "product_spend_excess",
    "lead_spend",
    "business_expenses",
    "hours_worked",
    "net_profit",
    "net_profit_after_time",
)
"""The participant table's columns, in the fast model's order."""


def _quantile(ordered: list[float], q: float) -> float:
    """The q-quantile of sorted values, interpolating linearly between order statistics."""
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])
