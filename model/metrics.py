"""Per-run metrics: pure functions on numpy arrays and pandas DataFrames.

Nothing here imports the rest of the model or touches files; every function
takes arrays or the two tables described in docs/architecture.md (the
participant table and the monthly table) and returns plain numbers, arrays or
DataFrames.

Inequality conventions used throughout:

* Gini is the *population* (descriptive) Gini,
  ``G = sum_i sum_j |x_i - x_j| / (2 n^2 mean)``, so one earner with
  everything among ``n`` people gives ``(n - 1) / n`` (not 1, which is what the
  bias-corrected ``n / (n - 1)`` variant would give).
* Lorenz curves and top shares treat the population as continuous: the
  empirical Lorenz curve is the piecewise-linear curve through
  ``(k / n, S_k / S_n)``, with ``S_k`` the sum of the ``k`` smallest values, so a
  fraction of a person at a boundary holds that fraction of their value.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = [
    "gini",
    "gini_signed",
    "income_by_cohort",
    "lorenz_points",
    "run_metrics",
    "top_share",
    "variance_explained",
]

ArrayLike = npt.ArrayLike


# ----------------------------------------------------------------- helpers
def _as_values(x: ArrayLike) -> np.ndarray:
    """Flatten to a float64 array and reject missing or infinite values.

    Raises:
        ValueError: if any value is NaN, missing or infinite.
    """
    if isinstance(x, pd.Series | pd.Index):
        arr = x.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        arr = np.asarray(x, dtype=np.float64)
    arr = arr.ravel()
    if not np.all(np.isfinite(arr)):
        raise ValueError("values must be finite (no NaN, missing or infinite values)")
    return arr


def _rank_weighted_sum(sorted_x: np.ndarray) -> float:
    """Half the sum of all pairwise absolute differences of ascending values.

    Uses ``sum_{i<j} |x_i - x_j| = sum_i (2i - n - 1) x_(i)`` (ranks ``i`` from 1),
    which is O(n) once the values are sorted.
    """
    n = sorted_x.size
    weights = 2.0 * np.arange(1, n + 1, dtype=np.float64) - (n + 1)
    return float(np.sum(weights * sorted_x))


def _column(table: pd.DataFrame, name: str) -> np.ndarray:
    """A column as float64 (missing as NaN); an empty table may lack the column."""
    if name not in table.columns:
        if len(table) == 0:
            return np.empty(0, dtype=np.float64)
        raise KeyError(f"table has no column {name!r}")
    return table[name].to_numpy(dtype=np.float64, na_value=np.nan)


def _share(numerator: float, denominator: float) -> float:
    """``numerator / denominator``, NaN when the denominator is not positive."""
    return float(numerator / denominator) if denominator > 0 else math.nan


def _rate(mask: np.ndarray) -> float:
    """Share of True in a boolean array, NaN when empty."""
    return float(mask.mean()) if mask.size else math.nan


def _quantile(x: np.ndarray, q: float) -> float:
    """Linear-interpolation quantile (numpy's default, Hyndman-Fan type 7), NaN when empty."""
    return float(np.quantile(x, q)) if x.size else math.nan


# --------------------------------------------------------------- inequality
def gini(x: ArrayLike) -> float:
    """Population Gini coefficient of non-negative values.

    ``G = sum_i sum_j |x_i - x_j| / (2 n^2 mean)``, computed in O(n log n) as
    ``sum_i (2i - n - 1) x_(i) / (n sum(x))`` over the ascending order statistics.
    Equal values give 0; one holder of everything among ``n`` gives ``(n - 1) / n``.

    Args:
        x: values (any shape; flattened).

    Returns:
        The Gini coefficient in ``[0, (n - 1) / n]``; NaN if ``x`` is empty or all zero.

    Raises:
        ValueError: if any value is negative, NaN or infinite.
    """
    values = _as_values(x)
    if values.size and values.min() < 0:
        raise ValueError("gini needs non-negative values; use gini_signed")
    total = float(values.sum())
    if values.size == 0 or total == 0:
        return math.nan
    return _rank_weighted_sum(np.sort(values)) / (values.size * total)


def gini_signed(x: ArrayLike) -> float:
    """Gini coefficient normalised for values of either sign (Raffinetti et al. 2015).

    ``G = sum_i sum_j |x_i - x_j| / (2 n (T_plus + T_minus))`` with
    ``T_plus`` the sum of the positive values and ``T_minus`` the absolute sum of
    the negative values, i.e. the mean absolute difference divided by twice
    ``(T_plus + T_minus) / n`` instead of twice the mean. This is the
    normalisation of Raffinetti, E., Siletti, E. & Vernizzi, A. (2015), "On the
    Gini coefficient normalization when attributes with negative values are
    considered", Statistical Methods & Applications 24(3):507-521,
    doi:10.1007/s10260-014-0293-4 (their ``G^RSV``, as in the authors' R package
    GiniWegNeg::Gini_RSV with unit weights). It differs from the Chen, Tsaur &
    Rhai (1982) / Berrebi & Silber (1985) normalisation, whose denominator
    depends on the Lorenz-curve area below the axis.

    It equals `gini` when all values are non-negative, and since
    ``|x_i - x_j| <= |x_i| + |x_j|`` it lies in ``[0, (n - 1) / n]``; the upper
    bound is reached when one person holds ``T_plus``, one ``-T_minus`` and the
    rest zero. Computed in O(n log n) by sorting.

    Args:
        x: values of any sign (any shape; flattened).

    Returns:
        The coefficient; NaN if ``x`` is empty or all zero.

    Raises:
        ValueError: if any value is NaN or infinite.
    """
    values = _as_values(x)
    gross = float(np.abs(values).sum())  # T_plus + T_minus
    if values.size == 0 or gross == 0:
        return math.nan
    return _rank_weighted_sum(np.sort(values)) / (values.size * gross)


def lorenz_points(x: ArrayLike, n_points: int = 101) -> tuple[np.ndarray, np.ndarray]:
    """Empirical Lorenz curve sampled at equally spaced population shares.

    The curve is the piecewise-linear interpolation of ``(k / n, S_k / S_n)``,
    ``k = 0..n``, with ``S_k`` the sum of the ``k`` smallest values, evaluated at
    ``p = 0, 1/(n_points-1), ..., 1``. For non-negative values it runs from (0, 0)
    to (1, 1), is non-decreasing and convex.

    Signed values are allowed when the total is positive: the income share is
    still the cumulative sum over the total, so the curve first dips below zero
    (the negative values come first) and ends at (1, 1); it stays convex but is
    no longer monotone. When the total is zero or negative shares are undefined
    and the income shares are NaN (also for empty input).

    Args:
        x: values (any shape; flattened).
        n_points: number of population shares, at least 2.

    Returns:
        ``(population_share, income_share)``, two float arrays of length ``n_points``.

    Raises:
        ValueError: if ``n_points < 2`` or any value is NaN or infinite.
    """
    if n_points < 2:
        raise ValueError("n_points must be at least 2")
    values = _as_values(x)
    population_share = np.linspace(0.0, 1.0, n_points)
    total = float(values.sum())
    if values.size == 0 or total <= 0:
        return population_share, np.full(n_points, np.nan)
    cumulative = np.concatenate(([0.0], np.cumsum(np.sort(values)))) / total
    cumulative[-1] = 1.0
    knots = np.arange(values.size + 1, dtype=np.float64) / values.size
    return population_share, np.interp(population_share, knots, cumulative)


def top_share(x: ArrayLike, q: float) -> float:
    """Share of the total held by the top fraction ``q`` of people.

    The top ``q n`` people (a real number) are taken in descending order; when
    ``q n`` is not whole, the boundary person counts with the fractional weight
    ``q n - floor(q n)``, so this is ``1 - L(1 - q)`` on the piecewise-linear
    Lorenz curve. One holder of everything among 100 gives 1 at ``q = 0.01`` and
    ``n`` equal values give exactly ``q``. Signed values are allowed (the share
    may then exceed 1).

    Args:
        x: values (any shape; flattened).
        q: top fraction of people, in ``[0, 1]``.

    Returns:
        The share, non-decreasing in ``q``; NaN if ``x`` is empty or its total is
        not positive.

    Raises:
        ValueError: if ``q`` is outside ``[0, 1]`` or any value is NaN or infinite.
    """
    if not 0 <= q <= 1:
        raise ValueError("q must be in [0, 1]")
    values = _as_values(x)
    total = float(values.sum())
    if values.size == 0 or total <= 0:
        return math.nan
    n = values.size
    people = q * n
    nearest = round(people)
    if abs(people - nearest) <= 1e-9 * max(1.0, people):
        people = float(nearest)  # e.g. 0.07 * 100 = 7.000000000000001
    whole = min(math.floor(people), n)
    descending = np.sort(values)[::-1]
    held = float(descending[:whole].sum())
    if whole < n:
        held += (people - whole) * float(descending[whole])
    return held / total


# ------------------------------------------------------------- by cohort
def income_by_cohort(
    participants: pd.DataFrame, cohort_months: int = 12, value: str = "net_profit"
) -> pd.DataFrame:
    """Outcomes by entry cohort.

    The cohort of a participant is ``join_month // cohort_months`` (founders,
    month 0, are in cohort 0 with months ``1..cohort_months-1``).

    Args:
        participants: the participant table (needs ``join_month`` and ``value``).
        cohort_months: months per cohort, at least 1.
        value: the column summarised.

    Returns:
        One row per non-empty cohort, ascending, with columns ``cohort``, ``n``,
        ``mean``, ``median``, ``success_rate`` (share with ``value > 0``) and
        ``p90`` (90th percentile, linear interpolation). Empty table: no rows.

    Raises:
        ValueError: if ``cohort_months < 1``.
        KeyError: if a needed column is missing from a non-empty table.
    """
    if cohort_months < 1:
        raise ValueError("cohort_months must be at least 1")
    columns = ["cohort", "n", "mean", "median", "success_rate", "p90"]
    join = _column(participants, "join_month")
    y = _column(participants, value)
    if join.size == 0:
        return pd.DataFrame(
            {c: pd.Series(dtype="int64" if c in ("cohort", "n") else "float64") for c in columns}
        )
    frame = pd.DataFrame({"cohort": (join // cohort_months).astype(np.int64), "y": y})
    grouped = frame.groupby("cohort", sort=True)["y"]
    out = pd.DataFrame(
        {
            "n": grouped.size().astype(np.int64),
            "mean": grouped.mean(),
            "median": grouped.median(),
            "success_rate": grouped.apply(lambda s: float((s > 0).mean())),
            "p90": grouped.quantile(0.9),
        }
    )
    return out.reset_index()[columns]


# ------------------------------------------------------- variance explained
def _r_squared(y: np.ndarray, x: np.ndarray) -> float:
    """OLS R^2 of ``y`` on the columns of ``x`` plus an intercept (numpy lstsq)."""
    centred = y - y.mean()
    total = float(centred @ centred)
    if y.size == 0 or total == 0:
        return math.nan
    design = np.column_stack([np.ones(y.size), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    return float(np.clip(1.0 - float(resid @ resid) / total, 0.0, 1.0))


def variance_explained(
    participants: pd.DataFrame,
    groups: Mapping[str, Sequence[str]],
    target: str = "net_profit",
) -> dict[str, float]:
    """Share of the variance of ``target`` explained by groups of predictors.

    Each R^2 is from an OLS fit with an intercept (``numpy.linalg.lstsq``) on the
    rows where the target and every predictor named in any group are present
    (so all fits use the same rows). The joint R^2 uses all the groups'
    columns together. The Shapley split gives each group its average marginal
    R^2 over all orders of adding groups, ``phi_g = sum_S |S|! (k-|S|-1)! / k!
    (R^2(S + g) - R^2(S))`` with ``R^2(empty) = 0``; the splits add up to the joint
    R^2. For two groups A, B: ``phi_A = (R^2_A + R^2_AB - R^2_B) / 2``. This fits
    ``2^k - 1`` regressions for ``k`` groups.

    Args:
        participants: the participant table.
        groups: group name -> predictor columns, e.g. ``{"ability_effort":
            ["skill", "hours"], "timing_position": ["join_month", "depth",
            "downline_size"]}``.
        target: the column explained.

    Returns:
        ``r2_<group>`` for each group alone, ``r2_joint`` for all together and
        ``shapley_<group>`` for each group's share of ``r2_joint``. All NaN if
        there are no usable rows or the target is constant. R^2 values are
        clipped to [0, 1] against rounding.

    Raises:
        ValueError: if there are no groups, a group is empty or is named "joint".
        KeyError: if a column is missing from a non-empty table.
    """
    if not groups:
        raise ValueError("need at least one group of predictors")
    if "joint" in groups:
        raise ValueError('a group may not be named "joint"')
    names = list(groups)
    for name in names:
        if len(groups[name]) == 0:
            raise ValueError(f"group {name!r} has no columns")
    all_columns = list(dict.fromkeys(c for name in names for c in groups[name]))
    data = {c: _column(participants, c) for c in [target, *all_columns]}
    keep = np.logical_and.reduce([np.isfinite(v) for v in data.values()])
    y = data[target][keep]

    cache: dict[frozenset[str], float] = {frozenset(): 0.0}

    def r2_of(subset: frozenset[str]) -> float:
        if subset not in cache:
            cols = list(dict.fromkeys(c for name in names if name in subset for c in groups[name]))
            cache[subset] = _r_squared(y, np.column_stack([data[c][keep] for c in cols]))
        return cache[subset]

    everyone = frozenset(names)
    result = {f"r2_{name}": r2_of(frozenset([name])) for name in names}
    result["r2_joint"] = r2_of(everyone)
    k = len(names)
    for name in names:
        others = [o for o in names if o != name]
        phi = 0.0
        for size in range(k):
            weight = math.factorial(size) * math.factorial(k - size - 1) / math.factorial(k)
            for combo in itertools.combinations(others, size):
                subset = frozenset(combo)
                phi += weight * (r2_of(subset | {name}) - r2_of(subset))
        result[f"shapley_{name}"] = float(phi)
    return result


# ---------------------------------------------------------------- run metrics
def _months(monthly: pd.DataFrame) -> np.ndarray:
    """Month numbers: the ``month`` column if present, else the index."""
    if "month" in monthly.columns:
        return monthly["month"].to_numpy(dtype=np.float64)
    return np.asarray(monthly.index, dtype=np.float64)


def run_metrics(
    participants: pd.DataFrame,
    monthly: pd.DataFrame,
    opportunity_wage: float | None = None,
) -> dict[str, float]:
    """The per-run metrics, from the participant and monthly tables only.

    Participant-based (over everyone who ever participated; NaN when the table
    is empty, except the count):

    * ``participants_ever``: number of rows.
    * ``success_rate``: share with ``net_profit > 0``; ``loss_rate``: share with
      ``net_profit < 0`` (break-even counts in neither).
    * ``success_rate_after_time``: share with ``net_profit_after_time > 0``; when
      ``opportunity_wage`` is given, ``net_profit - hours_worked *
      opportunity_wage`` is used instead of that column.
    * ``median_net``, ``mean_net``, ``p90_net``, ``p99_net``: of ``net_profit``
      (percentiles by linear interpolation, numpy's default).
    * ``gini_commissions``: `gini` of ``commissions`` (NaN if nobody earned any;
      raises ValueError if a commission total is negative).
    * ``gini_net``: `gini_signed` of ``net_profit``.
    * ``top1_share``, ``top10_share``: `top_share` of ``commissions`` at q = 0.01
      and 0.1 (fractional people at the boundary; NaN if no commissions).
    * ``override_share``: ``sum(override_income) / sum(retail_profit +
      commissions)``, the share of participants' gross income paid on other
      people's volume (NaN if that gross income is not positive).

    Monthly-based (sums over all months; counts 0 and ratios NaN when empty):

    * ``retail_share``: ``sum(retail_volume) / sum(retail_volume +
      internal_volume)``.
    * ``payout_ratio``: ``sum(commissions) / sum(retail_volume +
      internal_volume)`` (monthly ``commissions`` column).
    * ``peak_participants``: the largest month-end ``participants``;
      ``peak_month``: the first month reaching it (NaN if no month has any);
      ``final_participants``: ``participants`` in the last month.
    * ``monthly_churn``: ``m = sum(quits) / sum(at_risk)``, where the participants
      at risk in month t are those at the end of month t-1 plus the joins in
      month t (the participants at the end of month 0, before the first row, are
      ``participants_1 - joins_1 + quits_1``); ``annual_churn = 1 - (1 - m)^12``.
      Both NaN if nobody is ever at risk.
    * ``customer_retention``: the share of customers kept over a year, ``(1 -
      l)^12``, where ``l = sum(customer_lapses) / sum(customers_{t-1} +
      new_customers_t)`` is the monthly lapse rate of the customers who could
      lapse in month t (last month's customers and this month's new ones;
      ``customers_0`` = 0). Customers who join as participants leave the
      customers without lapsing. NaN if there never was a customer.
    * ``company_revenue``, ``company_margin``: sums of those columns.

    Months are the ``month`` column if there is one, else the index (1..T).

    Args:
        participants: the participant table (columns in docs/architecture.md).
        monthly: the monthly table, one row per month in order.
        opportunity_wage: $ per hour for ``success_rate_after_time``; None uses
            the ``net_profit_after_time`` column.

    Returns:
        Metric name -> plain Python int (counts, months) or float.
    """
    net = _column(participants, "net_profit")
    if opportunity_wage is None:
        after_time = _column(participants, "net_profit_after_time")
    else:
        after_time = net - _column(participants, "hours_worked") * opportunity_wage
    commissions = _column(participants, "commissions")
    gross_income = float(_column(participants, "retail_profit").sum() + commissions.sum())
    has_commissions = commissions.size > 0 and commissions.sum() > 0

    retail = _column(monthly, "retail_volume")
    volume = float(retail.sum() + _column(monthly, "internal_volume").sum())
    active = _column(monthly, "participants")
    joins = _column(monthly, "joins")
    quits = _column(monthly, "quits")
    if active.size:
        peak = float(active.max())
        peak_month = float(_months(monthly)[int(np.argmax(active))]) if peak > 0 else math.nan
        before = np.concatenate(([active[0] - joins[0] + quits[0]], active[:-1]))
        at_risk = float((before + joins).sum())
    else:
        peak, peak_month, at_risk = 0.0, math.nan, 0.0
    churn = _share(float(quits.sum()), at_risk)
    customers = _column(monthly, "customers")
    served_before = np.concatenate(([0.0], customers[:-1])) + _column(monthly, "new_customers")
    lapse = _share(float(_column(monthly, "customer_lapses").sum()), float(served_before.sum()))

    return {
        "participants_ever": len(participants),
        "success_rate": _rate(net > 0),
        "success_rate_after_time": _rate(after_time > 0),
        "loss_rate": _rate(net < 0),
        "median_net": _quantile(net, 0.5),
        "mean_net": float(net.mean()) if net.size else math.nan,
        "p90_net": _quantile(net, 0.9),
        "p99_net": _quantile(net, 0.99),
        "gini_commissions": gini(commissions),
        "gini_net": gini_signed(net),
        "top1_share": top_share(commissions, 0.01) if has_commissions else math.nan,
        "top10_share": top_share(commissions, 0.1) if has_commissions else math.nan,
        "override_share": _share(
            float(_column(participants, "override_income").sum()), gross_income
        ),
        "retail_share": _share(float(retail.sum()), volume),
        "payout_ratio": _share(float(_column(monthly, "commissions").sum()), volume),
        "peak_participants": round(peak),
        "peak_month": int(peak_month) if not math.isnan(peak_month) else math.nan,
        "final_participants": round(float(active[-1])) if active.size else 0,
        "monthly_churn": churn,
        "annual_churn": 1.0 - (1.0 - churn) ** 12 if not math.isnan(churn) else math.nan,
        "customer_retention": (1.0 - lapse) ** 12 if not math.isnan(lapse) else math.nan,
        "company_revenue": float(_column(monthly, "company_revenue").sum()),
        "company_margin": float(_column(monthly, "company_margin").sum()),
    }


def calibration_measures(
    participants: pd.DataFrame, monthly: pd.DataFrame, n_people: int
) -> dict[str, float]:
    """The calibration targets' measures that `run_metrics` does not already give.

    The targets (docs/ODD.md, section 1.2) also use ``payout_ratio`` and
    ``annual_churn`` of `run_metrics`. Each is computed on the numerator and
    denominator of its source (ODD section 6.9 maps the model's people onto
    each source's definitions):

    * ``breakage``: 1 - commissions / what the plan's rates would pay if every
      active participant qualified (NaN where the plan cannot say).
    * ``ever_participated``: participants ever / population.
    * ``active_share``: participant-months meeting the plan's minimum /
      participant-months at pay time (month-end participants plus the
      month's quitters, who were active when paid).
    * ``gross_income_active``: retail margin plus commissions per
      participant-month meeting the minimum [$/month].
    * ``sales_per_seller``: consumer spending (customers at retail,
      participants at wholesale) per direct-seller-year, direct sellers being
      business participants (not discount members) [$/year].
    * ``customers_per_seller``: (customers + discount members) per direct
      seller, averaged over months.
    * ``discount_joiners``: share of joiners after month 0 who joined as
      discount members.
    * ``top_decile_quit_ratio``: annual quit rate of the top decile by gross
      income per month in the business, over the quit rate of all
      (participants with at least one month of exposure).
    * ``affiliates_under_10k``: share of participants whose gross income per
      year in the business is under $10,000.
    * ``expenses_per_year``: what running the business costs a business
      participant a year: fees, running costs, bought leads and product
      bought beyond own use to qualify, per business-participant-year in the
      business [$/year] (own use is consumption, not a business cost).

    Args:
        participants: the participant table.
        monthly: the monthly table.
        n_people: population size.

    Returns:
        Measure name -> float (NaN when undefined).
    """
    months = len(monthly)
    commissions = float(monthly["commissions"].sum())
    potential = float(monthly["potential_commissions"].sum())
    part_months = float(monthly["participants"].sum())
    seller_months = float((monthly["participants"] - monthly["members"]).sum())
    qualified = float(monthly["qualified"].sum())
    sellers = (monthly["participants"] - monthly["members"]).to_numpy(dtype=np.float64)
    buyers = (monthly["customers"] + monthly["members"]).to_numpy(dtype=np.float64)
    has_sellers = sellers > 0

    join = participants["join_month"].to_numpy(dtype=np.float64)
    quit_month = participants["quit_month"].to_numpy(dtype=np.float64, na_value=np.nan)
    quit = ~np.isnan(quit_month)
    exposure = np.where(quit, quit_month, months) - join
    gross = (participants["retail_profit"] + participants["commissions"]).to_numpy(np.float64)
    exposed = exposure > 0
    per_month = np.divide(gross, exposure, out=np.zeros_like(gross), where=exposed)
    quit_ratio = math.nan
    if exposed.sum() >= 10 and quit[exposed].any():
        cut = np.quantile(per_month[exposed], 0.9)
        top = exposed & (per_month >= cut)
        rate_all = quit[exposed].sum() / exposure[exposed].sum()
        quit_ratio = (quit[top].sum() / exposure[top].sum()) / rate_all
    joiners = participants["join_month"].to_numpy() > 0
    motive = participants["motive"].to_numpy()
    business = motive == "business"
    costs = (
        participants["fees"]
        + participants["business_expenses"]
        + participants["lead_spend"]
        + participants["product_spend_excess"]
    ).to_numpy(np.float64)
    return {
        "breakage": 1.0 - commissions / potential if potential > 0 else math.nan,
        "ever_participated": len(participants) / n_people,
        "active_share": _share(qualified, part_months + float(monthly["quits"].sum())),
        "gross_income_active": _share(float(monthly["qualified_gross_income"].sum()), qualified),
        "sales_per_seller": _share(float(monthly["consumer_sales"].sum()), seller_months / 12),
        "customers_per_seller": float(np.mean(buyers[has_sellers] / sellers[has_sellers]))
        if has_sellers.any()
        else math.nan,
        "discount_joiners": _rate(motive[joiners] == "discount"),
        "top_decile_quit_ratio": quit_ratio,
        "affiliates_under_10k": _rate(per_month[exposed] * 12 < 10_000),
        "expenses_per_year": _share(
            float(costs[business].sum()), float(exposure[business & exposed].sum()) / 12
        ),
    }
