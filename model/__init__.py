"""downline simulation: the Mesa model of MLM and referral selling.

Example:
    >>> from model import MarketModel
    >>> m = MarketModel(rng=1, n_people=1_000, plan="referral")
    >>> m.run(12)
    >>> table = m.participant_table()
"""

from model.model import MarketModel
from model.params import ModelParams, ParameterError
from model.plans import available_plans, make_plan

__all__ = ["MarketModel", "ModelParams", "ParameterError", "available_plans", "make_plan"]
