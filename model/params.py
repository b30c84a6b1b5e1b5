"""Every model parameter: default, unit, valid range and source, in one frozen object.

`ModelParams` is the single place where a parameter is defined. `MarketModel`
takes the same names as keyword arguments; experiments validate configs
against this schema. Sources for the defaults are in docs/ODD.md, section
"Input data"; each field's description says the unit and where the value
came from.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic import model_validator as _model_validator

from model.distributions import Distribution
from model.network import check_network_args
from model.plans.base import CompensationPlan
from model.plans.registry import available_plans, make_plan

NetworkKind = Literal[
    "watts_strogatz", "barabasi_albert", "erdos_renyi", "stochastic_block", "complete"
]


class ParameterError(ValueError):
    """An invalid model parameter; the message names each parameter and its range."""


def _f(default: Any, unit: str, doc: str, **limits: Any) -> Any:
    return Field(default, description=f"{doc} [{unit}]", allow_inf_nan=False, **limits)


class ModelParams(BaseModel):
    """All parameters of one model run (validated, immutable).

    Units are in brackets in each field's description; money is US dollars,
    time is months unless stated.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    # --- population and network -------------------------------------------------
    n_people: int = _f(10_000, "people", "population size", ge=20, le=5_000_000)
    network: NetworkKind = Field("watts_strogatz", description="social network generator")
    mean_degree: float = _f(20.0, "ties", "mean number of social ties per person", ge=2, le=500)
    rewire_prob: float = _f(0.1, "probability", "Watts-Strogatz rewiring probability", ge=0, le=1)
    n_blocks: int = _f(20, "blocks", "communities of the stochastic block network", ge=1)
    within_block_share: float = _f(
        0.9, "share", "share of ties inside one's community (stochastic block)", ge=0, le=1
    )
    n_founders: int = _f(10, "people", "participants who start the company in month 0", ge=0)

    # --- traits -------------------------------------------------------------------
    affinity: Distribution = Field(
        Distribution(kind="beta", mean=0.5, sd=0.2),
        description="product affinity: monthly probability of (re)buying when a customer [0..1]",
    )
    consumption: Distribution = Field(
        Distribution(kind="lognormal", mean=2.58, sd=1.2),
        description="household use of the product: units bought in a buying month [units/month]",
    )
    skill: Distribution = Field(
        Distribution(kind="lognormal", mean=1.0, sd=0.5),
        description="sales skill: multiplier on warm contacts per month [x]",
    )
    propensity: Distribution = Field(
        Distribution(kind="beta", mean=0.26, sd=0.1),
        description="entrepreneurial propensity: openness to the business opportunity [0..1]",
    )
    hours: Distribution = Field(
        Distribution(kind="gamma", mean=36.7, sd=15.0),
        description="hours per month a business participant plans to work [h/month]",
    )
    budget: Distribution = Field(
        Distribution(kind="lognormal", mean=678.0, sd=150.0),
        description="monthly discretionary budget for the business and own use [$/month]",
    )

    # --- product and company ------------------------------------------------------
    retail_price: float = _f(50.0, "$/unit", "retail price of one unit", gt=0)
    distributor_discount: float = _f(
        0.35, "share of retail", "discount at which participants buy (wholesale price)", ge=0, lt=1
    )
    unit_cost: float = _f(7.5, "$/unit", "company's cost of goods per unit", ge=0)
    plan: str | CompensationPlan = Field("unilevel", description="compensation plan name or object")
    plan_params: dict[str, Any] = Field(
        default_factory=dict, description="overrides of the plan's own parameters"
    )
    outside_upline: bool = Field(
        True,
        description="the population is one local market: its founders have uplines outside it",
    )

    # --- prospecting and conversion -------------------------------------------------
    contacts_per_hour: float = _f(
        0.474, "contacts/h", "warm-market contacts made per hour worked", ge=0, le=10
    )
    sale_prob: float = _f(
        0.419, "probability", "a product pitch sells (affinity 1, fully receptive)", ge=0, le=1
    )
    recruit_prob: float = _f(
        0.581,
        "probability",
        "an opportunity pitch recruits (propensity 1, fully receptive)",
        ge=0,
        le=1,
    )
    recruit_focus: float = _f(
        0.116,
        "share",
        "share of contacts pitched as the opportunity, in plans that reward recruiting",
        ge=0,
        le=1,
    )
    prequalify: bool = Field(
        False,
        description=(
            "business participants ask before they pitch: the opportunity goes to contacts "
            "interested in the business (propensity in the population's top recruit_focus "
            "share), the product to the rest"
        ),
    )
    customer_join_prob: float = _f(
        0.0179,
        "1/month",
        "monthly chance a customer joins for the business (times propensity)",
        ge=0,
        le=1,
    )
    discount_join_prob: float = _f(
        0.0266,
        "1/month",
        "monthly chance a customer for whom membership pays joins to buy at the discount",
        ge=0,
        le=1,
    )
    payback_months: float = _f(
        12.0, "months", "horizon over which a customer weighs discount savings against fees", gt=0
    )
    member_effort: float = _f(
        0.0565,
        "share of hours",
        "hours a discount member puts into selling, relative to a builder",
        ge=0,
        le=1,
    )
    leads_per_month: float = _f(0.0, "leads/month", "cold leads bought per participant", ge=0)
    cost_per_lead: float = _f(1.0, "$/lead", "price of one bought lead", ge=0)
    cold_factor: float = _f(
        0.25, "x", "conversion of a cold lead relative to a warm tie", ge=0, le=1
    )
    saturation_contacts: float = _f(
        3.32, "contacts", "contacts received that cut receptivity by 1/e", gt=0
    )
    training_effect: float = _f(
        0.0, "x", "relative gain in contacts from training and support", ge=0, le=5
    )
    training_cost: float = _f(0.0, "$/month", "monthly cost of training tools and events", ge=0)

    # --- word of mouth (Bass) -------------------------------------------------------
    bass_p: float = _f(0.01, "1/year", "Bass innovation coefficient (spontaneous)", ge=0, le=5)
    bass_q: float = _f(0.38, "1/year", "Bass imitation coefficient", ge=0, le=50)
    neg_wom_reach: float = _f(
        0.5, "probability", "chance each tie hears an unhappy story", ge=0, le=1
    )
    neg_wom_strength: float = _f(
        0.2, "share", "receptivity lost per unhappy story heard", ge=0, le=1
    )

    # --- purchases ------------------------------------------------------------------
    customer_lapse_prob: float = _f(
        0.188, "1/month", "chance a customer who did not buy this month stops", ge=0, le=1
    )

    # --- costs, effort, expectations and drop-out -----------------------------------
    cost_per_contact: float = _f(
        5.21, "$/contact", "running cost of one prospecting contact (travel, samples)", ge=0
    )
    cost_per_customer: float = _f(
        0.352, "$/customer/month", "cost of serving one buying customer (delivery, follow-up)", ge=0
    )
    fixed_cost: float = _f(
        24.7,
        "$/month",
        "fixed monthly running cost of a business participant (phone, website)",
        ge=0,
    )
    opportunity_wage: float = _f(7.25, "$/h", "value of an hour for net_profit_after_time", ge=0)
    expected_wage: float = _f(
        7.25, "$/h", "net income per planned hour a business participant expects", gt=0
    )
    effort_response: float = _f(
        0.365,
        "x",
        "how hours follow earnings: hours x (1 + r (income - expected) / expected)",
        ge=0,
        le=1,
    )
    max_hours: float = _f(160.0, "h/month", "most hours anyone works the business", gt=0)
    base_quit_prob: float = _f(
        0.00921, "1/month", "drop-out hazard of a content participant", ge=0, le=1
    )
    disappointment_weight: float = _f(
        0.0469, "1/month", "extra hazard at full disappointment (business participants)", ge=0, le=1
    )
    loss_weight: float = _f(
        0.0526, "1/month", "extra hazard as losses exceed tolerance", ge=0, le=1
    )
    income_smoothing: float = _f(
        0.3, "weight", "weight of the latest month in perceived income", gt=0, le=1
    )
    loss_tolerance_months: float = _f(
        3.0, "months of budget", "accumulated loss that halves the loss term", gt=0
    )

    @field_validator("plan")
    @classmethod
    def _known_plan(cls, value: str | CompensationPlan) -> str | CompensationPlan:
        if isinstance(value, str) and value not in available_plans():
            raise ValueError(f"must be one of {', '.join(available_plans())}, got {value!r}")
        return value

    @_model_validator(mode="after")
    def _cross_checks(self) -> ModelParams:
        try:
            check_network_args(self.network, self.n_people, **self.network_options)
        except ValueError as err:
            raise ValueError(f"network={self.network!r}: {err}") from None
        if self.n_founders > self.n_people:
            raise ValueError(
                f"n_founders must be <= n_people ({self.n_people}), got {self.n_founders}"
            )
        self._check_plan()
        for name in ("affinity", "propensity"):
            dist: Distribution = getattr(self, name)
            if dist.kind not in ("beta", "constant") or not 0 <= dist.mean <= 1:
                raise ValueError(f"{name} is a probability: use kind beta or constant in [0, 1]")
        for name in ("consumption", "skill", "hours", "budget"):
            dist = getattr(self, name)
            if dist.kind in ("constant", "uniform") and dist.lowest < 0:
                raise ValueError(
                    f"{name} must be >= 0: a {dist.kind} with mean {dist.mean} and sd {dist.sd}"
                    f" reaches {dist.lowest:.4g}"
                )
        return self

    def _check_plan(self) -> None:
        try:
            make_plan(self.plan, self.plan_params)
        except ValidationError as err:
            lines = [
                f"plan_params.{'.'.join(str(p) for p in e['loc'])}: "
                f"{e['msg'].removeprefix('Value error, ')}"
                for e in err.errors()
            ]
            raise ValueError("; ".join(lines)) from None

    @property
    def network_options(self) -> dict[str, float]:
        """The keyword arguments of `model.network.make_network` besides kind and size."""
        return {
            "mean_degree": self.mean_degree,
            "rewire_prob": self.rewire_prob,
            "n_blocks": self.n_blocks,
            "within_block_share": self.within_block_share,
        }

    @property
    def wholesale_price(self) -> float:
        """Price at which participants buy one unit [$/unit]; also its business volume."""
        return self.retail_price * (1.0 - self.distributor_discount)


