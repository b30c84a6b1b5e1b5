"""More monthly rules by hand: edge cases of the rules in tests/test_rules.py.

Same approach as tests/test_rules.py (small explicit models, one rule at a time,
expected values worked out by hand or from the ODD formula written out here):
draws made once per person or contact, people at index 0 and at the edges of
the guards (an expectation of 0, a share of 1, a single candidate), and flows
that add up within a month.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from model.bass import bass_month_hazard
from model.distributions import Distribution
from model.ledger import Account, Row
from model.model import MONTHLY_COLUMNS
from model.network import CsrNetwork
from model.params import validate_params
from model.population import DISCOUNT, NO_ONE, Population
from tests.test_rules import const, flows, join, small, within


# ---------------------------------------------------------------- the Bass month (ODD 7.3)
def _exact_hazard(weight: list[float], share: list[float], p: float, q: float, dt: float):
    """H_i = (w_i / w) ln((1 - f_i) / (1 - f_i')), f' = (R - P) / (R + Q), written out."""
    w = sum(weight) / len(weight)
    big_p, big_q = w * p, w * q
    out = []
    for wi, f in zip(weight, share, strict=True):
        if f >= 1.0:
            out.append(wi * (p + q) * dt)
            continue
        r = (big_p + big_q * f) / (1 - f) * math.exp((big_p + big_q) * dt)
        after = (r - big_p) / (r + big_q)
        out.append(wi / w * math.log((1 - f) / (1 - after)))
    return out


def test_bass_hazard_when_every_tie_has_adopted_is_the_full_rate():
    """f = 1: H = w (p + q) dt, e.g. 2 x (0.5 + 2) x 0.5 = 2.5; others follow the exact step."""
    weight, share = [1.0, 2.0, 1.5], [0.0, 1.0, 0.4]
    got = bass_month_hazard(np.array(weight), np.array(share), 0.5, 2.0, 0.5)
    assert got[1] == pytest.approx(2.5, rel=1e-12)
    np.testing.assert_allclose(got, _exact_hazard(weight, share, 0.5, 2.0, 0.5), rtol=1e-12)


def test_bass_hazard_with_a_share_of_one_divides_by_nothing():
    """The closed ties (f = 1) never enter the exact formula, whose 1 - f would be 0."""
    with np.errstate(all="raise"):
        got = bass_month_hazard(np.array([1.0, 1.0]), np.array([1.0, 0.5]), 0.2, 3.0, 0.25)
    assert got[0] == pytest.approx(1.0 * 3.2 * 0.25)


def test_bass_hazard_with_equal_coefficients_is_still_exact():
    """p = q (p - q = 0) is an ordinary Bass step, not the linear fallback w (p + q f) dt."""
    weight, share = [1.0, 0.5], [0.25, 0.5]
    got = bass_month_hazard(np.array(weight), np.array(share), 2.0, 2.0, 0.5)
    np.testing.assert_allclose(got, _exact_hazard(weight, share, 2.0, 2.0, 0.5), rtol=1e-12)
    # the linear fallback would give 1 x (2 + 2 x 0.25) x 0.5 = 1.25 for the first
    assert abs(got[0] - 1.25) > 0.05


def test_bass_hazard_with_p_plus_q_equal_to_one_is_still_exact():
    weight, share = [1.0, 1.0], [0.0, 0.6]
    got = bass_month_hazard(np.array(weight), np.array(share), 0.25, 0.75, 1.0)
    np.testing.assert_allclose(got, _exact_hazard(weight, share, 0.25, 0.75, 1.0), rtol=1e-12)


def test_bass_hazard_without_weight_is_zero():
    """Nobody receptive (all w = 0): H = 0 for every share, including f = 1."""
    got = bass_month_hazard(np.zeros(3), np.array([0.0, 0.5, 1.0]), 0.3, 2.0, 1 / 12)
    assert got.tolist() == [0.0, 0.0, 0.0]


def test_bass_hazard_without_coefficients_is_zero():
    """p = q = 0: nobody adopts, whatever the weights and shares."""
    got = bass_month_hazard(np.array([1.0, 0.5]), np.array([0.5, 1.0]), 0.0, 0.0, 1 / 12)
    assert got.tolist() == [0.0, 0.0]


def test_bass_hazard_of_nobody_is_empty_and_quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = bass_month_hazard(np.zeros(0), np.zeros(0), 0.3, 2.0, 1 / 12)
    assert got.shape == (0,)


def test_bass_hazard_is_computed_in_double_precision():
    """float32 inputs are widened first: the result matches the float64 formula to 1e-12."""
    weight = np.array([0.3, 0.7, 0.55], dtype=np.float32)
    share = np.array([0.2, 0.6, 1.0], dtype=np.float32)
    got = bass_month_hazard(weight, share, 0.4, 1.3, 1 / 12)
    exact = _exact_hazard([float(w) for w in weight], [float(f) for f in share], 0.4, 1.3, 1 / 12)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, exact, rtol=1e-12)


# ---------------------------------------------------------------- step 1: prospecting
def test_hours_with_no_expected_income_are_the_plan_and_an_income_of_one_counts():
    """E = expected_wage x hours = 10 x h. h = 0: E = 0, no gap, 0 hours worked (not 0/0);
    h = 0.1: E = 1, y = 2, g = 1, worked 0.1 x (1 + 0.5 x 1) = 0.15."""
    m = small(20, effort_response=0.5)
    join(m, [0, 1, 2])
    pop = m.population
    pop.hours[[0, 1, 2]] = [0.0, 0.0, 0.1]
    pop.perceived_income[[0, 1, 2]] = [0.0, 50.0, 2.0]
    worked = m._hours_this_month(np.array([0, 1, 2]))
    np.testing.assert_allclose(worked, [0.0, 0.0, 0.15])


def test_each_contact_draws_its_own_purchase():
    """Referral, leads only (reach cold_factor 0.5): a pitch sells with 0.8 x 0.5 x affinity 0.5
    = 0.2, each on its own draw. A target pitched k times buys with 1 - 0.8^k."""
    n = 4000
    m = small(
        n,
        plan="referral",
        contacts_per_hour=0.0,
        leads_per_month=5000.0,
        cost_per_lead=1.0,
        budget=const(800.0),  # 800 leads
        cold_factor=0.5,
        sale_prob=0.8,
        saturation_contacts=1e9,
    )
    join(m, [0])
    m.month = 1
    m._prospect(flows(m))
    pop = m.population
    k = pop.contacts_received[1:]
    chance = 1 - 0.8**k
    assert k.sum() > 750  # the leads that hit the seller itself are dropped
    sd = math.sqrt((chance * (1 - chance)).sum())
    assert abs(pop.customer.sum() - chance.sum()) <= 4 * sd


def test_each_contact_draws_whether_it_is_pitched_the_opportunity():
    """Unilevel, recruit_focus 0.5, every pitch converts (probabilities 1): a contact is
    recruited with 0.5 and sold to otherwise; a target contacted k times joins with 1 - 0.5^k."""
    n = 4000
    m = small(
        n,
        contacts_per_hour=10.0,
        hours=const(30.0),  # 300 warm contacts
        recruit_focus=0.5,
        recruit_prob=1.0,
        sale_prob=1.0,
        affinity=const(1.0),
        saturation_contacts=1e9,
    )
    join(m, [0])
    m.month = 1
    m._prospect(flows(m))
    pop = m.population
    k = pop.contacts_received
    chance = 1 - 0.5**k
    joined = pop.active.sum() - 1
    assert k.sum() > 200 and pop.customer.sum() > 0
    assert abs(joined - chance.sum()) <= 4 * math.sqrt((chance * (1 - chance)).sum())
    assert joined + pop.customer.sum() == np.count_nonzero(k)  # every target converts


def test_person_zero_is_reachable_by_a_lead():
    """Everyone but 0 is active: the leads that count all go to 0 (ids 0..n-1 are drawn)."""
    m = small(20, contacts_per_hour=0.0, leads_per_month=10.0, cost_per_lead=0.0, sale_prob=0.0)
    join(m, np.arange(1, 20))
    m.month = 1
    m._prospect(flows(m))
    # about 190 leads, each to 0 with 1/20: none at all has probability about 0.95^190
    assert m.population.contacts_received[0] > 0


def test_an_active_person_zero_is_not_a_prospect():
    """Everyone but 1 is active: every contact that counts reaches 1, none reaches 0."""
    m = small(20, contacts_per_hour=1.0, sale_prob=0.0, recruit_prob=0.0)
    join(m, np.r_[0, 2:20])
    m.month = 1
    m._prospect(flows(m))
    received = m.population.contacts_received
    assert received[1] > 0 and received[0] == 0 and not received[2:].any()


def test_a_single_contact_in_a_month_is_pitched():
    """Everyone but 1 is active; only 0 can buy a lead (budget 1.5, cost 1; the others have
    no budget), one a month: it reaches 1 with 1/20, and then sells (every probability is 1)."""
    m = small(
        20,
        plan="referral",
        contacts_per_hour=0.0,
        leads_per_month=100.0,
        cost_per_lead=1.0,
        budget=const(1.5),
        cold_factor=1.0,
        sale_prob=1.0,
        affinity=const(1.0),
        saturation_contacts=1e9,
    )
    join(m, np.r_[0, 2:20])
    pop = m.population
    pop.budget[2:] = 0.0
    m.month = 1
    reached = 0
    for _ in range(400):
        before = pop.contacts_received[1]
        m._prospect(flows(m))
        if pop.contacts_received[1] > before:
            reached += 1
            assert pop.customer[1]
        pop.customer[1], pop.seller[1] = False, NO_ONE
    assert reached > 0  # none in 400 would have probability 0.95^400, about 1e-9


def test_contacts_cut_the_receptivity_of_those_contacted():
    """receptivity = exp(-contacts_received / saturation_contacts) after the month."""
    m = small(20, contacts_per_hour=3.0, sale_prob=0.0, recruit_prob=0.0, saturation_contacts=4.0)
    join(m, [0])
    m.month = 1
    m._prospect(flows(m))
    received = m.population.contacts_received
    assert received.sum() > 10
    np.testing.assert_allclose(m._receptivity, np.exp(-received / 4.0))


# ---------------------------------------------------------------- step 3: word of mouth
def test_the_only_candidate_with_its_only_tie_adopted_adopts_at_the_full_rate():
    """One tie, 0 - 1; everyone but 1 is a customer: 1 is the only candidate and its one
    tie has adopted (f = 1/1), so H = w (p + q) dt = 1 x (0.1 + 6) / 12, adopting with 1 - e^-H
    (about 0.40; f = 1/2 would give about 0.25)."""
    m = small(20, bass_p=0.1, bass_q=6.0, affinity=const(1.0))
    m.network = CsrNetwork.from_edges(20, np.array([0]), np.array([1]))
    pop = m.population
    pop.customer[:] = True
    pop.customer[1] = False
    adopted = 0
    for _ in range(2000):
        m._word_of_mouth(flows(m))
        adopted += pop.customer[1]
        pop.customer[1], pop.seller[1] = False, NO_ONE
    assert within(adopted / 2000, 1 - math.exp(-6.1 / 12), 2000)


def test_an_imitator_without_an_adopting_tie_buys_from_the_company():
    """No tie of 10 is marked: it buys from the company, not through the last person (19, a
    customer served by the active 0)."""
    m = small(20)
    join(m, [0])
    m.population.customer[19], m.population.seller[19] = True, 0
    told_by = np.zeros(20, dtype=bool)
    got = m._word_of_mouth_channel(np.array([10]), np.array([10]), told_by)
    assert got.tolist() == [NO_ONE]


# ---------------------------------------------------------------- step 4: purchases
def test_lapses_add_to_the_months_count():
    """Two customers who never buy lapse for sure: 3 counted earlier this month + 2."""
    m = small(20, affinity=const(0.0), customer_lapse_prob=1.0)
    m.population.customer[[5, 6]] = True
    f = flows(m)
    f.customer_lapses = 3
    m._customer_purchases(f)
    assert f.customer_lapses == 5


# ---------------------------------------------------------------- step 6: running costs
def test_running_costs_under_a_dollar_are_charged():
    """0.25 a contact, 2 contacts: 0.5 of expenses."""
    m = small(20, cost_per_contact=0.25, fixed_cost=0.0)
    join(m, [0])
    f = flows(m)
    f.contacts[0] = 2
    m._book_running_costs(f)
    assert m.ledger.rows[Row.EXPENSES][0] == pytest.approx(-0.5)


def test_qualified_gross_income_counts_only_this_months_income():
    """0 earned 30 before the month and 10 in it: the month's gross income is 10."""
    m = small(20, fixed_cost=0.0, plan_params={"qualification_pv": 0.0})
    join(m, [0])
    led = m.ledger
    led.outside_to_person(Account.COMPANY, np.array([0]), np.array([30.0]), Row.COMMISSION_PERSONAL)
    m._gross_before = led.gross_income().copy()
    led.outside_to_person(Account.COMPANY, np.array([0]), np.array([10.0]), Row.COMMISSION_PERSONAL)
    f = flows(m)
    m._book_running_costs(f)
    assert f.stats["qualified"] == 1
    assert f.stats["qualified_gross_income"] == pytest.approx(10.0)


def test_a_month_without_participants_has_no_median_income_and_no_warning():
    m = small(20)
    f = flows(m)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m._book_running_costs(f)
    assert math.isnan(f.stats["median_income"])


# ---------------------------------------------------------------- step 7: drop-out
def _quit_month_one(m, net: np.ndarray) -> np.ndarray:
    """Apply the drop-out rule in month 1 with this month's net incomes (smoothing 1)."""
    m._monthly_net = net
    m.month = 1
    m._drop_out(flows(m))
    return m.population.former


def test_drop_out_income_gap_when_little_or_no_income_is_expected():
    """E = 10 x hours. 0 plans no hours: E = 0 and it is fully disappointed (gap 1, hazard 1);
    1 plans 0.1 h: E = 1 and it earns 1 (gap 0); 2 earns its E = 100 (gap 0)."""
    m = small(20, disappointment_weight=1.0)
    join(m, [0, 1, 2])
    m.population.hours[[0, 1]] = [0.0, 0.1]
    net = np.zeros(20)
    net[:3] = [0.0, 1.0, 100.0]
    assert _quit_month_one(m, net)[:3].tolist() == [True, False, False]


def test_drop_out_loss_term_with_no_tolerance():
    """Budget 0, so tolerance T = 0: any loss L > 0 gives L / (L + T) = 1; no loss gives 0.
    0 earns nothing (income term 1); 1 has lost 0.5 before; 2 made 10; 3 broke even."""
    m = small(20, disappointment_weight=1.0, loss_weight=1.0, budget=const(0.0))
    join(m, [0, 1, 2, 3])
    m._net_before = np.zeros(20)
    m._net_before[[1, 2]] = [-0.5, 10.0]
    net = np.zeros(20)
    net[1:4] = 100.0  # content with their income (E = 100)
    assert _quit_month_one(m, net)[:4].tolist() == [True, True, False, False]


@pytest.mark.parametrize(("consumption", "quits"), [(1.0, False), (0.999, True)])
def test_a_membership_that_saves_exactly_its_fee_still_pays(consumption, quits):
    """Saving = consumption x affinity 0.5 x retail 50 x discount 0.4 = 10 x consumption a
    month, against a monthly fee of 10: only a saving below the fee disappoints (w_d = 1)."""
    m = small(
        20,
        disappointment_weight=1.0,
        customer_lapse_prob=0.0,
        consumption=const(consumption),
        retail_price=50.0,
        distributor_discount=0.4,
        plan_params={"monthly_fee": 10.0},
    )
    join(m, [0], DISCOUNT)
    assert _quit_month_one(m, np.zeros(20))[0] == quits


# ---------------------------------------------------------------- customers without a seller
def test_sellerless_customers_are_assigned_each_to_a_random_business_participant():
    """0 and 1 are business participants, 2 a member, 3 quit. 50 customers of 0 and 5 of 3
    keep their seller; each of 200 without one gets 0 or 1, drawn one by one."""
    m = small(20)
    join(m, [0, 1, 3])
    join(m, [2], DISCOUNT)
    pop = m.population
    pop.active[3], pop.former[3] = False, True
    seller = np.array([0] * 50 + [NO_ONE] * 200 + [3] * 5)
    got = m._assign_unserved(seller)
    assert (got[:50] == 0).all() and (got[250:] == 3).all()
    assert set(got[50:250].tolist()) == {0, 1}  # both, so not one draw for all
    assert seller[50] == NO_ONE  # the input is left as it was
    one = m._assign_unserved(np.array([0, NO_ONE]))  # a single customer without a seller
    assert one[0] == 0 and one[1] in (0, 1)


def test_no_customer_is_assigned_without_uplines_or_without_business_participants():
    r = small(20, plan="referral")
    join(r, [0])
    assert r._assign_unserved(np.array([NO_ONE, 0])).tolist() == [NO_ONE, 0]
    m = small(20)
    join(m, [0], DISCOUNT)
    assert m._assign_unserved(np.array([NO_ONE, 0])).tolist() == [NO_ONE, 0]


# ---------------------------------------------------------------- outside uplines
def test_the_whole_chain_of_outside_uplines_is_paid_on_a_founders_volume():
    """Unilevel rates 10%, 5%, 2%: three outside uplines above the market, each under the
    next; founder 0 buys 100 PV, so they earn 10 + 5 + 2 = 17 (all qualify: the market has no
    uplines of its own, so the share that qualifies is taken as 1)."""
    m = small(20, outside_upline=True, plan_params={"rates": (0.1, 0.05, 0.02)})
    join(m, [0])
    f = flows(m)
    f.pv[0] = 100.0
    m._pay_commissions(f)
    assert f.stats["outside_commissions"] == pytest.approx(17.0)
    assert m.ledger.outside[Account.OUTSIDE_UPLINES] == pytest.approx(17.0)


# ---------------------------------------------------------------- participants as agents
def test_participants_are_numbered_from_one_in_each_model():
    for _ in range(2):
        m = small(20)
        join(m, [4, 2])
        assert [m.participant_agents[i].unique_id for i in (4, 2)] == [1, 2]


def test_a_new_model_has_every_monthly_statistic_at_zero():
    """Before month 1 nothing has happened: every statistic of the month is 0, and the
    founders, who joined at set-up, are not a month's joins."""
    m = small(20, n_founders=3)
    assert m.population.active.sum() == 3
    assert m.month_stats == dict.fromkeys(MONTHLY_COLUMNS, 0.0)


# ---------------------------------------------------------------- trait distributions
def _normal_cdf(z: float) -> float:
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


def _censored_normal_moments(mu: float, sigma: float) -> tuple[float, float]:
    """Mean and variance of max(N(mu, sigma^2), 0), from the normal pdf and cdf."""
    z = mu / sigma
    cdf = _normal_cdf(z)
    pdf = math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
    mean = mu * cdf + sigma * pdf
    second = (mu * mu + sigma * sigma) * cdf + mu * sigma * pdf
    return mean, second - mean * mean


def _beta_6_14_cdf(x: float) -> float:
    """Beta(6, 14) (mean 0.3, sd 0.1: nu = 0.21 / 0.01 - 1 = 20): P(Bin(19, x) >= 6)."""
    return sum(math.comb(19, j) * x**j * (1 - x) ** (19 - j) for j in range(6, 20))


def _lognormal_2_1_cdf(x: float) -> float:
    """Mean 2, sd 1: sigma^2 = ln(1 + 1/4), mu = ln 2 - sigma^2 / 2."""
    sigma2 = math.log(1.25)
    return _normal_cdf((math.log(x) - math.log(2.0) + sigma2 / 2) / math.sqrt(sigma2))


def _gamma_3_075_cdf(x: float) -> float:
    """Mean 3, sd 0.75: shape (3 / 0.75)^2 = 16, rate 16 / 3; Erlang: P(Poisson(rate x) >= 16)."""
    lam = 16 / 3 * x
    return 1 - sum(math.exp(-lam) * lam**k / math.factorial(k) for k in range(16))


def _uniform_5_2_cdf(x: float) -> float:
    """Mean 5, sd 2: uniform on 5 +- 2 sqrt(3)."""
    return (x - (5 - 2 * math.sqrt(3))) / (4 * math.sqrt(3))


@pytest.mark.parametrize(
    ("kind", "mean", "sd", "cdf"),
    [
        ("beta", 0.3, 0.1, _beta_6_14_cdf),
        ("lognormal", 2.0, 1.0, _lognormal_2_1_cdf),
        ("gamma", 3.0, 0.75, _gamma_3_075_cdf),
        ("uniform", 5.0, 2.0, _uniform_5_2_cdf),
    ],
)
def test_each_distribution_has_the_mean_sd_and_shape_asked_for(kind, mean, sd, cdf):
    """Sample mean within four standard errors of the mean; sample variance within four
    standard errors (from the sample's fourth central moment) of sd^2; the share of draws
    below mean - sd / 2 and below mean + sd within four binomial standard errors of the cdf."""
    n = 40_000
    x = Distribution(kind=kind, mean=mean, sd=sd).sample(np.random.default_rng(5), n)
    assert x.shape == (n,) and x.dtype == np.float64
    assert abs(x.mean() - mean) <= 4 * sd / math.sqrt(n)
    dev = x - x.mean()
    var = (dev**2).mean()
    se_var = math.sqrt(((dev**4).mean() - var**2) / n)
    assert abs(var - sd**2) <= 4 * se_var
    for point in (mean - sd / 2, mean + sd):
        assert within((x <= point).mean(), cdf(point), n)


def test_a_normal_trait_is_censored_at_zero():
    """N(1, 1) with negative draws set to 0: P(0) = Phi(-1), moments of the censored normal."""
    n = 40_000
    x = Distribution(kind="normal", mean=1.0, sd=1.0).sample(np.random.default_rng(6), n)
    assert x.min() == 0.0
    assert within((x == 0).mean(), _normal_cdf(-1.0), n)
    mean, var = _censored_normal_moments(1.0, 1.0)
    assert abs(x.mean() - mean) <= 4 * math.sqrt(var / n)


def test_a_uniform_trait_spans_mean_plus_minus_sd_root_three():
    x = Distribution(kind="uniform", mean=5.0, sd=2.0).sample(np.random.default_rng(7), 10_000)
    half = 2.0 * math.sqrt(3.0)  # 3.464
    assert 5.0 - half <= x.min() < 5.0 - half + 0.01
    assert 5.0 + half - 0.01 < x.max() <= 5.0 + half


def test_a_constant_trait_is_the_mean_for_everyone_and_takes_no_draws():
    """No draws: the traits drawn after a constant one are the same as without it."""
    rng = np.random.default_rng(8)
    x = Distribution(kind="constant", mean=2.5).sample(rng, 4)
    assert x.dtype == np.float64 and x.tolist() == [2.5] * 4
    assert rng.random() == np.random.default_rng(8).random()


# ---------------------------------------------------------------- the population
def test_the_population_draws_each_trait_from_its_distribution():
    """n = 4000 people; each trait's sample mean within four standard errors of its mean."""
    n = 4000
    params = validate_params(
        n_people=n,
        affinity={"kind": "beta", "mean": 0.3, "sd": 0.1},
        consumption={"kind": "gamma", "mean": 2.0, "sd": 0.5},
        skill={"kind": "lognormal", "mean": 1.5, "sd": 0.3},
        propensity={"kind": "beta", "mean": 0.6, "sd": 0.2},
        hours={"kind": "uniform", "mean": 12.0, "sd": 2.0},
        budget={"kind": "normal", "mean": 100.0, "sd": 10.0},
    )
    pop = Population.draw(params, np.random.default_rng(3))
    assert pop.n == n
    traits = {
        "affinity": (0.3, 0.1),
        "consumption": (2.0, 0.5),
        "skill": (1.5, 0.3),
        "propensity": (0.6, 0.2),
        "hours": (12.0, 2.0),
        "budget": (100.0, 10.0),  # censoring at 0 is 10 sd away
    }
    for name, (mean, sd) in traits.items():
        x = getattr(pop, name)
        assert x.shape == (n,), name
        assert abs(x.mean() - mean) <= 4 * sd / math.sqrt(n), name


def test_a_new_population_has_nobody_joined_and_no_history():
    params = validate_params(n_people=20, network="complete")
    pop = Population.draw(params, np.random.default_rng(4))
    for name in ("active", "former", "customer"):
        state = getattr(pop, name)
        assert state.dtype == np.bool_ and state.shape == (20,) and not state.any(), name
    for name in ("seller", "sponsor", "upline", "join_month", "quit_month"):
        state = getattr(pop, name)
        assert state.dtype == np.int64 and state.tolist() == [NO_ONE] * 20, name
    assert pop.depth.dtype == np.int64 and pop.depth.tolist() == [0] * 20
    assert pop.motive.dtype == np.int8 and pop.motive.tolist() == [0] * 20
    for name in ("contacts_received", "stories_heard", "perceived_income", "hours_worked"):
        state = getattr(pop, name)
        assert state.dtype == np.float64 and state.tolist() == [0.0] * 20, name


# ---------------------------------------------------------------- invariants
def test_a_small_gap_in_small_gross_sales_is_caught():
    """Gross sales 0.5 + 1.5e-6, of which 1.5e-6 went to a third party: the tolerance is
    1e-6 x max(1, gross) = 1e-6, so the gap of 1.5e-6 is caught."""
    m = small(20)
    led = m.ledger
    led.person_to_outside(np.array([0]), np.array([0.5]), Row.CONSUMPTION, Account.COMPANY)
    m.check_invariants()  # intact
    led.person_to_outside(np.array([1]), np.array([1.5e-6]), Row.CONSUMPTION, Account.THIRD_PARTIES)
    with pytest.raises(AssertionError, match=r"^gross sales 0\.50 != "):
        m.check_invariants()


def test_a_starter_fee_under_a_dollar_is_charged():
    m = small(20, plan_params={"starter_fee": 0.5})
    join(m, [0])
    assert m.ledger.rows[Row.FEES, 0] == -0.5


@pytest.mark.parametrize("prequalify", [True, False])
def test_prequalified_pitches_go_to_the_top_recruit_focus_share_of_propensity(prequalify):
    """Everyone but person 0 is a prospect; 0 pitches every contact (recruit_prob 1). With
    prequalify only those at or above the 70th percentile of propensity can join."""
    m = small(
        400,
        propensity={"kind": "beta", "mean": 0.5, "sd": 0.2},
        recruit_focus=0.3,
        recruit_prob=1.0,
        sale_prob=0.0,
        contacts_per_hour=10.0,
        hours=const(40.0),
        prequalify=prequalify,
    )
    join(m, [0])
    m.month = 1
    m._prospect(flows(m))  # recruits join at once
    joined = np.flatnonzero(m.population.active)[1:]
    cut = np.quantile(m.population.propensity, 0.7)
    assert joined.size >= 10
    assert (m.population.propensity[joined] >= cut).all() == prequalify
