"""Config loading and validation: every bad config is refused with its key path, nothing written."""

from __future__ import annotations

import re

import pytest

from experiments.cli import main
from experiments.spec.loader import find_config, load_config, parse_config
from experiments.spec.runspec import expand_runs, resolve_params
from experiments.spec.schema import ConfigError, config_hash

BASE = """
name = "t"
months = 12
[model]
n_people = 100
[scenarios.mlm]
plan = "unilevel"
[scenarios.referral]
plan = "referral"
"""

RANGE = """
[design]
kind = "lhs"
n = 4
[design.parameters.growth]
low = 0.1
high = 0.5
"""

# (id, extra TOML appended to BASE or a full replacement, key path expected in the message)
BAD_CONFIGS = [
    (
        "points-unequal",
        BASE
        + '[design]\nkind = "points"\n[design.parameters.sale_prob]\nvalues = [0.1, 0.2]\n'
        + "[design.parameters.recruit_prob]\nvalues = [0.3]\n",
        'design.parameters: kind = "points" needs the same number of values for every '
        "parameter (one per point), got [1, 2]",
    ),
    (
        "months-zero",
        BASE.replace("months = 12", "months = 0"),
        "months: must be an integer >= 1, got 0",
    ),
    (
        "months-float",
        BASE.replace("months = 12", "months = 1.5"),
        "months: must be an integer >= 1",
    ),
    (
        "count-zero",
        BASE + "[replications]\ncount = 0\n",
        "replications.count: must be an integer >= 1, got 0",
    ),
    (
        "kind-unknown",
        BASE + '[design]\nkind = "foo"\n',
        "design.kind: must be one of none, grid, points, lhs, sobol, saltelli, morris, got 'foo'",
    ),
    ("top-level-unknown", "colour = 1\n" + BASE, "colour: unknown key; allowed: name, months"),
    (
        "outputs-unknown",
        BASE + "[outputs]\nmonthy = true\n",
        "outputs.monthy: unknown key; allowed: monthly",
    ),
    (
        "outputs-not-bool",
        BASE + '[outputs]\nmonthly = "yes"\n',
        "outputs.monthly: must be true or false",
    ),
    (
        "model-unknown",
        BASE.replace("n_people = 100", "fee = 1"),
        "model.fee: unknown parameter; allowed:",
    ),
    ("scenario-unknown", BASE + "colour = 3\n", "scenarios.referral.colour: unknown parameter"),
    ("model-range", BASE.replace("n_people = 100", "n_people = 5"), "model.n_people: "),
    ("scenario-range", BASE + "n_people = 5\n", "scenarios.referral.n_people: "),
    (
        "scenario-plan",
        BASE.replace('plan = "referral"', 'plan = "pyramid"'),
        "scenarios.referral.plan: ",
    ),
    (
        "design-value-range",
        BASE + '[design]\nkind = "grid"\n[design.parameters.n_people]\nvalues = [5, 100]\n',
        "design.parameters.n_people: ",
    ),
    (
        "grid-empty",
        BASE + '[design]\nkind = "grid"\n[design.parameters.n_people]\nvalues = []\n',
        "design.parameters.n_people.values: must be a non-empty array",
    ),
    (
        "grid-with-bounds",
        BASE + '[design]\nkind = "grid"\n[design.parameters.n_people]\nvalues = [50]\nlow = 1.0\n',
        'design.parameters.n_people.low: not used with kind = "grid"',
    ),
    (
        "lhs-low-high",
        BASE + RANGE.replace("high = 0.5", "high = 0.1"),
        "design.parameters.growth.high: must be > low",
    ),
    ("lhs-missing-n", BASE + RANGE.replace("n = 4\n", ""), "design.n: required"),
    (
        "lhs-missing-high",
        BASE + RANGE.replace("high = 0.5\n", ""),
        "design.parameters.growth.high: required",
    ),
    (
        "sobol-not-power-of-two",
        BASE + RANGE.replace('"lhs"', '"sobol"').replace("n = 4", "n = 100"),
        "design.n: sobol needs a power of two",
    ),
    (
        "log-nonpositive",
        BASE + RANGE.replace("low = 0.1", "low = 0.0\nlog = true"),
        "design.parameters.growth.low: must be > 0",
    ),
    (
        "integer-fractional-bounds",
        BASE + RANGE.replace("high = 0.5", "high = 0.5\ninteger = true"),
        "design.parameters.growth.low: integer = true needs whole-number bounds",
    ),
    (
        "design-not-model-param",
        BASE + RANGE.replace("parameters.growth", "parameters.bogus"),
        "design.parameters.bogus: not a model parameter",
    ),
    (
        "design-unknown-scenario",
        BASE + RANGE.replace("parameters.growth", 'parameters."nope:growth"'),
        "design.parameters.nope:growth: no scenario 'nope'",
    ),
    (
        "design-sample-range",
        BASE + RANGE.replace("high = 0.5", "high = 3.0"),
        "design.parameters.growth: ",
    ),
    (
        "none-with-parameters",
        BASE + RANGE.replace('"lhs"', '"none"').replace("n = 4\n", ""),
        'design.parameters: not used with kind = "none"',
    ),
    (
        "second-order-not-saltelli",
        BASE + RANGE.replace("n = 4", "n = 4\ncalc_second_order = false"),
        'design.calc_second_order: only used with kind = "saltelli"',
    ),
    (
        "design-seed-negative",
        BASE + RANGE.replace("n = 4", "n = 4\nseed = -1"),
        "design.seed: must be an integer >= 0, got -1",
    ),
    (
        "count-and-seeds",
        BASE + "[replications]\ncount = 2\nseeds = [1, 2]\n",
        "replications.seeds: give either count or seeds",
    ),
    (
        "seeds-duplicate",
        BASE + "[replications]\nseeds = [1, 1]\n",
        "replications.seeds: must be distinct",
    ),
    (
        "seeds-negative",
        BASE + "[replications]\nseeds = [1, -2]\n",
        "replications.seeds: must be integers in [0, 9223372036854775807], got -2",
    ),
    (
        "base-seed-bool",
        BASE + "[replications]\nbase_seed = true\n",
        "replications.base_seed: must be an integer >= 0",
    ),
    ("name-unsafe", BASE.replace('name = "t"', 'name = "a b"'), "name: must be letters, digits"),
    (
        "scenario-name-unsafe",
        BASE + '[scenarios."a b"]\nplan = "unilevel"\n',
        "scenarios.a b: scenario names must be",
    ),
    (
        "model-not-table",
        BASE.replace("[model]\nn_people = 100", "model = 3"),
        "model: must be a table, got 3",
    ),
    ("invalid-toml", BASE + "[design\n", "config: "),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in BAD_CONFIGS], ids=[c[0] for c in BAD_CONFIGS]
)
def test_bad_config_is_refused_with_its_key_path(
    fake_model, write_config, tmp_path, capsys, text, expected
):
    path = write_config(text)
    out = tmp_path / "out"
    code = main(["run", str(path), "--out", str(out), "--workers", "1", "--quiet"])
    captured = capsys.readouterr()
    assert code == 2
    assert expected in captured.err, captured.err
    assert all(line.startswith("error: ") for line in captured.err.splitlines())
    assert captured.out == ""
    assert not out.exists()


