"""The Bass (1969) diffusion model: closed form and an exact monthly step.

Word of mouth in `MarketModel` is a Bass process on the social network: a
prospect adopts with hazard w (p + q f), where f is the share of its ties
who have adopted. `bass_month_hazard` integrates that hazard over one step
exactly under the Bass equation, so a monthly model has no discretisation
error against the continuous curve (docs/ODD.md, section 7.3).
"""

from __future__ import annotations

import numpy as np


def bass_closed_form(t_years: np.ndarray, p: float, q: float) -> np.ndarray:
    """Share of adopters at time t from F(0) = 0: (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}).

    Args:
        t_years: times in years.
        p: innovation coefficient per year (> 0).
        q: imitation coefficient per year (>= 0).

    Returns:
        F(t) for every t.
    """
    decay = np.exp(-(p + q) * np.asarray(t_years, dtype=np.float64))
    return (1.0 - decay) / (1.0 + (q / p) * decay)


def bass_month_hazard(
    weight: np.ndarray, share: np.ndarray, p: float, q: float, dt: float
) -> np.ndarray:
    """Cumulative adoption hazard of each prospect over one step of `dt` years.

    Prospect i has hazard w_i (p + q f_i(t)). Over the step, f_i follows the
    Bass equation df/dt = w (p + q f)(1 - f) with w the mean of `weight`
    (a mean-field for the prospects around i), whose solution from f_i is
    f_i' = (R - P) / (R + Q), with P = w p, Q = w q and
    R = (P + Q f_i) / (1 - f_i) e^{(P + Q) dt}. Since (P + Q f) dt = df / (1 - f),
    the integral of i's hazard is (w_i / w) ln((1 - f_i) / (1 - f_i')). A
    prospect whose ties have all adopted (f_i = 1) has hazard w_i (p + q) dt.

    Args:
        weight: w_i >= 0 of each prospect (affinity times receptivity).
        share: f_i in [0, 1], the share of i's ties who have adopted.
        p: innovation coefficient per year.
        q: imitation coefficient per year.
        dt: step length in years.

    Returns:
        H_i >= 0; the chance to adopt within the step is 1 - e^{-H_i}.
    """
    weight = np.asarray(weight, dtype=np.float64)
    share = np.asarray(share, dtype=np.float64)
    mean_w = float(weight.mean()) if weight.size else 0.0
    full = weight * (p + q) * dt
    if mean_w <= 0.0 or p + q == 0.0:
        return np.where(share >= 1.0, full, weight * (p + q * share) * dt)
    big_p, big_q = mean_w * p, mean_w * q
    open_ = share < 1.0
    f0 = np.where(open_, share, 0.0)
    ratio = (big_p + big_q * f0) / (1.0 - f0) * np.exp((big_p + big_q) * dt)
    survive = (big_p + big_q) / ((ratio + big_q) * (1.0 - f0))  # (1 - f') / (1 - f)
    hazard = -(weight / mean_w) * np.log(survive)
    return np.where(open_, hazard, full)
