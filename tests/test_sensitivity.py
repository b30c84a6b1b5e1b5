"""Morris and Sobol indices on outcomes that are known functions of the design."""

from __future__ import annotations

import pandas as pd
import pytest

from experiments.claims.sensitivity import morris_indices, outcome_matrix, sobol_indices
from experiments.spec.designs import unit_sample
from experiments.spec.schema import Design

PARAMETERS = {"a": {"low": 0.0, "high": 1.0}, "b": {"low": 0.0, "high": 1.0}}


def measures_of(design: Design, f) -> pd.DataFrame:
    """Two replications per point: mlm's success rate is f(unit point), referral's 0.1."""
    x = unit_sample(design)
    rows = []
    for point, u in enumerate(x):
        for rep in range(2):
            rows.append(
                {"scenario": "mlm", "point": point, "replication": rep, "success_rate": f(u)}
            )
            rows.append(
                {"scenario": "referral", "point": point, "replication": rep, "success_rate": 0.1}
            )
    return pd.DataFrame(rows)


def test_outcome_matrix_takes_point_means_and_differences():
    design = Design(kind="lhs", n=4, seed=1, parameters=PARAMETERS)
    table = outcome_matrix(measures_of(design, lambda u: u[0]), 4)
    x = unit_sample(design)
    assert table["mlm success rate"].to_numpy() == pytest.approx(x[:, 0])
    assert table["referral - mlm success rate"].to_numpy() == pytest.approx(0.1 - x[:, 0])
    assert "mlm Gini of net income" not in table  # not measured: left out


def test_morris_finds_the_parameter_that_matters():
    design = Design(kind="morris", n=10, seed=3, parameters=PARAMETERS)
    table = morris_indices(measures_of(design, lambda u: 2 * u[0]), design)
    mu = table[(table["outcome"] == "mlm success rate") & (table["index"] == "mu_star")]
    by_name = mu.set_index("parameter")["estimate"]
    assert by_name["a"] == pytest.approx(2.0, rel=0.05)  # slope 2 on the unit scale
    assert by_name["b"] == pytest.approx(0.0, abs=1e-9)
    with pytest.raises(ValueError, match=r"saltelli design, not .morris."):
        sobol_indices(measures_of(design, lambda u: u[0]), design)


def test_sobol_indices_of_an_additive_function():
    design = Design(kind="saltelli", n=256, seed=4, parameters=PARAMETERS, calc_second_order=False)
    # variance 4/12 from a, 1/12 from b: S1 = 0.8 and 0.2
    table = sobol_indices(measures_of(design, lambda u: 2 * u[0] + u[1]), design)
    s1 = table[(table["outcome"] == "mlm success rate") & (table["index"] == "S1")]
    by_name = s1.set_index("parameter")
    assert by_name.at["a", "estimate"] == pytest.approx(0.8, abs=0.08)
    assert by_name.at["b", "estimate"] == pytest.approx(0.2, abs=0.08)
    assert (by_name["low"] < by_name["estimate"]).all()
    assert (by_name["high"] > by_name["estimate"]).all()


SMALL_SALTELLI = """
name = "sens_small"
months = 24
[model]
n_people = 150
[outputs]
monthly = false
participants = true
[scenarios.mlm]
plan = "unilevel"
[scenarios.referral]
plan = "referral"
[design]
kind = "saltelli"
n = 8
seed = 1
calc_second_order = false
[design.parameters.sale_prob]
low = 0.15
high = 0.45
[design.parameters."referral:plan_params.rate"]
low = 0.05
high = 0.2
[replications]
count = 1
base_seed = 2
"""


def test_report_of_a_saltelli_folder_gives_sobol_indices_with_cis(tmp_path, capsys):
    from experiments.cli import main

    config = tmp_path / "sens.toml"
    config.write_text(SMALL_SALTELLI, encoding="utf-8")
    out = tmp_path / "sens"
    assert main(["run", str(config), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    assert main(["report", str(out)]) == 0
    table = pd.read_csv(out / "sensitivity" / "sobol.csv")
    assert set(table["index"]) == {"S1", "ST"}
    assert set(table["parameter"]) == {"sale_prob", "referral:plan_params.rate"}
    assert (table["low"] <= table["estimate"]).all() and (table["estimate"] <= table["high"]).all()
    assert (out / "sensitivity" / "sobol_S1.png").is_file()
    assert "| outcome | parameter | S1 |" in (out / "report.md").read_text()
    capsys.readouterr()
