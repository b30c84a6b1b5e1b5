"""Suites: several configs in one file, each part run into its own results folder."""

from __future__ import annotations

import json

import pytest

from experiments import load_results
from experiments.cli import main
from experiments.spec.schema import ConfigError
from experiments.spec.suite import is_suite, load_suite, parse_suite
from experiments.store.layout import SUITE_MANIFEST

SUITE = """
name = "duo"
months = 6
[model]
n_people = 50
growth = 0.2
[outputs]
participants = true

[parts.pair.scenarios.mlm]
plan = "unilevel"
[parts.pair.scenarios.referral]
plan = "referral"
[parts.pair.replications]
count = 2

[parts.grid]
months = 4
[parts.grid.model]
n_people = 30
[parts.grid.outputs]
monthly = false
[parts.grid.design]
kind = "grid"
[parts.grid.design.parameters.growth]
values = [0.1, 0.3]
"""


def test_parts_inherit_months_model_and_outputs(fake_model, write_config):
    path = write_config(SUITE)
    assert is_suite(path)
    suite = load_suite(path)
    assert suite.name == "duo" and list(suite.parts) == ["pair", "grid"]
    pair, grid = suite.parts["pair"], suite.parts["grid"]
    assert pair.name == "duo.pair" and pair.months == 6
    assert pair.model == {"n_people": 50, "growth": 0.2}
    assert pair.outputs.participants and pair.outputs.monthly
    assert grid.months == 4 and grid.model == {"n_people": 30, "growth": 0.2}
    assert grid.outputs.participants and not grid.outputs.monthly


def test_errors_name_the_part_and_key(fake_model):
    with pytest.raises(ConfigError) as err:
        parse_suite(
            {
                "name": "bad",
                "extra": 1,
                "parts": {"a": {"replications": {"count": 0}}, "b": {"name": "x"}},
            }
        )
    assert err.value.errors == [
        "extra: unknown key in a suite; allowed: name, months, model, outputs, parts",
        "parts.a.replications.count: must be an integer >= 1, got 0",
        "parts.b.name: not allowed; a part is named <suite>.<part>",
    ]
    with pytest.raises(ConfigError, match="parts: must be a table"):
        parse_suite({"name": "empty", "parts": {}})
    with pytest.raises(ConfigError, match=r"parts\.a\.model\.nope: unknown parameter"):
        parse_suite({"name": "s", "parts": {"a": {"model": {"nope": 1}}}})


def test_check_counts_every_part(fake_model, write_config, capsys):
    assert main(["check", str(write_config(SUITE))]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "ok: pair: 4 runs (2 scenarios x 1 points x 2 replications)",
        "ok: grid: 2 runs (1 scenarios x 2 points x 1 replications)",
        "ok: 6 runs in 2 parts",
    ]


def test_run_writes_each_part_as_a_resumable_results_folder(
    fake_model, write_config, tmp_path, capsys
):
    path, out = write_config(SUITE), tmp_path / "duo"
    assert main(["run", str(path), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    manifest = json.loads((out / SUITE_MANIFEST).read_text())
    assert manifest["kind"] == "downline-suite" and manifest["name"] == "duo"
    assert [p["name"] for p in manifest["parts"]] == ["pair", "grid"]
    pair, grid = load_results(out / "pair"), load_results(out / "grid")
    assert len(pair.runs) == 4 and pair.participants is not None
    assert len(grid.runs) == 2 and grid.monthly is None
    assert pair.manifest["name"] == "duo.pair"
    capsys.readouterr()
    assert main(["run", str(path), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    assert "0 ok, 0 failed, 4 skipped" in capsys.readouterr().out


def test_run_refuses_a_folder_that_is_not_this_suites(fake_model, write_config, tmp_path, capsys):
    out = tmp_path / "other"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    assert main(["run", str(write_config(SUITE)), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not a downline suite results folder" in err[0]
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    (out / "keep.txt").unlink()
    (out / SUITE_MANIFEST).write_text(json.dumps({"kind": "downline-suite", "name": "trio"}))
    assert main(["run", str(write_config(SUITE)), "--out", str(out), "--quiet"]) == 2
    assert "suite 'trio', not 'duo'" in capsys.readouterr().err


def test_the_shipped_claims_suites_are_valid():
    claims, small = load_suite("claims.toml"), load_suite("claims_small.toml")
    parts = [
        "main",
        "depth",
        "training",
        "leads",
        "budget",
        "prequalify",
        "neg_wom",
        "robustness",
        "morris",
        "ablations",
    ]
    assert list(claims.parts) == parts and list(small.parts) == parts
    from experiments.claims.catalogue import DEPTH_SCENARIOS

    assert claims.parts["depth"].scenario_names == list(DEPTH_SCENARIOS)
    assert claims.parts["main"].replications.n >= 30
    for level in range(1, 8):
        rates = claims.parts["depth"].scenarios[f"unilevel_{level}"]["plan_params"]["rates"]
        assert len(rates) == level and sum(rates) == pytest.approx(0.35)