def validate_params(**kwargs: Any) -> ModelParams:
    """Build ModelParams, turning validation errors into one line per parameter.

    Args:
        **kwargs: parameter values by name.

    Returns:
        The validated parameters.

    Raises:
        ParameterError: naming each bad parameter, the allowed range and the value given.
    """
    try:
        return ModelParams(**kwargs)
    except ValidationError as err:
        raise ParameterError(format_validation_error(err, ModelParams)) from None


def format_validation_error(err: ValidationError, schema: type[BaseModel]) -> str:
    """One line per error: `name: problem (allowed: range), got value`.

    Args:
        err: the pydantic error.
        schema: the model class, used to describe each field's allowed range.

    Returns:
        The message, one line per error.
    """
    lines = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"]) or "parameters"
        msg = e["msg"].removeprefix("Value error, ")
        field = schema.model_fields.get(str(e["loc"][0])) if e["loc"] else None
        allowed = _allowed_range(field) if field is not None else ""
        if e["type"] == "extra_forbidden":
            msg = f"unknown parameter; allowed: {', '.join(schema.model_fields)}"
            allowed = ""
        got = "" if e["type"] in ("extra_forbidden", "value_error") else f", got {e['input']!r}"
        lines.append(f"{loc}: {msg}{allowed}{got}")
    return "\n".join(lines)


def _allowed_range(field: Any) -> str:
    bounds = []
    for meta in field.metadata:
        for attr, sym in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
            value = getattr(meta, attr, None)
            if value is not None:
                bounds.append(f"{sym} {value}")
    return f" (allowed: {' and '.join(bounds)})" if bounds else ""
