"""Model-parameter problems are reported under the config key they come from."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from experiments.spec.paramcheck import check_model_params
from experiments.spec.schema import ExperimentConfig


class Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str = "beta"
    mean: float = 0.5


class Params(BaseModel):
    """A schema with the kinds of checks ModelParams has: field ranges and cross checks."""

    model_config = ConfigDict(extra="forbid")
    n_people: int = Field(100, ge=20)
    degree: float = 4.0
    shape: Shape = Shape()
    plan_params: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _cross(self) -> Params:
        if self.degree >= self.n_people:
            raise ValueError(f"degree must be < n_people ({self.n_people}), got {self.degree}")
        bad = [f"plan_params.{k}: must be >= 0" for k, v in self.plan_params.items() if v < 0]
        if bad:
            raise ValueError("; ".join(bad))
        return self


def _check(**tables):
    cfg = ExperimentConfig.model_validate({"name": "t", **tables})
    return check_model_params(cfg, Params)


def test_valid_parameters_give_no_problem():
    assert _check(model={"n_people": 50}, scenarios={"a": {"degree": 2.0}}) == []


def test_field_problems_are_located_in_model_scenario_or_design():
    problems = _check(
        model={"n_people": 5},
        scenarios={"a": {"shape": {"mean": "x"}}, "b": {}},
        design={"kind": "grid", "parameters": {"degree": {"values": [1.0, "y"]}}},
    )
    assert problems == [
        "model.n_people: Input should be greater than or equal to 20, got 5",
        "scenarios.a.shape.mean: Input should be a valid number, got 'x'",
        "design.parameters.degree: Input should be a valid number, got 'y' (design point 1)",
    ]


def test_cross_checks_are_located_by_the_parameter_they_name():
    problems = _check(
        model={"n_people": 30},
        scenarios={"a": {"degree": 40.0, "plan_params": {"fee": -1, "rate": -2}}},
    )
    assert problems == [
        "scenarios.a.degree: degree must be < n_people (30), got 40.0",
    ]
    problems = _check(scenarios={"a": {"plan_params": {"fee": -1, "rate": -2}}})
    assert problems == [
        "scenarios.a.plan_params.fee: must be >= 0",
        "scenarios.a.plan_params.rate: must be >= 0",
    ]


def test_a_dotted_design_parameter_owns_problems_of_its_table():
    problems = _check(
        design={"kind": "grid", "parameters": {"shape.colour": {"values": [1]}}},
    )
    assert problems == [
        "design.parameters.shape.colour: unknown key; allowed: kind, mean (design point 0)"
    ]


def test_unknown_top_level_parameters_are_left_to_the_config_checks():
    assert _check(model={"fee": 3}) == []
