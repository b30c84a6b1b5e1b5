"""The reference model gives the fast model's tables and keeps its books."""

from __future__ import annotations

import math

import numpy as np
import pytest

from model import MarketModel, available_plans
from model.ledger import Row
from model.reference import ReferenceModel
from tests.spy import calls_in_one_step

SMALL = {"n_people": 400}


@pytest.fixture(scope="module", params=available_plans())
def pair(request):
    runs = []
    for model_class in (MarketModel, ReferenceModel):
        model = model_class(rng=5, plan=request.param, **SMALL)
        model.run(24)
        runs.append(model)
    return runs


def test_tables_have_the_fast_models_columns_and_types(pair):
    fast, reference = pair
    for table in ("participant_table", "monthly_table"):
        a, b = getattr(fast, table)(), getattr(reference, table)()
        assert list(a.columns) == list(b.columns)
        assert a.dtypes.astype(str).to_dict() == b.dtypes.astype(str).to_dict()
        assert a.index.name == b.index.name
    assert len(reference.monthly_table()) == 24
    assert set(fast.run_metrics()) == set(reference.run_metrics())


def test_every_dollar_is_accounted_for(pair):
    reference = pair[1]
    rows = [sum(person.rows[row] for person in reference.people) for row in Row]
    margin = reference.company_margin()
    outside = sum(reference.outside.values())
    assert math.isclose(
        sum(rows) + margin + outside, 0.0, abs_tol=1e-6 * reference.company["receipts"]
    )
    gross = -(rows[Row.CONSUMPTION] + rows[Row.OWN_USE] + rows[Row.EXCESS] + rows[Row.FEES])
    retail_margin = rows[Row.RETAIL_SALES] + rows[Row.RESALE_COST]
    parts = reference.company["cogs"] + reference.company["commissions"] + retail_margin + margin
    assert gross > 0
    assert math.isclose(gross, parts, rel_tol=1e-9)
    months = reference.monthly_table()
    assert math.isclose(
        months["commissions"].sum(), reference.company["commissions"], rel_tol=1e-9, abs_tol=1e-9
    )


def test_joins_and_quits_add_up_to_the_participants(pair):
    reference = pair[1]
    months = reference.monthly_table()
    founders = reference.params.n_founders
    assert (
        founders + months["joins"].sum() - months["quits"].sum() == months["participants"].iloc[-1]
    )
    people = reference.participant_table()
    assert len(people) == founders + months["joins"].sum()
    assert people["quit_month"].notna().sum() == months["quits"].sum()


def test_the_same_seed_gives_the_same_run():
    runs = []
    for _ in range(2):
        model = ReferenceModel(rng=11, plan="binary", **SMALL)
        model.run(12)
        runs.append(model.participant_table())
    assert runs[0].equals(runs[1])


def test_rules_run_in_the_odds_order(monkeypatch):
    order = [  # docs/ODD.md section 3.1: rules 1-2, 2b, 3, 4, 5, 6, 7, 7b, recording
        "prospecting",
        "customers_join",
        "word_of_mouth",
        "purchases",
        "pay_commissions",
        "running_costs",
        "drop_out",
        "spread_unhappiness",
        "record",
    ]
    assert calls_in_one_step(monkeypatch, ReferenceModel(rng=1, **SMALL), order) == order


@pytest.mark.parametrize("model_class", [MarketModel, ReferenceModel])
@pytest.mark.parametrize("prequalify", [True, False])
def test_prequalified_pitches_go_only_to_the_most_interested(model_class, prequalify):
    """Both implementations: with prequalify every recruit is in the top recruit_focus share."""
    model = model_class(
        rng=6,
        n_people=400,
        prequalify=prequalify,
        recruit_focus=0.3,
        recruit_prob=1.0,
        customer_join_prob=0.0,
        discount_join_prob=0.0,
    )
    model.run(36)
    people = model.participant_table()
    recruits = people[people["join_month"] > 0]
    everyone = MarketModel(rng=6, n_people=400).population.propensity
    assert len(recruits) >= 10
    assert (recruits["propensity"] >= np.quantile(everyone, 0.7)).all() == prequalify


@pytest.mark.parametrize("model_class", [MarketModel, ReferenceModel])
def test_customer_lapses_close_the_customer_count(model_class):
    """Without joining, customers change only by new customers and lapses."""
    model = model_class(
        rng=4, n_people=400, recruit_prob=0.0, customer_join_prob=0.0, discount_join_prob=0.0
    )
    model.run(24)
    t = model.monthly_table()
    before = np.concatenate(([0], t["customers"].to_numpy()[:-1]))
    np.testing.assert_array_equal(
        before + t["new_customers"] - t["customer_lapses"], t["customers"]
    )
    assert t["customer_lapses"].sum() > 0