def test_there_are_at_least_twenty_bad_configs():
    assert len({c[0] for c in BAD_CONFIGS}) == len(BAD_CONFIGS) >= 20


def test_all_errors_are_listed_one_per_line(fake_model):
    data = {"name": "t", "months": 0, "replications": {"count": 0}, "design": {"kind": "x"}}
    with pytest.raises(ConfigError) as caught:
        parse_config(data)
    assert caught.value.errors == [
        "months: must be an integer >= 1, got 0",
        "design.kind: must be one of none, grid, points, lhs, sobol, saltelli, morris, got 'x'",
        "replications.count: must be an integer >= 1, got 0",
    ]
    assert str(caught.value) == "\n".join(caught.value.errors)


def test_range_errors_over_many_design_points_are_capped(fake_model):
    data = {
        "name": "t",
        "design": {"kind": "grid", "parameters": {"n_people": {"values": [1, 2, 3, 4, 5, 50]}}},
    }
    with pytest.raises(ConfigError) as caught:
        parse_config(data)
    errors = caught.value.errors
    assert len(errors) == 4
    assert errors[-1] == "design.parameters.n_people: ... and 2 more like these"
    assert "(design point 0)" in errors[0]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["run", "X", "--workers", "0"], "argument --workers: must be an integer >= 1, got '0'"),
        (["run", "X", "--workers", "two"], "argument --workers: must be an integer >= 1"),
        (["run", "X", "--scheduler", "nowhere"], "argument --scheduler: must be 'local' or"),
        (
            ["run", "X", "--resume", "--force"],
            "argument --force: not allowed with argument --resume",
        ),
        (["run", "X", "--colour"], "unrecognized arguments: --colour"),
        (["frobnicate"], "argument COMMAND: invalid choice: 'frobnicate'"),
        (["demo", "--months", "0"], "argument --months: must be an integer >= 1"),
        (["run", "missing.toml"], "config: file not found: missing.toml"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(tmp_path, capsys, monkeypatch, argv, expected):
    monkeypatch.chdir(tmp_path)
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2
    assert expected in err
    assert len(err.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_check_counts_runs(fake_model, write_config, capsys):
    grid = '[design]\nkind = "grid"\n[design.parameters.growth]\nvalues = [0.1, 0.2, 0.3]\n'
    path = write_config(BASE + grid + "[replications]\ncount = 4\n")
    assert main(["check", str(path)]) == 0
    assert (
        capsys.readouterr().out.strip() == "ok: 24 runs (2 scenarios x 3 points x 4 replications)"
    )


def test_bare_config_names_are_found_in_the_package(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert find_config("example.toml").parent.name == "experiments"
    with pytest.raises(ConfigError, match="also looked in"):
        find_config("no-such-config.toml")


def test_example_config_is_small_and_valid(fake_model):
    cfg = load_config("example.toml")
    assert cfg.name == "example"
    assert cfg.model["n_people"] == 2000
    assert cfg.months == 60
    assert len(expand_runs(cfg)) == 12


def test_name_defaults_to_the_file_stem(fake_model, write_config):
    path = write_config(BASE.replace('name = "t"\n', ""), name="my-study.toml")
    assert load_config(path).name == "my-study"


def test_config_hash_is_stable_and_sensitive():
    first = parse_config({"name": "t", "model": {"n_people": 100, "plan": "unilevel"}})
    reordered = parse_config({"model": {"plan": "unilevel", "n_people": 100}, "name": "t"})
    changed = parse_config({"name": "t", "model": {"n_people": 101, "plan": "unilevel"}})
    assert config_hash(first) == config_hash(reordered)
    assert config_hash(first) != config_hash(changed)
    assert len(config_hash(first)) == 64


def test_scenarios_replace_whole_keys_and_dotted_design_names_reach_into_tables(fake_model):
    cfg = parse_config(
        {
            "name": "t",
            "model": {"n_people": 100, "plan_params": {"rates": [0.1], "starter_fee": 50.0}},
            "scenarios": {"referral": {"plan": "referral", "plan_params": {"rate": 0.2}}},
        }
    )
    params = resolve_params(cfg, "referral", {"plan_params.starter_fee": 0.0})
    assert params == {
        "n_people": 100,
        "plan": "referral",
        "plan_params": {"rate": 0.2, "starter_fee": 0.0},
    }
    assert cfg.model["plan_params"]["starter_fee"] == 50.0


def test_scenario_scoped_design_parameters_reach_one_scenario(fake_model):
    cfg = parse_config(
        {
            "name": "t",
            "model": {"n_people": 100},
            "scenarios": {"mlm": {}, "referral": {"plan": "referral"}},
        }
    )
    point = {"mlm:plan_params.starter_fee": 20.0, "referral:plan_params.rate": 0.3, "seed": 1}
    assert resolve_params(cfg, "mlm", point) == {
        "n_people": 100,
        "plan_params": {"starter_fee": 20.0},
        "seed": 1,
    }
    assert resolve_params(cfg, "referral", point) == {
        "n_people": 100,
        "plan": "referral",
        "plan_params": {"rate": 0.3},
        "seed": 1,
    }


def test_a_design_parameter_scoped_to_two_scenarios_reaches_both_only(fake_model):
    cfg = parse_config(
        {
            "name": "t",
            "scenarios": {"a": {}, "b": {"growth": 0.5}, "c": {"plan": "referral"}},
            "design": {
                "kind": "lhs",
                "n": 2,
                "parameters": {"a+b:plan_params.starter_fee": {"low": 0.0, "high": 9.0}},
            },
        }
    )
    point = {"a+b:plan_params.starter_fee": 4.0}
    assert resolve_params(cfg, "a", point) == {"plan_params": {"starter_fee": 4.0}}
    assert resolve_params(cfg, "b", point) == {"growth": 0.5, "plan_params": {"starter_fee": 4.0}}
    assert resolve_params(cfg, "c", point) == {"plan": "referral"}


def test_a_scope_naming_a_missing_scenario_is_one_line(fake_model):
    data = {
        "name": "t",
        "scenarios": {"a": {}},
        "design": {"kind": "lhs", "n": 2, "parameters": {"a+z:growth": {"low": 0, "high": 1}}},
    }
    expected = re.escape("design.parameters.a+z:growth: no scenario 'z'")
    with pytest.raises(ConfigError, match=expected):
        parse_config(data)


def test_run_ids_and_order(fake_model):
    cfg = parse_config(
        {
            "name": "t",
            "scenarios": {"mlm": {}, "referral": {"plan": "referral"}},
            "design": {"kind": "grid", "parameters": {"growth": {"values": [0.1, 0.2]}}},
            "replications": {"count": 2},
        }
    )
    runs = expand_runs(cfg)
    assert [r.run_id for r in runs[:4]] == [
        "s=mlm/p=0000/r=000",
        "s=referral/p=0000/r=000",
        "s=mlm/p=0000/r=001",
        "s=referral/p=0000/r=001",
    ]
    assert len({r.run_id for r in runs}) == len(runs) == 8
    assert runs[-1].design_values == {"growth": 0.2}
    assert runs[-1].params == {"plan": "referral", "growth": 0.2}


def test_without_scenarios_there_is_one_base_scenario(fake_model):
    cfg = parse_config({"name": "t", "model": {"n_people": 50}})
    (run,) = expand_runs(cfg)
    assert run.scenario == "base"
    assert run.params == {"n_people": 50}


def test_saltelli_without_salib_names_the_extra(monkeypatch, fake_model):
    monkeypatch.setattr("experiments.spec.loader.find_spec", lambda name: None)
    data = {
        "name": "t",
        "design": {"kind": "saltelli", "n": 8, "parameters": {"growth": {"low": 0, "high": 1}}},
    }
    with pytest.raises(ConfigError) as caught:
        parse_config(data)
    assert caught.value.errors == [
        'design.kind = "saltelli" needs SALib: pip install "downline[salib]"'
    ]
