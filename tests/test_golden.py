"""Golden files: small seeded scenarios must reproduce their stored numbers exactly.

A deliberate change to the model rules changes these numbers: regenerate with
`UPDATE_GOLDEN=1 pytest tests/test_golden.py` and say why in the commit.
"""

import os
from pathlib import Path

import pandas as pd
import pytest

from model import MarketModel

GOLDEN = Path(__file__).parent / "golden"
SCENARIOS = {
    "unilevel": {"plan": "unilevel"},
    "referral": {"plan": "referral"},
    "unilevel_leads_sbm": {"plan": "unilevel", "network": "stochastic_block", "leads_per_month": 2},
}
PARTICIPANT_COLUMNS = [
    "id",
    "join_month",
    "quit_month",
    "sponsor",
    "depth",
    "downline_size",
    "retail_profit",
    "commissions",
    "fees",
    "net_profit",
]


def simulate(overrides: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    m = MarketModel(rng=2026, n_people=300, mean_degree=8, n_blocks=4, **overrides)
    m.run(24)
    m.check_invariants()
    return m.monthly_table().reset_index(), m.participant_table()[PARTICIPANT_COLUMNS]


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_matches_golden(name):
    monthly, people = simulate(SCENARIOS[name])
    paths = GOLDEN / f"{name}_monthly.csv", GOLDEN / f"{name}_participants.csv"
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        monthly.to_csv(paths[0], index=False, float_format="%.10g")
        people.to_csv(paths[1], index=False, float_format="%.10g")
    expected_monthly = pd.read_csv(paths[0])
    expected_people = pd.read_csv(paths[1], dtype={"quit_month": "Int64", "sponsor": "Int64"})
    assert len(people) > 10, "the scenario should involve more than the founders"
    pd.testing.assert_frame_equal(monthly, expected_monthly, check_dtype=False, rtol=1e-8)
    pd.testing.assert_frame_equal(people, expected_people, check_dtype=False, rtol=1e-8)
