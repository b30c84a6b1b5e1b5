import pytest

from experiments.present.inputs import GENERAL, default_texts, field_specs, read_settings
from model import ModelParams, ParameterError, available_plans
from model.params import validate_params
from model.plans import plan_class


@pytest.mark.parametrize("plan", available_plans())
def test_every_numeric_parameter_and_plan_field_is_an_input(plan):
    names = {spec.name for spec in field_specs(plan)}
    for name, info in ModelParams.model_fields.items():
        if info.annotation in (int, float):
            assert name in names
    for name in plan_class(plan).model_fields:
        assert f"plan.{name}" in names
    settings, errors = read_settings(plan, default_texts(plan))
    assert errors == {}
    assert settings.plan == plan
    assert set(settings.params["plan_params"]) == set(plan_class(plan).model_fields)


def _api_message(**params):
    with pytest.raises(ParameterError) as err:
        validate_params(**params)
    return str(err.value)


def test_bad_value_gets_the_api_message_on_its_field():
    texts = {**default_texts("unilevel"), "mean_degree": "1"}
    settings, errors = read_settings("unilevel", texts)
    assert settings is None
    assert errors == {"mean_degree": _api_message(mean_degree=1.0)}


def test_plan_field_and_cross_check_messages_land_on_their_fields():
    _, errors = read_settings("unilevel", {**default_texts("unilevel"), "plan.rates": "0.6, 0.6"})
    assert list(errors) == ["plan.rates"]
    assert errors["plan.rates"] == _api_message(plan="unilevel", plan_params={"rates": (0.6, 0.6)})
    _, errors = read_settings("unilevel", {**default_texts("unilevel"), "n_founders": "99999"})
    assert list(errors) == ["n_founders"]
    assert "n_founders must be <= n_people" in errors["n_founders"]


def test_text_that_is_not_a_number_or_a_choice_is_refused():
    texts = {**default_texts("binary"), "seed": "abc", "network": "ring", "months": "0"}
    _, errors = read_settings("binary", texts)
    assert errors["seed"] == "seed: must be an integer, got 'abc'"
    assert errors["network"].startswith("network: must be one of watts_strogatz")
    assert errors["months"] == "months: must be >= 1, got 0"
    assert GENERAL not in errors
