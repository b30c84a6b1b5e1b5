"""Named trait distributions, parameterised by mean and standard deviation.

Every heterogeneous trait (product affinity, sales skill, entrepreneurial
propensity, hours, budget) is drawn from one of these. Parameterising all of
them by mean and sd keeps configs readable and lets sweeps vary one moment at
a time.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

DistributionKind = Literal["constant", "beta", "lognormal", "gamma", "normal", "uniform"]


class Distribution(BaseModel):
    """A named distribution with a given mean and standard deviation.

    Attributes:
        kind: constant, beta (support 0..1), lognormal and gamma (support > 0),
            normal (censored at 0: negative draws become 0), uniform (mean +- sd*sqrt(3)).
        mean: the mean of the distribution.
        sd: its standard deviation (ignored for constant).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: DistributionKind = "constant"
    mean: float = Field(1.0, allow_inf_nan=False)
    sd: float = Field(0.0, ge=0, allow_inf_nan=False)

    @model_validator(mode="after")
    def _check_support(self) -> Distribution:
        if self.kind == "beta":
            if not 0 < self.mean < 1:
                raise ValueError(f"beta needs 0 < mean < 1, got mean={self.mean}")
            if self.sd**2 >= self.mean * (1 - self.mean):
                raise ValueError(
                    f"beta needs sd^2 < mean*(1-mean) = {self.mean * (1 - self.mean):.4g}, "
                    f"got sd={self.sd}"
                )
        if self.kind in ("lognormal", "gamma") and self.mean <= 0:
            raise ValueError(f"{self.kind} needs mean > 0, got mean={self.mean}")
        if self.kind in ("beta", "lognormal", "gamma", "normal", "uniform") and self.sd == 0:
            raise ValueError(f"{self.kind} needs sd > 0 (use kind='constant' for no spread)")
        return self

    @property
    def lowest(self) -> float:
        """The smallest value a draw can take."""
        if self.kind == "constant":
            return self.mean
        if self.kind == "uniform":
            return self.mean - self.sd * float(np.sqrt(3.0))
        return 0.0

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Draw `size` values.

        Args:
            rng: the model's random generator.
            size: number of values.

        Returns:
            float64 array of draws.
        """
        m, s = self.mean, self.sd
        if self.kind == "constant":
            return np.full(size, m, dtype=np.float64)
        if self.kind == "beta":
            nu = m * (1 - m) / s**2 - 1
            return rng.beta(m * nu, (1 - m) * nu, size)
        if self.kind == "lognormal":
            sigma2 = np.log1p((s / m) ** 2)
            return rng.lognormal(np.log(m) - sigma2 / 2, np.sqrt(sigma2), size)
        if self.kind == "gamma":
            shape = (m / s) ** 2
            return rng.gamma(shape, m / shape, size)
        if self.kind == "normal":
            return np.maximum(rng.normal(m, s, size), 0.0)
        half = s * np.sqrt(3.0)
        return rng.uniform(m - half, m + half, size)
