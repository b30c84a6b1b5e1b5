"""`downline demo`: one MLM run and one referral run side by side, headline metrics only."""

from __future__ import annotations

from typing import Any

from experiments.spec.modelref import load_model_class

REGIMES = ("unilevel", "referral")
HEADLINE_METRICS = (
    "participants_ever",
    "success_rate",
    "loss_rate",
    "median_net",
    "mean_net",
    "gini_net",
    "top1_share",
    "retail_share",
    "override_share",
    "payout_ratio",
    "annual_churn",
)


def run_demo(n_people: int | None, months: int, seed: int) -> dict[str, dict[str, Any]]:
    """Run each regime once with the model's defaults.

    Args:
        n_people: population size (None: the model's default).
        months: months to simulate.
        seed: the `rng` seed, shared by both regimes.

    Returns:
        The run metrics of each regime, by plan name.

    Raises:
        ValueError: when the model refuses a parameter.
    """
    model_class = load_model_class()
    size = {} if n_people is None else {"n_people": n_people}
    metrics = {}
    for plan in REGIMES:
        model = model_class(rng=seed, plan=plan, **size)
        model.run(months)
        metrics[plan] = model.run_metrics()
    return metrics


def format_table(metrics: dict[str, dict[str, Any]]) -> str:
    """The headline metrics as an aligned text table, one column per regime.

    Args:
        metrics: run metrics by regime.

    Returns:
        The table; metrics a regime lacks show as `n/a`.
    """
    regimes = list(metrics)
    rows = [["metric", *regimes]]
    rows += [
        [name, *(_format_value(metrics[regime].get(name)) for regime in regimes)]
        for name in HEADLINE_METRICS
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            [row[0].ljust(widths[0])]
            + [cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)]
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _format_value(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    value = float(value)
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3f}"
