"""The plain-language summary states each measure in its practical unit."""

from __future__ import annotations

import math

import pytest

from experiments.present.narrative import practical


@pytest.mark.parametrize(
    ("measure", "value", "difference", "text"),
    [
        ("success_rate", 0.286, False, "28.6%"),
        ("success_rate", -0.278, True, "-27.8 percentage points"),
        ("customer_retention", 0.0156, True, "+1.6 percentage points"),
        ("mean_net", -746.3, True, "$-746"),
        ("quantile:gross_per_year:0.5", 1234.0, False, "$1,234 a year"),
        ("founders_mean:net_per_year", 627.9, True, "$+628 a year"),
        ("cohort_slope:gross_per_year", -68.2, False, "$-68 a year per year of later entry"),
        ("rank_corr:ties,gross_per_year", 0.0493, False, "0.05"),
        ("rank_corr:ties,gross_per_year", 0.0493, True, "+0.05"),
    ],
)
def test_each_measure_in_its_unit(measure, value, difference, text):
    assert practical(measure, value, difference) == text


def test_an_undefined_value_says_so():
    assert practical("success_rate", math.nan) == "undefined"
