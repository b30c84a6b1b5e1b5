"""Behaviour of MarketModel: determinism, conservation, corner cases, validation."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import MarketModel, ParameterError
from model.model import MONTHLY_COLUMNS
from tests.spy import calls_in_one_step

SMALL = {"n_people": 400, "mean_degree": 10}


def run(months=24, **kw):
    m = MarketModel(**{**SMALL, **kw})
    m.run(months)
    return m


def test_same_seed_same_tables():
    a, b = run(rng=7), run(rng=7)
    pd.testing.assert_frame_equal(a.participant_table(), b.participant_table())
    pd.testing.assert_frame_equal(a.monthly_table(), b.monthly_table())


def test_different_seed_different_tables():
    a, b = run(rng=7), run(rng=8)
    assert not a.participant_table().equals(b.participant_table())


@settings(max_examples=12, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    plan=st.sampled_from(["unilevel", "referral"]),
    leads=st.sampled_from([0.0, 3.0]),
    fee=st.sampled_from([0.0, 25.0]),
)
def test_money_is_conserved_every_month(seed, plan, leads, fee):
    m = MarketModel(rng=seed, plan=plan, leads_per_month=leads, training_cost=fee, **SMALL)
    for _ in range(18):
        m.step()
        m.check_invariants()


def test_net_profit_is_the_sum_of_ledger_rows():
    table = run(rng=3).participant_table()
    parts = (
        table.retail_profit
        + table.commissions
        - table.fees
        - table.product_spend_excess
        - table.lead_spend
        - table.business_expenses
    )
    np.testing.assert_allclose(table.net_profit, parts)


def test_no_recruiting_means_only_founders():
    m = run(rng=1, recruit_prob=0.0, customer_join_prob=0.0, discount_join_prob=0.0, n_founders=5)
    assert len(m.participant_table()) == 5
    assert m.monthly_table().joins.sum() == 0


def test_referral_pays_nothing_for_recruiting_or_downline():
    m = run(
        rng=2, plan="referral", customer_join_prob=0.5, propensity={"kind": "constant", "mean": 1}
    )
    table = m.participant_table()
    assert (table.override_income == 0).all()
    assert table.sponsor.notna().any()  # people did join under others


@pytest.mark.parametrize("seed", range(3))
def test_referral_pays_only_for_attributed_customers(seed):
    """Spontaneous adopters (Bass p, no imitation) buy from the company: no seller is paid,
    whatever the seed; the same market with direct sales does pay."""
    market = {"plan": "referral", "bass_q": 0.0, "bass_p": 2.0, "customer_join_prob": 0.3}
    m = run(rng=seed, sale_prob=0.0, **market)
    assert m.monthly_table().customers.max() > 30  # many customers, none attributed
    assert len(m.participant_table()) > 30
    assert m.participant_table().commissions.sum() == 0
    selling = run(rng=seed, sale_prob=0.5, **market)
    assert selling.participant_table().commissions.sum() > 0


def test_unilevel_pays_overrides_in_a_growing_downline():
    table = run(rng=4, months=36).participant_table()
    assert table.override_income.sum() > 0
    assert (table.override_income <= table.commissions + 1e-9).all()


def test_monthly_table_shape():
    m = run(rng=5, months=10)
    table = m.monthly_table()
    assert list(table.columns) == list(MONTHLY_COLUMNS)
    assert list(table.index) == list(range(1, 11))
    assert (table.participants >= 0).all()


def test_participants_are_mesa_agents():
    m = run(rng=6)
    table = m.participant_table()
    assert len(m.agents) == len(table)
    agent = m.participant_agents[int(table.id.iloc[-1])]
    row = table.iloc[-1]
    assert agent.join_month == row.join_month
    assert agent.net_profit == pytest.approx(row.net_profit)


def test_rules_run_in_documented_order(monkeypatch):
    order = [
        "_prospect",
        "_customers_join",
        "_word_of_mouth",
        "_purchases",
        "_pay_commissions",
        "_book_running_costs",
        "_drop_out",
        "_spread_unhappiness",
        "_record",
    ]
    assert calls_in_one_step(monkeypatch, MarketModel(rng=1, **SMALL), order) == order


def test_saturation_lowers_receptivity():
    m = run(rng=9, months=36)
    pop = m.population
    contacted = pop.contacts_received > 0
    assert contacted.any()
    rec = pop.receptivity(m.params, np.arange(pop.n))
    assert rec[contacted].max() < 1
    assert rec[~contacted & (pop.stories_heard == 0)].min() == 1


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"n_people": 5}, "n_people"),
        ({"sale_prob": 1.5}, "sale_prob"),
        ({"plan": "pyramid"}, "plan"),
        ({"network": "grid"}, "network"),
        ({"retail_price": -1}, "retail_price"),
        ({"colour": "red"}, "colour"),
        ({"affinity": {"kind": "beta", "mean": 2, "sd": 0.1}}, "affinity"),
        ({"plan_params": {"rates": [0.6, 0.6]}}, "rates"),
        ({"hours": {"kind": "uniform", "mean": 5, "sd": 5}}, "hours"),
        ({"budget": {"kind": "constant", "mean": -1}}, "budget"),
        ({"n_people": 40, "network": "stochastic_block", "mean_degree": 4}, "n_blocks"),
        ({"n_people": 50, "mean_degree": 60}, "mean_degree"),
    ],
)
def test_bad_parameters_name_the_parameter(kwargs, name):
    """Every bad value is caught at validation, before any network is built."""
    with pytest.raises(ParameterError, match=name):
        MarketModel(rng=1, **kwargs)


def test_parameter_error_states_the_range():
    with pytest.raises(ParameterError, match=r"sale_prob: .*<= 1.*got 1.5"):
        MarketModel(rng=1, sale_prob=1.5)


def test_run_rejects_bad_month_counts():
    m = MarketModel(rng=1, **SMALL)
    with pytest.raises(ValueError, match="months"):
        m.run(0)


def test_zero_budget_does_not_poison_the_drop_out_hazard():
    m = run(rng=3, budget={"kind": "constant", "mean": 0.0})
    assert np.isfinite(m.participant_table().net_profit).all()
    assert m.monthly_table().quits.sum() > 0


def test_monthly_company_revenue_excludes_the_founders_month_zero_fees():
    m = run(plan="unilevel", plan_params={"starter_fee": 100.0})
    founders_fees = 100.0 * m.params.n_founders
    monthly_total = m.monthly_table().company_revenue.sum()
    assert monthly_total == pytest.approx(m.ledger.company_receipts - founders_fees, rel=1e-12)


def test_cost_columns_have_no_negative_zeros():
    table = run(plan="referral").participant_table()
    for column in ("fees", "product_spend_excess", "lead_spend", "business_expenses"):
        assert not np.signbit(table[column]).any(), column


def test_word_of_mouth_adopters_buy_through_the_participant_they_imitated():
    """With no spontaneous adoption and no selling, the first adopters can only have
    imitated a participant tie, and buy through that participant."""
    m = MarketModel(
        rng=4,
        n_people=2_000,
        mean_degree=10,
        n_founders=200,
        contacts_per_hour=0.0,
        customer_join_prob=0.0,
        discount_join_prob=0.0,
        base_quit_prob=0.0,
        disappointment_weight=0.0,
        loss_weight=0.0,
        bass_p=0.0,
        bass_q=3.0,
    )
    m.step()
    pop = m.population
    adopters = np.flatnonzero(pop.customer)
    assert adopters.size > 20
    sellers = pop.seller[adopters]
    assert (sellers >= 0).all()
    assert pop.active[sellers].all()
    assert all(s in m.network.neighbors(a) for a, s in zip(adopters, sellers, strict=True))
    m.step()  # later adopters may also have imitated a customer: they buy through its seller
    later = np.setdiff1d(np.flatnonzero(pop.customer), adopters)
    for person in later[pop.seller[later] >= 0]:
        ties = m.network.neighbors(person)
        assert pop.seller[person] in ties or pop.seller[person] in pop.seller[ties]


def test_a_finished_model_is_freed():
    """Nothing keeps a model alive once its last reference goes (Mesa 3.3's agent-id
    registry did, so sweep workers grew by megabytes a run)."""
    import gc
    import weakref

    m = run(rng=3)
    assert len(m.agents) > 0
    ref = weakref.ref(m)
    del m
    gc.collect()
    assert ref() is None


@pytest.mark.parametrize("rng", ["abc", -1, 1.5, True])
def test_a_bad_seed_is_one_line_naming_rng(rng):
    with pytest.raises(ParameterError) as caught:
        MarketModel(rng=rng, **SMALL)
    assert str(caught.value).startswith("rng: must be a seed (an integer >= 0)")
    assert "\n" not in str(caught.value)


def test_customers_who_always_buy_never_lapse():
    m = run(rng=4, affinity={"kind": "constant", "mean": 1.0})
    t = m.monthly_table()
    assert t["new_customers"].sum() > 0
    assert t["customer_lapses"].sum() == 0


def test_ties_are_each_participants_network_degree():
    """On a complete graph everyone has n - 1 ties."""
    m = run(rng=5, network="complete", n_people=200)
    people = m.participant_table()
    assert len(people) > 1
    assert (people["ties"] == 199).all()
