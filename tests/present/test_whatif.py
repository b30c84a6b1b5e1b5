import numpy as np
import pytest

from experiments.present.whatif import HORIZONS, MEASURES, Person, draw_what_if, what_if


@pytest.fixture(scope="module")
def answer():
    person = Person(hours=15, budget=200, ties=20, join_month=6)
    return what_if(person, "unilevel", replications=2, n_people=1_500)


def test_answers_with_a_distribution_per_plan_horizon_group_and_measure(answer):
    table = answer.table
    keys = table[["plan", "horizon", "group", "measure"]]
    assert not keys.duplicated().any()
    assert len(table) == 2 * len(HORIZONS) * 2 * len(MEASURES)
    assert set(table["plan"]) == {"unilevel", "referral"}
    quantiles = table[["p10", "p25", "p50", "p75", "p90"]].to_numpy()
    filled = ~np.isnan(quantiles).any(axis=1)
    assert filled.any()
    assert (np.diff(quantiles[filled], axis=1) >= 0).all()
    like, typical = (
        table[table["group"] == g].set_index(["plan", "horizon", "measure"])
        for g in ("like you", "typical")
    )
    assert (like["n"] <= typical["n"]).all()
    assert (table["losing"].dropna().between(0, 1)).all()
    assert draw_what_if(answer).axes


def test_time_cost_lowers_net_income(answer):
    table = answer.table.set_index(["plan", "horizon", "group", "measure"])["mean"].unstack()
    before, after = (table[m] for m in MEASURES.values())
    assert (after.dropna() <= before.dropna() + 1e-9).all()


def test_bad_person_gets_one_line_per_field():
    with pytest.raises(ValueError) as err:
        Person(hours=-1, budget=10, ties=5, join_month=0)
    assert str(err.value).splitlines() == [
        "hours: must be >= 0, got -1",
        "join_month: must be >= 1, got 0",
    ]


def test_referral_alone_when_the_plan_is_referral():
    person = Person(hours=10, budget=100, ties=20, join_month=3)
    answer = what_if(person, "referral", replications=1, n_people=500)
    assert set(answer.table["plan"]) == {"referral"}
