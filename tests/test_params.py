"""Parameter validation: each bound either side, and the one-line-per-error message.

A message line reads `name: problem (allowed: range), got value`; the problem
text in between is pydantic's, the rest is ours (`model.params`).
"""

import math
import re

import pytest
from pydantic import BaseModel, ValidationError

from model.params import ModelParams, ParameterError, _f, validate_params
from model.plans import available_plans

SMALL = {"n_people": 20, "mean_degree": 4, "n_founders": 2}
"""A valid population small enough for the network check (mean degree below n)."""


def error_of(**kwargs) -> str:
    with pytest.raises(ParameterError) as caught:
        validate_params(**{**SMALL, **kwargs})
    return str(caught.value)


@pytest.mark.parametrize(
    ("name", "bad", "allowed"),
    [
        ("n_people", 19, ">= 20 and <= 5000000"),
        ("n_people", 5_000_001, ">= 20 and <= 5000000"),
        ("retail_price", 0, "> 0"),
        ("unit_cost", -0.5, ">= 0"),
        ("sale_prob", 1.5, ">= 0 and <= 1"),
        ("distributor_discount", 1.0, ">= 0 and < 1"),
        ("income_smoothing", 0.0, "> 0 and <= 1"),
    ],
)
def test_a_value_out_of_bounds_names_the_field_its_range_and_the_value(name, bad, allowed):
    message = error_of(**{name: bad})
    pattern = rf"{name}: [^\n]+ \(allowed: {re.escape(allowed)}\), got {re.escape(repr(bad))}"
    assert re.fullmatch(pattern, message), message


@pytest.mark.parametrize(
    ("name", "good"),
    [
        ("n_people", 20),
        ("n_people", 5_000_000),
        ("unit_cost", 0.0),
        ("sale_prob", 1.0),
        ("distributor_discount", 0.0),
        ("distributor_discount", 0.999),
        ("income_smoothing", 1.0),
    ],
)
def test_a_value_on_its_bound_is_accepted(name, good):
    # n_people at 5,000,000 is only checked, never built into a network
    assert getattr(validate_params(**{**SMALL, name: good}), name) == good


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_infinite_or_missing_numbers_are_rejected(bad):
    assert error_of(unit_cost=bad).startswith("unit_cost: Input should be a finite number")


def test_a_field_without_bounds_gives_no_range():
    message = error_of(network="grid")
    assert message.startswith("network: Input should be ")
    assert message.endswith(", got 'grid'")
    assert "allowed" not in message


def test_a_rule_of_one_field_is_stated_once_without_a_range():
    """The plan check raises its own message, which already names the value."""
    plans = ", ".join(available_plans())
    assert error_of(plan="pyramid") == f"plan: must be one of {plans}, got 'pyramid'"


def test_a_rule_across_fields_is_reported_under_parameters():
    assert error_of(n_founders=21) == "parameters: n_founders must be <= n_people (20), got 21"
    assert validate_params(**{**SMALL, "n_founders": 20}).n_founders == 20


def test_a_nested_field_is_named_by_its_dotted_path():
    message = error_of(affinity={"kind": "bogus", "mean": 0.5})
    assert message.startswith("affinity.kind: Input should be ")
    assert message.endswith(", got 'bogus'")


def test_an_unknown_parameter_lists_the_allowed_names():
    names = ", ".join(ModelParams.model_fields)
    assert names.startswith("n_people, network, ")
    assert error_of(colour="red") == f"colour: unknown parameter; allowed: {names}"


def test_each_error_is_one_line():
    lines = error_of(n_people=19, retail_price=0).split("\n")
    assert [line.split(":")[0] for line in lines] == ["n_people", "retail_price"]


def test_field_helper_sets_default_unit_finiteness_and_limits():
    """`_f` builds every numeric field: default, `[unit]` in the description, finite, bounded."""

    class Schema(BaseModel):
        share: float = _f(0.25, "share", "a share", ge=0, le=1)
        price: float = _f(2.0, "$/unit", "a price", gt=0)

    assert Schema().share == 0.25
    assert Schema().price == 2.0
    assert Schema.model_fields["share"].description == "a share [share]"
    assert Schema(share=0, price=1e-9).share == 0
    assert Schema(share=1).share == 1
    for bad in ({"share": -0.01}, {"share": 1.01}, {"price": 0}, {"price": math.inf}):
        with pytest.raises(ValidationError):
            Schema(**bad)


def test_a_bad_plan_parameter_is_named_under_plan_params():
    """The plan's own rule, with its message, reported as one cross-field error."""
    message = error_of(plan="unilevel", plan_params={"rates": (0.6, 0.6)})
    rule = "each rate must be in [0, 1] and their sum <= 1, got (0.6, 0.6)"
    assert message == f"parameters: plan_params.rates: {rule}"
    assert validate_params(**SMALL, plan="unilevel", plan_params={"rates": (0.5, 0.5)})


def test_several_bad_plan_parameters_are_joined_with_their_dotted_paths():
    message = error_of(plan="unilevel", plan_params={"rates": ("a", 0.1), "compression": "no"})
    first, second = message.split("; ")
    assert first.startswith("parameters: plan_params.rates.0: Input should be a valid number")
    assert second == "plan_params.compression: Input should be 'inactive' or 'dynamic'"
