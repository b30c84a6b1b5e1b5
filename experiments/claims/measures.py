"""From stored runs to one value per run and measure: the claims' measures, computed.

Every measure of the catalogue (`experiments.claims.catalogue.parse_measure`) is a
function of one run's participant table and run metrics; their definitions
are in docs/claims.md ("Measures"). `run_measures` turns a loaded results
folder into a wide table: one row per run (the id and design columns of the
runs table), one column per measure. Some measures carry companions in
columns named ``"<measure>|<name>"`` (the Shapley shares and R^2 values of
``variance_explained``). ``relative_drop`` needs a baseline run, so it is
computed by the verdict layer from the metric it names.

Analysis reads only saved results (DESIGN.md); nothing here runs the model.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping

import numpy as np
import pandas as pd
from scipy import stats as _st

from experiments.claims.catalogue import PREDICTOR_GROUPS, parse_measure
from experiments.store.results import Results
from model.metrics import top_share, variance_explained

__all__ = [
    "COHORT_MONTHS",
    "ID_COLUMNS",
    "MIN_TENURE_MONTHS",
    "measure_values",
    "months_of",
    "run_measures",
]

ID_COLUMNS = ("run_id", "scenario", "point", "replication", "seed")
COHORT_MONTHS = 12
MIN_TENURE_MONTHS = 24
"""Cohorts count only if they joined at least this many months before the horizon."""

Table = Mapping[str, np.ndarray]


def months_of(results: Results) -> int:
    """The horizon T of a results folder's runs (its config's `months`)."""
    return int(results.manifest["config"]["months"])


def _columns(participants: pd.DataFrame, months: int) -> dict[str, np.ndarray]:
    """A run's participant columns as float arrays, plus the derived columns (`DERIVED_COLUMNS`)."""
    table = {
        name: participants[name].to_numpy(dtype=np.float64, na_value=np.nan)
        for name in participants.columns
        if name not in ID_COLUMNS and pd.api.types.is_numeric_dtype(participants[name])
    }
    if "join_month" not in table:
        return table
    quit_month = table.get("quit_month", np.full(table["join_month"].size, np.nan))
    table["tenure"] = np.where(np.isnan(quit_month), months, quit_month) - table["join_month"]
    years = np.maximum(table["tenure"], 1.0) / 12.0
    if "retail_profit" in table and "commissions" in table:
        table["gross_income"] = table["retail_profit"] + table["commissions"]
        table["gross_per_year"] = table["gross_income"] / years
        n = table["gross_per_year"].size
        table["gross_per_year_rank"] = _st.rankdata(table["gross_per_year"]) / max(n, 1)
    if "net_profit" in table:
        table["net_per_year"] = table["net_profit"] / years
    if "hours_worked" in table:
        table["hours_per_month"] = table["hours_worked"] / np.maximum(table["tenure"], 1.0)
    return table


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman correlation (average ranks); NaN with fewer than 3 rows or a constant column."""
    if x.size < 3 or np.all(x == x[0]) or np.all(y == y[0]):
        return math.nan
    return float(np.corrcoef(_st.rankdata(x), _st.rankdata(y))[0, 1])


def _partial_spearman(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> float:
    """Pearson correlation of the residuals of rank(x), rank(y) after a linear fit on rank(z)."""
    if x.size < 4:
        return math.nan
    design = np.column_stack([np.ones(x.size), _st.rankdata(z)])
    residuals = []
    for v in (x, y):
        ranks = _st.rankdata(v)
        coef, *_ = np.linalg.lstsq(design, ranks, rcond=None)
        residuals.append(ranks - design @ coef)
    rx, ry = residuals
    denominator = math.sqrt(float(rx @ rx) * float(ry @ ry))
    return float(rx @ ry) / denominator if denominator > 1e-12 else math.nan


def _outcome(t: Table, out: str) -> np.ndarray:
    """Per-participant outcome: 1/0 success for `success_rate`, else the column."""
    if out == "success_rate":
        return (t["net_profit"] > 0).astype(np.float64)
    return t[out]


def _mean(x: np.ndarray) -> float:
    return float(x.mean()) if x.size else math.nan


def _cohort_slope(t: Table, months: int, col: str) -> float:
    eligible = t["join_month"] <= months - MIN_TENURE_MONTHS
    cohort = t["join_month"][eligible] // COHORT_MONTHS
    y = t[col][eligible]
    if np.unique(cohort).size < 2:
        return math.nan
    labels, inverse, sizes = np.unique(cohort, return_inverse=True, return_counts=True)
    means = np.bincount(inverse, weights=y) / sizes
    w = sizes / sizes.sum()
    xbar, ybar = float(w @ labels), float(w @ means)
    sxx = float(w @ (labels - xbar) ** 2)
    return float(w @ ((labels - xbar) * (means - ybar))) / sxx


def _cohort_gap(t: Table, months: int, out: str) -> float:
    join = t["join_month"]
    eligible = join <= months - MIN_TENURE_MONTHS
    later = join > (months - MIN_TENURE_MONTHS) / 2
    y = _outcome(t, out)
    return _mean(y[eligible & later]) - _mean(y[eligible & ~later])


def _override_share(t: Table, group: str) -> float:
    net = t["net_profit"]
    if group == "successful":
        keep = net > 0
    elif group == "top10":
        keep = np.zeros(net.size, dtype=bool)
        keep[np.argsort(-net, kind="stable")[: math.ceil(0.1 * net.size)]] = True
    else:
        keep = np.ones(net.size, dtype=bool)
    gross = float((t["retail_profit"][keep] + t["commissions"][keep]).sum())
    return float(t["override_income"][keep].sum()) / gross if gross > 0 else math.nan


def _per_sale_spread(t: Table) -> float:
    gross = t["retail_profit"] + t["commissions"]
    own = gross - t["override_income"]
    keep = own > 1e-9
    if keep.sum() < 2:
        return math.nan
    ratio = gross[keep] / own[keep]
    return float(np.quantile(ratio, 0.9) / np.quantile(ratio, 0.1))


def _success_gap(t: Table) -> float:
    success = (t["net_profit"] > 0).astype(np.float64)
    recruiters = t["downline_size"] >= 1
    return _mean(success[recruiters]) - _mean(success[~recruiters])


def _quantile_gap(t: Table, trait: str, out: str) -> float:
    n = t[trait].size
    if n < 5:
        return math.nan
    order = np.lexsort((t["id"], t[trait]))
    quintile = np.empty(n, dtype=np.int64)
    quintile[order] = (5 * np.arange(n)) // n
    y = _outcome(t, out)
    return _mean(y[quintile == 0]) - _mean(y[quintile == 4])


def _team_link(t: Table, kind: str) -> float:
    sponsor, ids, success = t["sponsor"], t["id"], t["net_profit"] > 0
    has = ~np.isnan(sponsor)
    if not has.any():
        return math.nan
    sponsors, inverse = np.unique(sponsor[has], return_inverse=True)
    team_share = np.bincount(inverse, weights=success[has]) / np.bincount(inverse)
    position = np.searchsorted(ids, sponsors)
    position = np.clip(position, 0, ids.size - 1)
    present = ids[position] == sponsors
    own = success[position[present]].astype(np.float64)
    team_success = team_share[present] > 0.5
    given_success, given_loss = _mean(own[team_success]), _mean(own[~team_success])
    if kind == "given_team_success":
        return given_success
    if kind == "given_team_loss":
        return given_loss
    return given_success - given_loss


def _variance_explained(t: Table, a: str, b: str, target: str) -> dict[str, float]:
    columns = {c: t[c] for c in (*PREDICTOR_GROUPS[a], *PREDICTOR_GROUPS[b], target)}
    shares = variance_explained(
        pd.DataFrame(columns), {a: PREDICTOR_GROUPS[a], b: PREDICTOR_GROUPS[b]}, target=target
    )
    return {"": shares[f"shapley_{a}"] - shares[f"shapley_{b}"], **shares}


def _top_share(t: Table, col: str, q: float) -> float:
    x = t[col][np.isfinite(t[col])]
    return top_share(x, q) if x.size else math.nan


def _share_above(t: Table, col: str, level: float) -> float:
    return _mean((t[col] >= level).astype(np.float64))


def _quantile(t: Table, col: str, q: float) -> float:
    x = t[col][np.isfinite(t[col])]
    return float(np.quantile(x, q)) if x.size else math.nan


def _founders_mean(t: Table, col: str) -> float:
    founders = t["join_month"] == 0
    return float(np.mean(t[col][founders])) if founders.any() else math.nan


def _loss_budget_share(t: Table) -> float:
    """Median loss of the participants who lost money, in years of their own budget."""
    losing = t["net_profit"] < 0
    if not losing.any():
        return math.nan
    return float(np.median(-t["net_profit"][losing] / (12.0 * t["budget"][losing])))


def measure_values(
    participants: pd.DataFrame, metrics: Mapping[str, float], months: int, measure: str
) -> dict[str, float]:
    """One measure of one run.

    Args:
        participants: the run's participant table (`model.MarketModel.participant_table`).
        metrics: the run's metrics (`model.metrics.run_metrics`).
        months: the horizon T of the run.
        measure: a measure of the catalogue, not ``relative_drop``.

    Returns:
        ``{measure: value}``, plus ``{"<measure>|<name>": value}`` companions for
        ``variance_explained`` (``shapley_A``, ``shapley_B``, ``r2_A``, ``r2_B``,
        ``r2_joint``). NaN where the measure is undefined in the run (docs/claims.md).

    Raises:
        ValueError: for an unknown measure or ``relative_drop``.
    """
    family, args = parse_measure(measure)
    if family == "relative_drop":
        raise ValueError("relative_drop needs a baseline run; see experiments.claims.verdicts")
    if family == "run_metric":
        return {measure: float(metrics[args[0]])}
    if family == "decline_from_peak":
        peak = float(metrics["peak_participants"])
        value = 1 - float(metrics["final_participants"]) / peak if peak > 0 else math.nan
        return {measure: value}
    if len(participants) == 0:
        return {measure: math.nan}
    t = _columns(participants, months)
    if family == "variance_explained":
        shares = _variance_explained(t, *args)
        return {(f"{measure}|{k}" if k else measure): v for k, v in shares.items()}
    compute: Callable[[], float] = {
        "rank_corr": lambda: _spearman(t[args[0]], t[args[1]]),
        "partial_rank_corr": lambda: _partial_spearman(t[args[0]], t[args[1]], t[args[2]]),
        "cohort_slope": lambda: _cohort_slope(t, months, args[0]),
        "cohort_gap": lambda: _cohort_gap(t, months, args[0]),
        "override_share": lambda: _override_share(t, args[0]),
        "per_sale_spread": lambda: _per_sale_spread(t),
        "success_gap": lambda: _success_gap(t),
        "quantile_gap": lambda: _quantile_gap(t, *args),
        "team_link": lambda: _team_link(t, args[0]),
        "top_share": lambda: _top_share(t, args[0], float(args[1])),
        "share_above": lambda: _share_above(t, args[0], float(args[1])),
        "quantile": lambda: _quantile(t, args[0], float(args[1])),
        "founders_mean": lambda: _founders_mean(t, args[0]),
        "loss_budget_share": lambda: _loss_budget_share(t),
    }[family]
    return {measure: compute()}


def run_measures(results: Results, measures: Iterable[str]) -> pd.DataFrame:
    """The measures of every stored run of a results folder.

    Args:
        results: a loaded results folder; participant tables are needed for
            measures other than run metrics and ``decline_from_peak``.
        measures: measures of the catalogue; ``relative_drop:M`` adds the metric M.

    Returns:
        One row per run (sorted by run id): the runs table's id and design
        columns, then one column per measure and its companions.

    Raises:
        ValueError: when a measure needs participant tables the folder does not keep.
    """
    wanted: list[str] = []
    for measure in dict.fromkeys(measures):
        family, args = parse_measure(measure)
        wanted.append(args[0] if family == "relative_drop" else measure)
    wanted = list(dict.fromkeys(wanted))
    runs = results.runs
    design = [c for c in results.manifest.get("design", {}).get("parameters", [])]
    needs_table = [
        m for m in wanted if parse_measure(m)[0] not in ("run_metric", "decline_from_peak")
    ]
    if needs_table and results.participants is None:
        raise ValueError(f"measures {needs_table} need participant tables; this folder has none")
    empty = pd.DataFrame(columns=results.participants.columns) if needs_table else pd.DataFrame()
    tables = dict(tuple(results.participants.groupby("run_id", sort=False))) if needs_table else {}
    months = months_of(results)
    rows = []
    for record in runs.to_dict("records"):
        table = tables.get(record["run_id"], empty)
        if len(table) and not table["id"].is_monotonic_increasing:
            table = table.sort_values("id")
        row: dict[str, float] = {}
        for measure in wanted:
            row.update(measure_values(table, record, months, measure))
        rows.append(row)
    ids = runs[[*ID_COLUMNS, *design]].reset_index(drop=True)
    return pd.concat([ids, pd.DataFrame(rows, index=ids.index)], axis=1)
