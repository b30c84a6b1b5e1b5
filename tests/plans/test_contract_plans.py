"""Every registered plan runs the shared contract."""

from model.plans import available_plans
from tests.plans.contract import PlanContract


class TestUnilevel(PlanContract):
    plan_name = "unilevel"


class TestReferral(PlanContract):
    plan_name = "referral"


class TestBreakaway(PlanContract):
    plan_name = "breakaway"


class TestBinary(PlanContract):
    plan_name = "binary"


class TestMatrix(PlanContract):
    plan_name = "matrix"


def test_every_registered_plan_has_a_contract_test():
    tested = {cls.plan_name for cls in PlanContract.__subclasses__()}
    assert tested == set(available_plans())
