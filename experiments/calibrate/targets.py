"""The calibration targets: published patterns the defaults must reproduce.

Each target names the run metric that measures it (`model.metrics`), the
scenario (regime) it applies to, its band and where the figure was
published (../shared/INPUTS.md, "Calibration targets", and docs/ODD.md,
sections 1.2 and 6.9, which map the model's people onto each source's
definitions).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Target:
    """One published pattern and its band.

    Attributes:
        name: short id, used in tables and charts.
        measure: the run metric that measures it.
        scenario: the regime it applies to (a scenario name of the calibration config).
        low: lower end of the band.
        high: upper end of the band.
        published: the published figure, in words.
        source: where it was published.
        unit: unit of the measure, for reports.
        support: the range the measure can take at all (a share lies in [0, 1],
            a ratio of rates is >= 0). A band edge at an end of the support
            cannot be crossed, so it does not count in a point's margin.
    """

    name: str
    measure: str
    scenario: str
    low: float
    high: float
    published: str
    source: str
    unit: str = ""
    support: tuple[float, float] = (-math.inf, math.inf)

    @property
    def centre(self) -> float:
        """Middle of the band."""
        return (self.low + self.high) / 2

    @property
    def half_width(self) -> float:
        """Half the band: the target's uncertainty in the score."""
        return (self.high - self.low) / 2

    def margin(self, mean: np.ndarray) -> np.ndarray:
        """How far inside the band each mean lies, in half-widths, counting only edges that bind.

        1 at the centre of a two-sided band, 0 on a binding edge, negative
        outside; a one-sided band (an edge on the support) is measured from
        its binding edge alone, capped at 1. NaN means give NaN.
        """
        low, high = self.support
        edges = []
        if self.low > low:
            edges.append(mean - self.low)
        if self.high < high:
            edges.append(self.high - mean)
        if not edges:
            return np.where(np.isnan(mean), np.nan, 1.0)
        return np.minimum(np.minimum.reduce(edges) / self.half_width, 1.0)


TARGETS: tuple[Target, ...] = (
    Target(
        "payout",
        "payout_ratio",
        "mlm",
        0.30,
        0.45,
        "35-45% of volume, ~30% actually paid",
        "compensation-plan consultancies' articles",
        "share of wholesale volume",
    ),
    Target(
        "breakage",
        "breakage",
        "mlm",
        0.05,
        0.20,
        "10-15%",
        "compensation-plan consultancies' articles",
        "share of potential commissions",
    ),
    Target(
        "turnover",
        "annual_churn",
        "mlm",
        0.40,
        0.60,
        "nearly half quit each year (Herbalife); ~5.5%/month (Melaleuca)",
        "FTC 2016 release on Herbalife; Melaleuca (reported)",
        "per year",
    ),
    Target(
        "ever_participated",
        "ever_participated",
        "mlm",
        0.04,
        0.12,
        "7.7% of US adults ever took part",
        "AARP Foundation survey 2018",
        "share of population",
    ),
    Target(
        "active_share",
        "active_share",
        "mlm",
        0.35,
        0.60,
        "~46% of IBOs active",
        "Amway US income disclosure, 2010 data (reported)",
        "share of participant-months",
    ),
    Target(
        "gross_income_active",
        "gross_income_active",
        "mlm",
        100.0,
        400.0,
        "$202 per month",
        "Amway US income disclosure, 2010 data (reported)",
        "$ per month",
    ),
    Target(
        "sales_per_seller",
        "sales_per_seller",
        "mlm",
        3_000.0,
        9_000.0,
        "$40.5B of sales over 6.7M sellers, ~$6,000",
        "Direct Selling Association, 2022",
        "$ per year",
    ),
    Target(
        "customers_per_seller",
        "customers_per_seller",
        "mlm",
        3.0,
        9.0,
        "41M preferred customers over 6.7M sellers, ~6",
        "Direct Selling Association, 2022",
        "per seller",
    ),
    Target(
        "discount_joiners",
        "discount_joiners",
        "mlm",
        0.60,
        0.85,
        "73-85% of joiners joined for the discount",
        "company surveys (Herbalife)",
        "share of joiners",
    ),
    Target(
        "top_earners_stay",
        "top_decile_quit_ratio",
        "mlm",
        0.0,
        0.5,
        "top-decile earners quit at under half the average rate (a mechanism)",
        "INPUTS.md: people leave a business that does not pay them",
        "ratio of annual quit rates",
        support=(0.0, math.inf),
    ),
    Target(
        "expenses",
        "expenses_per_year",
        "mlm",
        800.0,
        2_400.0,
        "average expenses ~$1,600 a year (band: half to one and a half times)",
        "income disclosure of My Daily Choice, 2018 (reported)",
        "$ per business-participant-year",
    ),
    Target(
        "affiliates_small",
        "affiliates_under_10k",
        "referral",
        0.60,
        1.0,
        "slightly under 60% of affiliates earn under $10,000 a year (17.9% did not know)",
        "Affiliate Benchmarks survey (House of Kaizen), reported by Website Magazine",
        "share of affiliates",
        support=(0.0, 1.0),
    ),
)
"""Every calibration target, MLM (scenario `mlm`) first, then referral."""
