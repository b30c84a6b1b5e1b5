"""PRIM on constructed data: the box it finds, its coverage and density."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments.claims.discovery import box_text, discover, prim_box


def sample(n: int = 400, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"a": rng.uniform(size=n), "b": rng.uniform(size=n)})


def test_prim_finds_the_region_where_the_claim_holds():
    x = sample()
    holds = (x["a"] > 0.7).to_numpy()  # holds exactly when a > 0.7
    box = prim_box(x, holds, threshold=0.95)
    low, high = box.limits["a"]
    assert 0.6 <= low <= 0.75 and high == pytest.approx(x["a"].max())
    b_low, b_high = box.limits.get("b", (0.0, 1.0))
    assert b_high - b_low > 0.7  # b, unrelated, is hardly restricted
    assert box.density >= 0.95
    # coverage: the share of holding points kept, by count
    kept = (x["a"] >= low) & (x["a"] <= high) & (x["b"] >= b_low) & (x["b"] <= b_high)
    assert box.coverage == pytest.approx(holds[kept].sum() / holds.sum())
    assert "holds at" in box_text(box) and "<= a <=" in box_text(box)


def test_prim_keeps_the_whole_space_when_nothing_stands_out():
    x = sample(seed=1)
    holds = np.arange(len(x)) % 2 == 0  # unrelated to a and b
    box = prim_box(x, holds, threshold=0.99, min_support=0.5)
    assert box.support >= 0.5
    assert box.density < 0.7
    assert "no sub-region" in box_text(box) or "<=" in box_text(box)
    everywhere = prim_box(x, np.ones(len(x), dtype=bool))
    assert everywhere.limits == {} and "every settled point" in box_text(everywhere)
    nowhere = prim_box(x, np.zeros(len(x), dtype=bool))
    assert "none of the settled points" in box_text(nowhere)


def test_prim_refuses_mismatched_inputs():
    with pytest.raises(ValueError, match="one flag per point"):
        prim_box(sample(10), [True] * 9)
    with pytest.raises(ValueError, match="alpha"):
        prim_box(sample(10), [True] * 10, alpha=0.6)


def test_discover_uses_settled_points_only():
    x = sample(60, seed=2)
    flags = pd.DataFrame(
        {
            "claim": "C1",
            "a": x["a"],
            "b": x["b"],
            "holds": np.where(x["a"] > 0.5, 1.0, 0.0),
        }
    )
    flags.loc[:9, "holds"] = np.nan  # noisy or undefined points
    table = discover(flags, ["a", "b"], ["C1", "C2"])
    assert table["claim"].tolist() == ["C1"]  # C2 has no points
    assert table.loc[0, "points"] == 50
    assert "<= a <=" in table.loc[0, "box"]
