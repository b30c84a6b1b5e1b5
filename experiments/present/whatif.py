"""What would happen to me: the net income of people like you, from replicated runs.

A person says how many hours a month they would work, their monthly budget,
how many people they know and in which month of the company's life they would
join. `what_if` runs replications of the calibrated model (the `ModelParams`
defaults) under the chosen plan and under referral, on the same seeds, and
reads each participant table at 1, 3 and 5 years after that month. Its
answer, for each plan and horizon, is the distribution of net income (with
and without the value of one's time) of

* the people like you: the participants who joined around that month whose
  hours, budget and number of ties are nearest yours (standardised log
  distance), and
* the typical participant: everyone who joined around that month.

"Around that month" is the narrowest window (`WINDOWS`) holding at least
`MIN_COHORT` joiners over all replications. Only the public surface of the
model is used: `MarketModel`, `step`, `participant_table` and the `network`
(for the number of ties).

Example:
    >>> answer = what_if(Person(hours=10, budget=100, ties=20, join_month=12),
    ...                  plan="unilevel", replications=2, n_people=2_000)
    >>> sorted(answer.table["plan"].unique())
    ['referral', 'unilevel']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from experiments.present.charts import OKABE_ITO, REGIME_COLOURS, STYLE
from model import MarketModel, ModelParams

__all__ = [
    "HORIZONS",
    "MEASURES",
    "WINDOWS",
    "Person",
    "WhatIfAnswer",
    "draw_what_if",
    "what_if",
]

HORIZONS = (12, 36, 60)
"""Months after joining at which net income is read (1, 3 and 5 years)."""
MEASURES = {"net_profit": "net income", "net_profit_after_time": "net income after time cost"}
"""Participant-table columns reported, and their names."""
WINDOWS = (0, 1, 2, 3, 6, 12)
"""Half-widths (months) tried, narrowest first, for the joiners "around" the join month."""
MIN_COHORT = 200
"""Joiners wanted over all replications before the window stops widening."""
MIN_MATCHES = 30
"""Least number of people like you; more (a fifth of the cohort) when the cohort is large."""
QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)
REFERRAL = "referral"
_TRAITS = ("hours", "budget", "ties")


@dataclass(frozen=True)
class Person:
    """Someone about to join.

    Attributes:
        hours: hours a month they would work the business [h/month].
        budget: money a month they could spend on it and on the product [$/month].
        ties: people they know (their warm market) [people].
        join_month: the company's month in which they join (1: at the start).
    """

    hours: float
    budget: float
    ties: float
    join_month: int

    def __post_init__(self) -> None:
        problems = [
            f"{name}: must be >= {low}, got {getattr(self, name)!r}"
            for name, low in (("hours", 0), ("budget", 0), ("ties", 0), ("join_month", 1))
            if not getattr(self, name) >= low
        ]
        if problems:
            raise ValueError("\n".join(problems))


@dataclass(frozen=True)
class WhatIfAnswer:
    """The distributions for one person.

    Attributes:
        person: the question.
        table: one row per plan, horizon (months), group ("like you" or
            "typical") and measure: `n`, the quantiles `p10` ... `p90`, `mean`
            and `losing` (share with income < 0), plus the window used and
            the median hours, budget and ties of the group.
        replications: runs per plan.
        n_people: population of each run.
    """

    person: Person
    table: pd.DataFrame
    replications: int
    n_people: int


def _snapshots(
    plan: str, person: Person, seed: np.random.SeedSequence, n_people: int | None
) -> pd.DataFrame:
    """Joiners within the widest window, read at each horizon after the join month."""
    params = {} if n_people is None else {"n_people": n_people}
    model = MarketModel(rng=np.random.default_rng(seed), plan=plan, **params)
    ties = model.network.neighbor_counts(np.ones(model.params.n_people, dtype=bool))
    rows = []
    for horizon in HORIZONS:
        while model.month < person.join_month + horizon:
            model.step()
        table = model.participant_table()
        near = (table["join_month"] - person.join_month).abs() <= WINDOWS[-1]
        table = table.loc[near, ["id", "join_month", "hours", "budget", *MEASURES]]
        rows.append(table.assign(horizon=horizon, ties=ties[table["id"].to_numpy()]))
    return pd.concat(rows, ignore_index=True)


def _nearest(group: pd.DataFrame, person: Person) -> pd.DataFrame:
    """The people of `group` most like `person` (log traits, standardised)."""
    traits = np.log1p(group[list(_TRAITS)].to_numpy(dtype=np.float64))
    mine = np.log1p(np.array([person.hours, person.budget, person.ties], dtype=np.float64))
    scale = traits.std(axis=0)
    scale[scale == 0] = 1.0
    distance = np.sqrt((((traits - mine) / scale) ** 2).sum(axis=1))
    k = min(len(group), max(MIN_MATCHES, len(group) // 5))
    return group.iloc[np.argsort(distance, kind="stable")[:k]]


def _summary(values: pd.Series) -> dict[str, float]:
    x = values.to_numpy(dtype=np.float64)
    if x.size == 0:
        return {"n": 0, "mean": np.nan, "losing": np.nan} | {
            f"p{round(q * 100)}": np.nan for q in QUANTILES
        }
    quantiles = np.quantile(x, QUANTILES)
    return {"n": x.size, "mean": float(x.mean()), "losing": float(np.mean(x < 0))} | {
        f"p{round(q * 100)}": float(v) for q, v in zip(QUANTILES, quantiles, strict=True)
    }


def what_if(
    person: Person,
    plan: str,
    *,
    replications: int = 20,
    seed: int = 1,
    n_people: int | None = None,
) -> WhatIfAnswer:
    """The net income of people like `person` under `plan` and under referral.

    Args:
        person: the question.
        plan: the plan they consider joining (referral alone when it is "referral").
        replications: runs per plan (the same seeds for both plans).
        seed: root of the runs' seeds.
        n_people: population (None: the model's default).

    Returns:
        The answer (see `WhatIfAnswer`).
    """
    seeds = np.random.SeedSequence(seed).spawn(replications)
    records = []
    for name in dict.fromkeys([plan, REFERRAL]):
        snaps = pd.concat([_snapshots(name, person, s, n_people) for s in seeds], ignore_index=True)
        for horizon, at in snaps.groupby("horizon", sort=True):
            gap = (at["join_month"] - person.join_month).abs()
            window = next((w for w in WINDOWS if (gap <= w).sum() >= MIN_COHORT), WINDOWS[-1])
            cohort = at[gap <= window]
            groups = {"like you": _nearest(cohort, person) if len(cohort) else cohort}
            groups["typical"] = cohort
            for group, rows in groups.items():
                traits = {t: float(rows[t].median()) if len(rows) else np.nan for t in _TRAITS}
                for column, measure in MEASURES.items():
                    records.append(
                        {
                            "plan": name,
                            "horizon": int(horizon),
                            "group": group,
                            "measure": measure,
                            "window": window,
                            **_summary(rows[column]),
                            **{f"median_{t}": v for t, v in traits.items()},
                        }
                    )
    size = n_people if n_people is not None else ModelParams.model_fields["n_people"].default
    return WhatIfAnswer(person, pd.DataFrame(records), replications, size)


def draw_what_if(answer: WhatIfAnswer) -> Figure:
    """Box plots of net income at each horizon: people like you and the typical participant.

    Boxes span the 25th to 75th percentile with the median, whiskers the 10th
    to 90th; one panel per measure (without and with the value of one's time),
    one colour per plan (the report's colours), hatched for the typical
    participant; a dotted line marks break-even.
    """
    table = answer.table
    plans = list(dict.fromkeys(table["plan"]))
    groups = [(plan, group) for plan in plans for group in ("like you", "typical")]
    width = 0.8 / len(groups)
    fig = Figure(figsize=(11.0, 4.2), layout="constrained")
    for ax, measure in zip(fig.subplots(1, len(MEASURES)), MEASURES.values(), strict=True):
        for i, (plan, group) in enumerate(groups):
            rows = table[(table["plan"] == plan) & (table["group"] == group)]
            rows = rows[rows["measure"] == measure].set_index("horizon").reindex(HORIZONS)
            stats = [
                {
                    "med": r.p50,
                    "q1": r.p25,
                    "q3": r.p75,
                    "whislo": r.p10,
                    "whishi": r.p90,
                    "label": "",
                }
                for r in rows.itertuples()
            ]
            positions = np.arange(len(HORIZONS)) + (i - (len(groups) - 1) / 2) * width
            colour = REGIME_COLOURS.get(plan, OKABE_ITO["orange"])
            boxes = ax.bxp(
                stats,
                positions=positions,
                widths=width * 0.85,
                showfliers=False,
                patch_artist=True,
                manage_ticks=False,
            )
            for box in boxes["boxes"]:
                box.set(facecolor=colour, alpha=0.8 if group == "like you" else 0.35)
                box.set(hatch="" if group == "like you" else "//")
            boxes["boxes"][0].set_label(f"{plan}: {group}")
        ax.axhline(0, color="black", linestyle=":", linewidth=1)
        ax.set_yscale("symlog", linthresh=100.0)
        years = [f"{h // 12} year{'s' * (h > 12)}" for h in HORIZONS]
        ax.set_xticks(np.arange(len(HORIZONS)), years)
        ax.set_title(f"{measure} after joining", fontsize=STYLE["axes.titlesize"])
        ax.set_ylabel("$ (symlog; box 25-75%, whiskers 10-90%)")
        ax.grid(alpha=0.3)
    fig.axes[0].legend(fontsize=STYLE["legend.fontsize"], loc="lower left")
    return fig
