"""MarketModel: people on a social network buy, sell, recruit and quit, month by month.

The monthly rules run vectorised over the arrays of `model.population`;
participants are also Mesa agents (`model.agents`), thin handles onto those
arrays for inspection, data collection and the app. The order of the rules
is the order of the methods called by `step` and is documented in
docs/ODD.md ("Process overview and scheduling").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

import mesa
import numpy as np
import pandas as pd

from model import metrics
from model.agents import Participant
from model.bass import bass_month_hazard
from model.ledger import Account, Ledger, Row
from model.network import make_network
from model.params import ModelParams, ParameterError, validate_params
from model.plans import PlanInput, make_plan
from model.plans.tree import next_marked_ancestor
from model.population import BUSINESS, DISCOUNT, MOTIVES, NO_ONE, Population

MONTHLY_COLUMNS = (
    "participants",
    "joins",
    "quits",
    "customers",
    "new_customers",
    "customer_lapses",
    "retail_volume",
    "internal_volume",
    "commissions",
    "outside_commissions",
    "potential_commissions",
    "median_income",
    "company_revenue",
    "company_margin",
    "members",
    "qualified",
    "qualified_gross_income",
    "customers_served",
    "consumer_sales",
)


@dataclass
class MonthFlows:
    """What happens within one month, reset at the start of each step."""

    pv: np.ndarray
    customer_sales: np.ndarray
    budget_left: np.ndarray
    worked: np.ndarray
    contacts: np.ndarray
    served: np.ndarray
    units_shipped: float = 0.0
    retail_volume: float = 0.0
    internal_volume: float = 0.0
    consumer_sales: float = 0.0
    new_customers: int = 0
    customer_lapses: int = 0
    unhappy: list[np.ndarray] = field(default_factory=list)
    stats: dict[str, float] = field(default_factory=dict)


def _month_stat(model: MarketModel, key: str) -> float:
    return model.month_stats[key]


class MarketModel(mesa.Model):
    """Agent-based model of a company selling through participants on a social network.

    Every keyword argument is a `ModelParams` field (see docs/ODD.md for
    units, ranges and sources). `plan` is a registered plan name or a plan
    object; `plan_params` overrides the plan's own parameters.

    Args:
        rng: seed or numpy Generator; all randomness in the run flows from it.
        **params: model parameters by name.

    Example:
        >>> m = MarketModel(rng=1, n_people=2_000, plan="unilevel")
        >>> m.run(24)
        >>> round(m.run_metrics()["success_rate"], 3)  # doctest: +SKIP
    """

    def __init__(self, rng: int | np.random.Generator | None = None, **params: Any) -> None:
        self.params: ModelParams = validate_params(**params)
        seed_ok = isinstance(rng, int | np.integer) and not isinstance(rng, bool) and rng >= 0
        if not (rng is None or seed_ok or isinstance(rng, np.random.Generator)):
            raise ParameterError(
                f"rng: must be a seed (an integer >= 0), a numpy Generator or None, got {rng!r}"
            )
        super().__init__(rng=rng)
        p = self.params
        self.plan = make_plan(p.plan, p.plan_params)
        self.wholesale = p.wholesale_price
        self.month = 0
        self.network = make_network(p.network, p.n_people, self.rng, **p.network_options)
        self.population = Population.draw(p, self.rng)
        self._place_outside_uplines()
        self.ledger = Ledger(p.n_people)
        self.participant_agents: dict[int, Participant] = {}
        self.month_stats: dict[str, float] = dict.fromkeys(MONTHLY_COLUMNS, 0.0)
        self.payout_checks: list[tuple[float, float]] = []
        self._net_before = np.zeros(p.n_people)
        self._gross_before = np.zeros(p.n_people)
        self._monthly_net = np.zeros(p.n_people)
        self._receptivity = np.ones(p.n_people)  # cache of population.receptivity
        # prequalifying: a contact is interested in the business when their propensity is
        # in the population's top recruit_focus share
        self._interest_cut = np.quantile(self.population.propensity, 1.0 - p.recruit_focus)
        self._adopters = np.zeros(p.n_people, dtype=bool)  # as of the last rule 3
        self._adopter_ties = np.zeros(p.n_people, dtype=np.int64)  # their counts per person
        self.datacollector = mesa.DataCollector(
            model_reporters={k: partial(_month_stat, key=k) for k in MONTHLY_COLUMNS}
        )
        founders = self.rng.choice(p.n_people, size=p.n_founders, replace=False)
        self._join(np.sort(founders), np.full(p.n_founders, NO_ONE), BUSINESS)
        self._net_before = self.ledger.net_profit()
        self._company_totals = (self.ledger.company_receipts, self.ledger.outside[Account.COMPANY])
        self.month_stats["joins"] = 0

    # ------------------------------------------------------------------ running
    def step(self) -> None:
        """Advance one month, applying the rules in their documented order."""
        self.month += 1
        pop = self.population
        n = pop.n
        flows = MonthFlows(
            pv=np.zeros(n),
            customer_sales=np.zeros(n),
            budget_left=pop.budget.copy(),
            worked=np.zeros(n),
            contacts=np.zeros(n),
            served=np.zeros(n),
        )
        self._prospect(flows)  # 1-2
        self._customers_join(flows)  # 2b
        self._word_of_mouth(flows)  # 3
        self._purchases(flows)  # 4
        self._pay_commissions(flows)  # 5
        self._book_running_costs(flows)  # 6
        self._drop_out(flows)  # 7
        self._spread_unhappiness(flows)  # 7b
        self._record(flows)

    def run(self, months: int) -> None:
        """Advance `months` months.

        Args:
            months: number of monthly steps (>= 1).
        """
        if not isinstance(months, int | np.integer) or months < 1:
            raise ValueError(f"months must be an integer >= 1, got {months!r}")
        for _ in range(months):
            self.step()

    # ------------------------------------------------------------ monthly rules
    def _prospect(self, flows: MonthFlows) -> None:
        """Steps 1-2: participants contact ties and bought leads; contacts buy or join.

        Warm contacts per month are Poisson with mean contacts_per_hour x the
        hours worked this month (`_hours_this_month`) x skill x (1 +
        training_effect); a contact converts with a probability that is a plain
        probability (never above 1): the base rate times the reach (1 for ties,
        cold_factor for leads), the target's receptivity and its affinity (sale)
        or propensity (recruit). Only business participants pitch the
        opportunity, to a random recruit_focus share of their contacts or, when
        they prequalify, to the contacts interested in the business (propensity
        in the population's top recruit_focus share); discount members only
        mention the product.
        """
        p, pop, rng = self.params, self.population, self.rng
        sellers = np.flatnonzero(pop.active)
        if sellers.size == 0:
            return
        worked = self._hours_this_month(sellers)
        flows.worked[sellers] = worked
        talent = pop.skill[sellers] * (1.0 + p.training_effect)
        warm = rng.poisson(p.contacts_per_hour * worked * talent)
        leads = self._buy_leads(sellers, flows)
        flows.contacts[sellers] = warm + leads
        src = np.concatenate([np.repeat(sellers, warm), np.repeat(sellers, leads)])
        tgt = np.concatenate(
            [
                self.network.random_neighbors(src[: warm.sum()], rng),
                rng.integers(0, pop.n, size=int(leads.sum())),
            ]
        )
        reach = np.concatenate([np.ones(warm.sum()), np.full(leads.sum(), p.cold_factor)])
        keep = (tgt >= 0) & (tgt != src) & ~pop.active[np.maximum(tgt, 0)]
        keep &= ~pop.former[np.maximum(tgt, 0)]
        order = rng.permutation(np.flatnonzero(keep))
        src, tgt, reach = src[order], tgt[order], reach[order]
        if src.size == 0:
            return
        base = reach * self._receptivity[tgt]
        pitch_opportunity = np.zeros(src.size, dtype=bool)
        if self.plan.recruiting_reward:
            pitch_opportunity = rng.random(src.size) < p.recruit_focus
            if p.prequalify:  # same draws, so a paired run differs only in whom is pitched
                pitch_opportunity = pop.propensity[tgt] >= self._interest_cut
            pitch_opportunity &= pop.motive[src] == BUSINESS
        u = rng.random(src.size)
        recruited = pitch_opportunity & (u < p.recruit_prob * base * pop.propensity[tgt])
        sold = (
            ~pitch_opportunity & ~pop.customer[tgt] & (u < p.sale_prob * base * pop.affinity[tgt])
        )
        received = np.bincount(tgt, minlength=pop.n)
        pop.contacts_received += received
        contacted = np.flatnonzero(received)
        self._receptivity[contacted] = pop.receptivity(p, contacted)
        new_recruits, first = np.unique(tgt[recruited], return_index=True)
        self._join(new_recruits, src[recruited][first], BUSINESS)
        sold &= ~pop.active[tgt]  # a contact recruited this month is not also sold to
        new_customers, first = np.unique(tgt[sold], return_index=True)
        pop.customer[new_customers] = True
        pop.seller[new_customers] = src[sold][first]
        flows.new_customers += new_customers.size

    def _hours_this_month(self, sellers: np.ndarray) -> np.ndarray:
        """Hours each of `sellers` works this month.

        A business participant plans `hours_i` and adjusts them to what the
        business pays: hours_i x (1 + effort_response x g), where g = (y - E) / E
        is the gap between perceived income y and expected income E =
        expected_wage x hours_i, floored at -1 (a participant earning nothing
        works (1 - effort_response) of the plan); capped at max_hours. A
        discount member works member_effort x hours_i.
        """
        p, pop = self.params, self.population
        planned = pop.hours[sellers]
        expected = p.expected_wage * planned
        gap = np.divide(
            pop.perceived_income[sellers] - expected,
            expected,
            out=np.zeros(sellers.size),
            where=expected > 0,
        )
        worked = np.minimum(
            planned * (1.0 + p.effort_response * np.maximum(gap, -1.0)), p.max_hours
        )
        member = pop.motive[sellers] == DISCOUNT
        worked[member] = p.member_effort * planned[member]
        return worked

    def _buy_leads(self, sellers: np.ndarray, flows: MonthFlows) -> np.ndarray:
        """Leads bought by each seller, limited by budget; pays the lead vendors."""
        p = self.params
        if p.leads_per_month == 0:
            return np.zeros(sellers.size, dtype=np.int64)
        wanted = self.rng.poisson(p.leads_per_month, sellers.size)
        wanted[self.population.motive[sellers] != BUSINESS] = 0
        if p.cost_per_lead > 0:
            affordable = np.floor(flows.budget_left[sellers] / p.cost_per_lead).astype(np.int64)
            wanted = np.minimum(wanted, affordable)
        cost = wanted * p.cost_per_lead
        flows.budget_left[sellers] -= cost
        self.ledger.person_to_outside(sellers, cost, Row.LEADS, Account.LEAD_VENDORS)
        return wanted

    def _customers_join(self, flows: MonthFlows) -> None:
        """Step 2b: customers join as participants, for the income or for the discount.

        A customer c joins for the business with probability customer_join_prob
        x propensity_c. Where participants buy at a discount (resale plans), a
        customer for whom membership pays, i.e. whose expected saving
        consumption_c x affinity_c x retail_price x distributor_discount per
        month, over payback_months, exceeds the starter fee plus the monthly
        fees over that horizon, joins as a discount member with probability
        discount_join_prob. They join under the participant who sold to them,
        or under the company when there is none.
        """
        p, pop = self.params, self.population
        if p.customer_join_prob == 0 and p.discount_join_prob == 0:
            return
        cust = np.flatnonzero(pop.customer)
        u = self.rng.random(cust.size)
        business = u < p.customer_join_prob * pop.propensity[cust]
        discount = np.zeros(cust.size, dtype=bool)
        if self.plan.resale and p.discount_join_prob > 0:
            saving = self._member_saving(cust)
            cost = self.plan.starter_fee + self.plan.monthly_fee * p.payback_months
            pays = saving * p.payback_months > cost
            discount = ~business & pays & (self.rng.random(cust.size) < p.discount_join_prob)
        for motive, joining in ((BUSINESS, business), (DISCOUNT, discount)):
            joins = cust[joining]
            if joins.size:
                sponsor = pop.seller[joins]
                orphan = (sponsor < 0) | ~pop.active[np.maximum(sponsor, 0)]
                self._join(joins, np.where(orphan, NO_ONE, sponsor), motive)

    def _member_saving(self, people: np.ndarray) -> np.ndarray:
        """Expected monthly saving of buying at wholesale instead of retail [$/month]."""
        p, pop = self.params, self.population
        use = pop.consumption[people] * pop.affinity[people]
        return use * p.retail_price * p.distributor_discount

    def _word_of_mouth(self, flows: MonthFlows) -> None:
        """Step 3: unpaid word of mouth (Bass imitation) and spontaneous adoption.

        A prospect i adopts the product (becomes a customer of the company)
        with hazard w_i (p + q f_i(t)) per year, where w_i = a_i r_i is its
        affinity times its receptivity, f_i(t) the share of its ties who are
        adopters (customers or participants) and p, q the Bass coefficients
        per year. Over the month (dt = 1/12 year) f_i follows the Bass equation
        df/dt = w (p + q f)(1 - f) from its value at the start of the month,
        with w the prospects' mean weight; integrated exactly, the month's
        cumulative hazard is H_i = (w_i / w) ln((1 - f_i) / (1 - f_i')), where
        f_i' = (R - P) / (R + Q), R = (P + Q f_i) / (1 - f_i) e^{(P + Q) dt},
        P = w p and Q = w q, and i adopts with probability 1 - e^{-H_i}. On a
        complete graph with equal weights this is the closed-form Bass curve
        month by month, with no discretisation error. Adopters who imitated a
        tie (probability 1 - w_i p dt / H_i) buy through that tie's channel
        (`_word_of_mouth_channel`).
        """
        p, pop, net = self.params, self.population, self.network
        if p.bass_p == 0 and p.bass_q == 0:
            return
        adopter = pop.customer | pop.active
        cand = np.flatnonzero(~adopter & ~pop.former)
        if cand.size == 0:
            return
        weight = pop.affinity[cand] * self._receptivity[cand]
        share = self._count_adopter_ties(adopter)[cand] / np.maximum(net.degree[cand], 1)
        hazard = bass_month_hazard(weight, share, p.bass_p, p.bass_q, 1.0 / 12.0)
        adopted = self.rng.random(cand.size) < -np.expm1(-hazard)
        adopt = cand[adopted]
        innovation = weight[adopted] * p.bass_p / 12.0
        imitated = self.rng.random(adopt.size) * hazard[adopted] >= innovation
        seller = self._word_of_mouth_channel(adopt[imitated], adopt, adopter)
        pop.seller[adopt] = self._assign_unserved(seller)
        pop.customer[adopt] = True
        flows.new_customers += adopt.size

    def _count_adopter_ties(self, adopter: np.ndarray) -> np.ndarray:
        """Adopting ties per person, updated from last month's counts by the changes only."""
        changed = np.flatnonzero(adopter != self._adopters)
        if changed.size:
            signs = np.where(adopter[changed], 1, -1)
            self._adopter_ties += self.network.tie_counts(changed, signs)
        self._adopters = adopter
        return self._adopter_ties

    def _word_of_mouth_channel(
        self, imitators: np.ndarray, adopters: np.ndarray, told_by: np.ndarray
    ) -> np.ndarray:
        """Who each new adopter buys through: the channel of the tie it imitated.

        An imitator heard of the product from a uniformly random adopting tie.
        It buys through that tie if the tie is an active participant, through
        the tie's seller if the tie is a customer served by an active
        participant, and from the company otherwise (as do spontaneous
        adopters).
        """
        pop = self.population
        seller = np.full(adopters.size, NO_ONE, dtype=pop.seller.dtype)
        teller = self.network.random_marked_neighbors(imitators, told_by, self.rng)
        found = teller >= 0
        via = np.full(imitators.size, NO_ONE, dtype=np.int64)
        t = teller[found]
        tie_seller = pop.seller[t]
        served = (tie_seller >= 0) & pop.active[np.maximum(tie_seller, 0)]
        via[found] = np.where(pop.active[t], t, np.where(served, tie_seller, NO_ONE))
        position = np.searchsorted(adopters, imitators)
        seller[position] = via
        return seller

    def _purchases(self, flows: MonthFlows) -> None:
        """Step 4: customers buy or lapse; participants buy for own use and to qualify."""
        self._customer_purchases(flows)
        self._participant_purchases(flows)
        self.ledger.company_buys_goods(flows.units_shipped * self.params.unit_cost)

    def _customer_purchases(self, flows: MonthFlows) -> None:
        """Customers buy their consumption at retail (within budget) or may lapse."""
        p, pop, led, rng = self.params, self.population, self.ledger, self.rng
        cust = np.flatnonzero(pop.customer)
        buys = rng.random(cust.size) < pop.affinity[cust]
        lapse = cust[~buys][rng.random((~buys).sum()) < p.customer_lapse_prob]
        pop.customer[lapse] = False
        pop.seller[lapse] = NO_ONE
        flows.customer_lapses += lapse.size
        flows.unhappy.append(lapse)
        buyers = cust[buys]
        units = np.minimum(pop.consumption[buyers], pop.budget[buyers] / p.retail_price)
        spend = units * p.retail_price
        seller = pop.seller[buyers]
        served = (seller >= 0) & pop.active[np.maximum(seller, 0)]
        flows.served += np.bincount(seller[served], minlength=pop.n)
        flows.units_shipped += units.sum()
        flows.retail_volume += units.sum() * self.wholesale
        flows.consumer_sales += spend.sum()
        # resale plans: served customers buy from their seller; otherwise all buy from the company
        direct = ~served if self.plan.resale else np.ones(buyers.size, dtype=bool)
        if self.plan.resale:
            via, via_seller = buyers[served], seller[served]
            led.person_to_person(via, via_seller, spend[served], Row.CONSUMPTION, Row.RETAIL_SALES)
            resold = (
                np.bincount(via_seller, weights=units[served], minlength=pop.n) * self.wholesale
            )
            resellers = np.flatnonzero(resold)
            led.person_to_outside(resellers, resold[resellers], Row.RESALE_COST, Account.COMPANY)
            flows.pv += resold
        else:
            flows.customer_sales += np.bincount(
                seller[served], weights=spend[served], minlength=pop.n
            )
        led.person_to_outside(buyers[direct], spend[direct], Row.CONSUMPTION, Account.COMPANY)

    def _participant_purchases(self, flows: MonthFlows) -> None:
        """Participants buy their own use; business participants also buy to qualify.

        Business participants buy up to the qualification volume (autoship)
        when their budget allows. Own use is consumption_i x affinity_i units
        a month (a participant's expected use, bought every month), within
        budget, and counts toward personal volume as in real plans. The
        top-up beyond own use and resale is product_spend_excess.
        """
        pop, led = self.population, self.ledger
        w = self.wholesale
        act = np.flatnonzero(pop.active)
        own_cost = np.minimum(pop.consumption[act] * pop.affinity[act] * w, flows.budget_left[act])
        led.person_to_outside(act, own_cost, Row.OWN_USE, Account.COMPANY)
        flows.budget_left[act] -= own_cost
        flows.pv[act] += own_cost
        internal = own_cost.sum()
        q = self.plan.qualification_pv
        if q > 0:
            short = q - flows.pv[act]
            business = pop.motive[act] == BUSINESS
            top = business & (short > 0) & (flows.budget_left[act] >= short)
            who, topped = act[top], short[top]
            led.person_to_outside(who, topped, Row.EXCESS, Account.COMPANY)
            flows.budget_left[who] -= topped
            flows.pv[who] += topped
            internal += topped.sum()
        flows.internal_volume += internal
        flows.consumer_sales += internal
        flows.units_shipped += internal / w

    def _pay_commissions(self, flows: MonthFlows) -> None:
        """Step 5: the plan turns the month's volumes into commissions.

        The outside uplines (`_place_outside_uplines`) are active, buy
        nothing, and qualify each month with probability equal to the share
        of the market's own uplines (active participants with an active
        participant placed directly below them) who qualify: they are assumed
        to behave like the uplines the model does see.
        """
        pop, n, k = self.population, self.population.n, self._outside_upline.size
        qualified = pop.active & (flows.pv >= self.plan.qualification_pv - 1e-9)
        upline, active, pv, sales = pop.upline, pop.active.copy(), flows.pv, flows.customer_sales
        if k:
            outside_qualified = self.rng.random(k) < self._upline_qualified_share(qualified)
            upline = np.concatenate((upline, self._outside_upline))
            active = np.concatenate((active, np.ones(k, dtype=bool)))
            qualified = np.concatenate((qualified, outside_qualified))
            pv, sales = np.concatenate((pv, np.zeros(k))), np.concatenate((sales, np.zeros(k)))
        volumes = PlanInput(
            upline=upline,
            active=active,
            qualified=qualified,
            pv=pv,
            customer_sales=sales,
            month=self.month,
        )
        flows.stats["potential_commissions"] = self.plan.potential_pay(volumes)
        payout = self.plan.pay(volumes)
        for amounts, row in (
            (payout.personal[:n], Row.COMMISSION_PERSONAL),
            (payout.override[:n], Row.COMMISSION_OVERRIDE),
        ):
            paid = np.flatnonzero(amounts)
            self.ledger.outside_to_person(Account.COMPANY, paid, amounts[paid], row)
        outside = float(payout.total[n:].sum())
        self.ledger.company_pays_outside_uplines(outside)
        flows.stats["outside_commissions"] = outside
        basis = flows.pv if self.plan.volume_basis == "pv" else flows.customer_sales
        self.payout_checks.append(
            (float(payout.total.sum()), self.plan.max_payout_share * float(basis.sum()))
        )
        flows.stats["commissions"] = float(payout.total.sum())

    def _upline_qualified_share(self, qualified: np.ndarray) -> float:
        """Share of the market's uplines who qualify this month (1 when there are none)."""
        pop = self.population
        below = pop.upline[pop.active]
        below = below[(below >= 0) & (below < pop.n)]
        uplines = np.zeros(pop.n, dtype=bool)
        uplines[below] = True
        uplines &= pop.active
        return float(qualified[uplines].mean()) if uplines.any() else 1.0

    def _place_outside_uplines(self) -> None:
        """Place the chain of uplines above the market's founders, outside the population.

        With `outside_upline` on, in plans that reward recruiting, the modelled
        population is one local market of a larger company: its founders (and
        anyone else who joins under the company) were sponsored by participants
        outside it. The plan sees a chain of `plan.outside_levels` such uplines
        above the market, with ids n_people, n_people + 1, ... (the nearest
        first); what the plan pays them on the market's volume is booked to
        the ledger's OUTSIDE_UPLINES account. They are not people of the model.
        """
        p, n = self.params, self.params.n_people
        k = self.plan.outside_levels if p.outside_upline and self.plan.recruiting_reward else 0
        self.plan.reset(n + k)
        self._outside_upline = np.full(k, NO_ONE, dtype=np.int64)
        for level in range(k - 2, -1, -1):  # from the top down: each under the one above
            upline = np.concatenate((self.population.upline, self._outside_upline))
            ids = np.array([n + level])
            self._outside_upline[level] = self.plan.place(ids, ids + 1, upline)[0]

    def _book_running_costs(self, flows: MonthFlows) -> None:
        """Step 6: fees, running costs that follow activity, hours; the month's income.

        Every participant pays the plan's monthly fee; business participants
        also pay training_cost. Running costs are cost_per_contact per contact
        made, cost_per_customer per buying customer served and, for business
        participants, fixed_cost; they are cut to what is left of the month's
        budget.
        """
        p, pop, led = self.params, self.population, self.ledger
        act = np.flatnonzero(pop.active)
        business = pop.motive[act] == BUSINESS
        fee = self.plan.monthly_fee + np.where(business, p.training_cost, 0.0)
        if np.any(fee > 0):
            led.person_to_outside(act, fee, Row.FEES, Account.COMPANY)
        running = (
            p.cost_per_contact * flows.contacts[act]
            + p.cost_per_customer * flows.served[act]
            + np.where(business, p.fixed_cost, 0.0)
        )
        running = np.minimum(running, np.maximum(flows.budget_left[act], 0.0))
        if np.any(running > 0):
            led.person_to_outside(act, running, Row.EXPENSES, Account.THIRD_PARTIES)
        pop.hours_worked[act] += flows.worked[act]
        net_now = led.net_profit()
        self._monthly_net = net_now - self._net_before
        self._net_before = net_now
        gross_now = led.gross_income()
        gross = gross_now[act] - self._gross_before[act]
        self._gross_before = gross_now
        qualified = flows.pv[act] >= self.plan.qualification_pv - 1e-9
        flows.stats["qualified"] = int(qualified.sum())
        flows.stats["qualified_gross_income"] = float(gross[qualified].sum())
        flows.stats["customers_served"] = float(flows.served.sum())
        flows.stats["median_income"] = (
            float(np.median(self._monthly_net[act])) if act.size else float("nan")
        )

    def _drop_out(self, flows: MonthFlows) -> None:
        """Step 7: participants quit; business participants over income, members over the product.

        A business participant's hazard is base + w_d clip((E - y) / E, 0, 1) +
        w_l L / (L + T), where y is perceived (smoothed) monthly net income, E =
        expected_wage x hours_i the income expected for the planned hours, L the
        accumulated loss and T the loss tolerance (months of budget). A
        discount member's hazard is base + customer_lapse_prob (1 - affinity_i)
        (losing interest in the product, as customers lapse) + w_d when
        membership no longer pays (monthly saving below the monthly fee).
        Participants who joined this month do not quit in it. In plans with
        uplines, the customers of those who quit are passed to their nearest
        active sponsor (or the company).
        """
        p, pop = self.params, self.population
        act = np.flatnonzero(pop.active)
        pop.perceived_income[act] = (
            p.income_smoothing * self._monthly_net[act]
            + (1 - p.income_smoothing) * pop.perceived_income[act]
        )
        act = act[pop.join_month[act] < self.month]
        expected = p.expected_wage * pop.hours[act]
        gap = np.divide(
            expected - pop.perceived_income[act],
            expected,
            out=np.ones(act.size),
            where=expected > 0,
        )
        loss = np.maximum(-self._net_before[act], 0.0)
        tolerance = p.loss_tolerance_months * pop.budget[act]
        loss_term = np.divide(loss, loss + tolerance, out=np.zeros_like(loss), where=loss > 0)
        hazard = p.disappointment_weight * np.clip(gap, 0.0, 1.0) + p.loss_weight * loss_term
        member = pop.motive[act] == DISCOUNT
        if member.any():
            who = act[member]
            unpaid = self._member_saving(who) < self.plan.monthly_fee
            hazard[member] = p.customer_lapse_prob * (1.0 - pop.affinity[who])
            hazard[member] += p.disappointment_weight * unpaid
        hazard = np.clip(p.base_quit_prob + hazard, 0.0, 1.0)
        quit = act[self.rng.random(act.size) < hazard]
        pop.active[quit] = False
        pop.former[quit] = True
        pop.quit_month[quit] = self.month
        if self.plan.recruiting_reward and quit.size:
            self._pass_on_customers(quit)
        flows.unhappy.append(quit[self._net_before[quit] < 0])
        flows.stats["quits"] = quit.size

    def _pass_on_customers(self, quit: np.ndarray) -> None:
        """Customers of participants who quit are served by their nearest active sponsor.

        Where no sponsor above is active, the company assigns them
        (`_assign_unserved`).
        """
        pop = self.population
        heir = np.arange(pop.n)
        heir[quit] = next_marked_ancestor(pop.sponsor, pop.active, quit)
        cust = np.flatnonzero(pop.customer & (pop.seller >= 0))
        pop.seller[cust] = self._assign_unserved(heir[pop.seller[cust]])

    def _assign_unserved(self, seller: np.ndarray) -> np.ndarray:
        """Where the plan sells only through participants, give sellerless customers one.

        In plans with uplines (MLM), the company sells only through its
        participants: a customer with no seller (NO_ONE) is assigned to a
        business participant drawn uniformly at random, as companies assign
        unreferred orders and sign-ups. In other plans, and when no business
        participant is active, `seller` is returned unchanged.
        """
        lost = np.flatnonzero(seller < 0)
        if not self.plan.recruiting_reward or lost.size == 0:
            return seller
        pop = self.population
        servers = np.flatnonzero(pop.active & (pop.motive == BUSINESS))
        if servers.size == 0:
            return seller
        seller = seller.copy()
        seller[lost] = servers[self.rng.integers(0, servers.size, lost.size)]
        return seller

    def _spread_unhappiness(self, flows: MonthFlows) -> None:
        """Step 7b: lapsed customers and participants who quit at a loss tell their ties."""
        p, pop = self.params, self.population
        tellers = np.zeros(pop.n, dtype=bool)
        for group in flows.unhappy:
            tellers[group] = True
        if p.neg_wom_reach == 0 or not tellers.any():
            return
        told = self.network.neighbor_counts(tellers)
        hearers = np.flatnonzero(told)
        pop.stories_heard[hearers] += self.rng.binomial(told[hearers], p.neg_wom_reach)
        self._receptivity[hearers] = pop.receptivity(p, hearers)

    def _join(self, people: np.ndarray, sponsors: np.ndarray, motive: int) -> None:
        """People become participants under their sponsors and pay the starter fee.

        A business participant starts with the income it was promised as its
        perceived income (expected_wage x hours); a member expects none.
        """
        if people.size == 0:
            return
        pop = self.population
        pop.active[people] = True
        pop.customer[people] = False
        pop.seller[people] = NO_ONE
        pop.join_month[people] = self.month
        pop.sponsor[people] = sponsors
        has = sponsors >= 0
        pop.depth[people] = np.where(has, pop.depth[np.maximum(sponsors, 0)] + 1, 1)
        upline = pop.upline
        if self._outside_upline.size:
            sponsors = np.where(has, sponsors, pop.n)  # under the nearest outside upline
            upline = np.concatenate((upline, self._outside_upline))
        pop.upline[people] = self.plan.place(people, sponsors, upline)
        pop.motive[people] = motive
        expected = self.params.expected_wage * pop.hours[people]
        pop.perceived_income[people] = expected if motive == BUSINESS else 0.0
        fee = self.plan.starter_fee
        if fee > 0:
            self.ledger.person_to_outside(
                people, np.full(people.size, fee), Row.FEES, Account.COMPANY
            )
        self.month_stats["joins"] = self.month_stats.get("joins", 0) + people.size
        for person in people.tolist():
            self.participant_agents[person] = Participant(self, person)

    def _record(self, flows: MonthFlows) -> None:
        pop, led = self.population, self.ledger
        revenue = led.company_receipts
        margin = led.outside[Account.COMPANY]
        prev, self._company_totals = self._company_totals, (revenue, margin)
        self.month_stats.update(
            participants=int(pop.active.sum()),
            customers=int(pop.customer.sum()),
            new_customers=flows.new_customers,
            customer_lapses=flows.customer_lapses,
            retail_volume=flows.retail_volume,
            internal_volume=flows.internal_volume,
            consumer_sales=flows.consumer_sales,
            members=int((pop.active & (pop.motive == DISCOUNT)).sum()),
            company_revenue=revenue - prev[0],
            company_margin=margin - prev[1],
            **flows.stats,
        )
        self.datacollector.collect(self)
        self.month_stats["joins"] = 0

    # -------------------------------------------------------------- reporting
    def participant_table(self) -> pd.DataFrame:
        """One row per person who ever participated (columns in docs/architecture.md)."""
        pop, rows = self.population, self.ledger.rows
        ids = pop.ever_joined()
        retail = rows[Row.RETAIL_SALES, ids] + rows[Row.RESALE_COST, ids]
        personal, override = rows[Row.COMMISSION_PERSONAL, ids], rows[Row.COMMISSION_OVERRIDE, ids]
        net = self.ledger.net_profit()[ids]
        quit_month = pd.arrays.IntegerArray(pop.quit_month[ids], pop.quit_month[ids] < 0)
        sponsor = pd.arrays.IntegerArray(pop.sponsor[ids], pop.sponsor[ids] < 0)
        return pd.DataFrame(
            {
                "id": ids,
                "join_month": pop.join_month[ids],
                "quit_month": quit_month,
                "sponsor": sponsor,
                "depth": pop.depth[ids],
                "motive": pd.Categorical.from_codes(
                    pop.motive[ids] - 1, categories=[MOTIVES[BUSINESS], MOTIVES[DISCOUNT]]
                ),
                "downline_size": pop.downline_size()[ids],
                "ties": self.network.degree[ids],
                "affinity": pop.affinity[ids],
                "consumption": pop.consumption[ids],
                "skill": pop.skill[ids],
                "propensity": pop.propensity[ids],
                "hours": pop.hours[ids],
                "budget": pop.budget[ids],
                "retail_profit": retail,
                "commissions": personal + override,
                "override_income": override,
                "fees": 0.0 - rows[Row.FEES, ids],
                "product_spend_excess": 0.0 - rows[Row.EXCESS, ids],
                "lead_spend": 0.0 - rows[Row.LEADS, ids],
                "business_expenses": 0.0 - rows[Row.EXPENSES, ids],
                "hours_worked": pop.hours_worked[ids],
                "net_profit": net,
                "net_profit_after_time": net - pop.hours_worked[ids] * self.params.opportunity_wage,
            }
        )

    def monthly_table(self) -> pd.DataFrame:
        """One row per month simulated (index `month`, 1-based), from the DataCollector."""
        table = self.datacollector.get_model_vars_dataframe()
        table.index = pd.RangeIndex(1, len(table) + 1, name="month")
        return table.loc[:, list(MONTHLY_COLUMNS)]

    def run_metrics(self) -> dict[str, float]:
        """Per-run metrics and calibration measures.

        See `model.metrics.run_metrics` and `model.metrics.calibration_measures`.
        """
        people, months = self.participant_table(), self.monthly_table()
        return {
            **metrics.run_metrics(people, months),
            **metrics.calibration_measures(people, months, self.params.n_people),
        }

    def check_invariants(self) -> None:
        """Assert the accounting identities and state rules hold.

        Raises:
            AssertionError: naming the identity or rule that is broken.
        """
        self.ledger.check()
        pop = self.population
        if np.any(pop.active & pop.former):
            raise AssertionError("someone is both an active and a former participant")
        if np.any(pop.customer & (pop.active | pop.former)):
            raise AssertionError("a customer is also a (former) participant")
        for month, (paid, bound) in enumerate(self.payout_checks, start=1):
            if paid > bound * (1 + 1e-9) + 1e-9:
                raise AssertionError(
                    f"month {month}: plan paid {paid:.2f} > its maximum share ({bound:.2f})"
                )
        led = self.ledger
        rows = led.rows.sum(axis=1)
        gross = -(rows[Row.CONSUMPTION] + rows[Row.OWN_USE] + rows[Row.EXCESS] + rows[Row.FEES])
        retail_margin = rows[Row.RETAIL_SALES] + rows[Row.RESALE_COST]
        parts = led.company_cogs + led.company_commissions + retail_margin
        parts += led.outside[Account.COMPANY]
        if abs(gross - parts) > 1e-6 * max(1.0, gross):
            raise AssertionError(
                f"gross sales {gross:.2f} != cogs + commissions + retail margins + company margin"
                f" ({parts:.2f})"
            )
