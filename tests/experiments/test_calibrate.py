"""The calibration: scoring against the targets, the accepted set, the command end to end."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from experiments.calibrate.fit import candidates, confirmation_table, fit, score_runs
from experiments.calibrate.targets import Target
from experiments.cli import main

TWO = (
    Target("share", "m_share", "mlm", 0.4, 0.6, "half", "a survey"),
    Target("income", "m_income", "referral", 100.0, 300.0, "$200", "a disclosure"),
)


def runs_table(values: dict[int, tuple[float, float]], reps: int = 2) -> pd.DataFrame:
    """Runs of points with given (share, income) means; replications spread by +-0.01 and +-1."""
    rows = []
    for point, (share, income) in values.items():
        for rep in range(reps):
            sign = 1 if rep % 2 else -1
            for scenario in ("mlm", "referral"):
                rows.append(
                    {
                        "run_id": f"s={scenario}/p={point:04d}/r={rep:03d}",
                        "scenario": scenario,
                        "point": point,
                        "replication": rep,
                        "seed": rep,
                        "x": float(point),
                        "m_share": share + 0.01 * sign,
                        "m_income": income + sign,
                    }
                )
    return pd.DataFrame(rows)


def test_points_in_every_band_are_accepted_and_the_closest_to_the_centres_wins():
    runs = runs_table({0: (0.45, 150.0), 1: (0.5, 200.0), 2: (0.7, 200.0), 3: (0.55, 290.0)})
    scored = fit(score_runs(runs, ["x"], TWO), ["x"])
    assert scored.points["accepted"].tolist() == [True, True, False, True]
    # least margins in half-widths: 0.5, 1, (out), 0.1 -> point 1
    np.testing.assert_allclose(scored.points["margin"], [0.5, 1.0, -1.0, 0.1])
    assert scored.best == 1
    assert scored.best_values() == {"x": 1.0}
    # D = sum (m - c)^2 / (h^2 + se^2): point 0 by hand, se = 0.01 / sqrt(2) * sqrt(2) = 0.01...
    se_share = np.std([0.44, 0.46], ddof=1) / np.sqrt(2)
    se_income = np.std([149.0, 151.0], ddof=1) / np.sqrt(2)
    expected = (0.45 - 0.5) ** 2 / (0.1**2 + se_share**2) + (150 - 200) ** 2 / (
        100**2 + se_income**2
    )
    assert scored.points.loc[0, "distance"] == pytest.approx(expected)


def test_without_an_accepted_point_the_fewest_misses_win():
    runs = runs_table({0: (0.9, 900.0), 1: (0.9, 200.0), 2: (0.62, 310.0)})
    scored = fit(score_runs(runs, ["x"], TWO), ["x"])
    assert not scored.points["accepted"].any()
    assert scored.points["n_in_band"].tolist() == [0, 1, 0]
    assert scored.best == 1


def test_a_band_edge_the_measure_cannot_cross_does_not_count_in_the_margin():
    ratio = Target("ratio", "m", "mlm", 0.0, 0.5, "", "", support=(0.0, np.inf))
    share = Target("share", "m", "mlm", 0.6, 1.0, "", "", support=(0.0, 1.0))
    free = Target("free", "m", "mlm", 0.6, 1.0, "", "")
    means = np.array([0.0, 0.1, 0.4, 0.6, 1.0])
    # only the upper edge binds: (0.5 - m) / 0.25, at most 1
    np.testing.assert_allclose(ratio.margin(means), [1.0, 1.0, 0.4, -0.4, -2.0])
    # only the lower edge binds: (m - 0.6) / 0.2, at most 1
    np.testing.assert_allclose(share.margin(means), [-3.0, -2.5, -1.0, 0.0, 1.0])
    # both bind: (0.2 - |m - 0.8|) / 0.2
    np.testing.assert_allclose(free.margin(means), [-3.0, -2.5, -1.0, 0.0, 0.0])


def test_candidates_are_accepted_points_by_margin_then_the_fewest_misses():
    runs = runs_table(
        {0: (0.45, 150.0), 1: (0.5, 200.0), 2: (0.7, 200.0), 3: (0.55, 290.0), 4: (0.9, 900.0)}
    )
    scored = score_runs(runs, ["x"], TWO)
    # accepted: 1 (margin 1), 0 (0.5), 3 (0.1); then 2 (one in band) before 4 (none)
    assert candidates(scored, 10) == [1, 0, 3, 2, 4]
    assert candidates(scored, 2) == [1, 0]


def test_confirmation_table_has_a_t_interval_and_the_band_verdict():
    runs = runs_table({0: (0.5, 350.0)}, reps=4)
    table = confirmation_table(runs, TWO).set_index("name")
    shares = np.array([0.49, 0.51, 0.49, 0.51])
    half = 3.182446305284263 * shares.std(ddof=1) / 2  # t(0.975, 3) x sd / sqrt(4)
    assert table.loc["share", "mean"] == pytest.approx(0.5)
    assert table.loc["share", "ci_high"] - table.loc["share", "mean"] == pytest.approx(half)
    assert table.loc["share", "in_band"]
    assert not table.loc["income", "in_band"]


def test_a_target_without_its_scenario_is_named():
    runs = runs_table({0: (0.5, 200.0)})
    runs = runs[runs.scenario == "mlm"]
    with pytest.raises(ValueError, match="target income: no runs of scenario 'referral'"):
        score_runs(runs, ["x"], TWO)


TINY = """
name = "cal_tiny"
months = 12
[model]
n_people = 300
mean_degree = 10
[scenarios.mlm]
plan = "unilevel"
[scenarios.referral]
plan = "referral"
[design]
kind = "sobol"
n = 4
seed = 3
[design.parameters.sale_prob]
low = 0.1
high = 0.5
[design.parameters."budget.mean"]
low = 100.0
high = 300.0
[replications]
count = 2
base_seed = 5
[outputs]
monthly = false
participants = false
[calibration]
refine_batches = 2
batch_size = 2
candidates = 3
confirm = 3
"""


@pytest.mark.slow
def test_calibrate_end_to_end_then_resumes_without_rerunning(tmp_path, capsys):
    config = tmp_path / "cal_tiny.toml"
    config.write_text(TINY)
    out = tmp_path / "cal"
    args = ["calibrate", str(config), "--out", str(out), "--workers", "1"]
    assert main([*args, "--quiet"]) == 0
    first = {name: (out / name).read_bytes() for name in ("points.csv", "calibrated.json")}
    summary = json.loads(first["calibrated.json"])
    assert summary["points"] == 4 + 2 * 2  # the design, then two batches of two
    assert sorted((out / "refine").iterdir()) == [out / "refine" / "00", out / "refine" / "01"]
    assert set(summary["calibrated"]) == {"sale_prob", "budget.mean"}
    points = pd.read_csv(out / "points.csv", index_col="point")
    confirmed = pd.read_csv(out / "candidates.csv", index_col="point")
    # the three best searched points, rerun; the choice follows the rule on the reruns
    assert confirmed.index.tolist() == candidates(points, 3)
    accepted = confirmed[confirmed["accepted"]]
    expected = (
        accepted["margin"].idxmax()
        if len(accepted)
        else confirmed.sort_values(["n_in_band", "distance"], ascending=[False, True]).index[0]
    )
    assert summary["point"] == expected
    assert summary["candidates"] == 3
    assert len(list((out / "confirm" / "runs").rglob("*.parquet"))) >= 3 * 2 * 3
    targets = pd.read_csv(out / "targets.csv")
    assert (targets["n"] == 3).all()
    report = (out / "report.md").read_text()
    assert "| payout | mlm |" in report
    assert (out / "calibration_targets.png").stat().st_size > 10_000
    capsys.readouterr()
    assert main(args) == 0  # resumes: nothing left to run, same result
    assert "runs to do" not in capsys.readouterr().err
    assert {name: (out / name).read_bytes() for name in first} == first


def test_check_reads_a_calibration_file(tmp_path, capsys):
    config = tmp_path / "cal_tiny.toml"
    config.write_text(TINY)
    assert main(["check", str(config)]) == 0
    out = capsys.readouterr().out
    assert "then 2 batches of 2 points and a confirmation of 3 replications" in out
    assert "ok: 16 runs (2 scenarios x 4 points x 2 replications)" in out


def test_a_bad_calibration_table_is_one_line_naming_the_key(tmp_path, capsys):
    config = tmp_path / "cal_bad.toml"
    config.write_text(TINY.replace("confirm = 3", "confirm = 1"))
    assert main(["calibrate", str(config), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: calibration.confirm: Input should be greater than or equal to 2"]
    assert not (tmp_path / "out").exists()
