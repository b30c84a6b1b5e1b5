"""The interactive app (`downline app`): a downline grows and pays, plans side by side, "what if".

A Mesa `SolaraViz` page. The sidebar holds Mesa's controls (play, step and
reset) and the inputs, generated from the parameter metadata
(`experiments.present.inputs`); the main area holds, on the first tab, the
live charts of `experiments.present.live`, the run metrics side by side and
the export buttons; the second tab answers "what would happen to me"
(`experiments.present.whatif`).

A valid change of any input rebuilds the runs at month 0; a bad value shows
the model's one-line message under its field and leaves the runs as they
were, so the page never fails on input. At the horizon (months) Mesa's
controls stop; Reset starts the runs again. Run it with `downline app` or
`solara run experiments.present.app`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import solara
from mesa.visualization import SolaraViz

from experiments.present.inputs import (
    GENERAL,
    FieldSpec,
    Settings,
    default_texts,
    field_specs,
    read_settings,
)
from experiments.present.live import CHARTS, LiveRuns, charts_zip
from experiments.present.whatif import Person, draw_what_if, what_if
from model import available_plans

__all__ = ["AppRuns", "Form", "Page", "edit", "initial_form"]

NO_COMPARISON = "none"
"""The compare selector's value when one plan is shown."""
DPI = 72
"""Resolution of the charts on the page (the PNG export uses the report's 150)."""
WHAT_IF_FIELDS: dict[str, tuple[str, str]] = {
    "hours": ("hours a month you would work", "10"),
    "budget": ("money a month you could spend ($)", "150"),
    "ties": ("people you know", "20"),
    "join_month": ("the company's month in which you join", "12"),
    "replications": ("replications per plan", "20"),
}
"""The what-if inputs: label and default text."""


@dataclass(frozen=True)
class Form:
    """What the inputs say.

    Attributes:
        plan: the chosen plan.
        compare: the plan shown beside it, or None.
        texts: each field's text (see `experiments.present.inputs.field_specs`).
        errors: each bad field's one-line message (`GENERAL`: no single field).
        settings: the last valid settings (what the runs are built from).
    """

    plan: str
    compare: str | None
    texts: dict[str, str]
    errors: dict[str, str]
    settings: Settings


def initial_form(plan: str = "unilevel", compare: str | None = None) -> Form:
    """The inputs at their defaults."""
    texts = default_texts(plan)
    settings, errors = read_settings(plan, texts)
    if settings is None:  # the defaults are valid: the model's tests guarantee it
        raise ValueError("; ".join(errors.values()))
    return Form(plan, compare, texts, errors, settings)


def edit(form: Form, name: str, text: str) -> Form:
    """The form after one field's text changes (plan and compare included).

    A new plan brings its own fields at their defaults; the settings change
    only when every field is valid.
    """
    plan, compare, texts = form.plan, form.compare, dict(form.texts)
    if name == "plan":
        plan = text
        texts = {k: v for k, v in texts.items() if not k.startswith("plan.")}
        texts.update({k: v for k, v in default_texts(plan).items() if k.startswith("plan.")})
    elif name == "compare":
        compare = None if text == NO_COMPARISON else text
    else:
        texts[name] = text
    settings, errors = read_settings(plan, texts)
    return Form(plan, compare, texts, errors, settings or form.settings)


class AppRuns(LiveRuns):
    """The runs of the page, built from its form (this is how Mesa's Reset rebuilds them).

    Args:
        form: the page's form; its last valid settings are used.
    """

    def __init__(self, form: solara.Reactive[Form]) -> None:
        super().__init__(form.value.settings, form.value.compare)


# ------------------------------------------------------------------ components
@solara.component
def Field(
    spec: FieldSpec, form: solara.Reactive[Form], on_text: Callable[[str, str], None]
) -> None:
    """One input: a select for choices, else a text field with its error underneath."""
    text = form.value.texts.get(spec.name, spec.default)
    message = form.value.errors.get(spec.name)
    with solara.Tooltip(spec.help):
        if spec.kind == "choice":
            solara.Select(
                spec.label,
                values=list(spec.choices),
                value=text,
                on_value=lambda v: on_text(spec.name, v),
            )
        else:
            solara.InputText(
                spec.label,
                value=text,
                on_value=lambda v: on_text(spec.name, v),
                error=message or False,
            )


@solara.component
def Inputs(form: solara.Reactive[Form], runs: solara.Reactive[LiveRuns]) -> None:
    """The plan, the comparison and every parameter; a valid change rebuilds the runs."""

    def on_text(name: str, text: str) -> None:
        new = edit(form.value, name, text)
        form.set(new)
        changed = new.settings != form_before.settings or new.compare != form_before.compare
        if not new.errors and changed:
            runs.set(AppRuns(form))

    form_before = form.value
    plans = list(available_plans())
    specs = field_specs(form.value.plan)
    with solara.Card("Inputs"):
        with solara.Row():
            solara.Select(
                "plan", values=plans, value=form.value.plan, on_value=lambda v: on_text("plan", v)
            )
            solara.Select(
                "compare with",
                values=[NO_COMPARISON, *plans],
                value=form.value.compare or NO_COMPARISON,
                on_value=lambda v: on_text("compare", v),
            )
        if GENERAL in form.value.errors:
            solara.Error(form.value.errors[GENERAL])
        for spec in specs:
            if spec.group == "run":
                Field(spec, form, on_text)
        for group, title in (("plan", "plan parameters"), ("model", "model parameters")):
            inside = [s for s in specs if s.group == group]
            bad = any(s.name in form.value.errors for s in inside)
            with solara.Details(f"{title} ({len(inside)})", expand=bad):
                for spec in inside:
                    Field(spec, form, on_text)


def _chart(name: str) -> Callable[[LiveRuns], Any]:
    """The page component drawing chart `name` of `CHARTS` (Mesa redraws it after each step)."""

    def chart(model: LiveRuns) -> Any:
        figure = CHARTS[name](model, model.participants())
        return solara.FigureMatplotlib(figure, format="png", dpi=DPI)

    chart.__name__ = f"chart_{name}"
    return chart


def metrics_table(model: LiveRuns) -> Any:
    """The run metrics so far, plans side by side."""
    table = model.metrics().round(3).rename_axis("metric").reset_index()
    return solara.Card(f"Run metrics at month {model.month}", children=[solara.DataFrame(table)])


def export(model: LiveRuns) -> Any:
    """Download buttons: participant and monthly tables (CSV), every chart (PNG in a ZIP)."""
    month = model.month
    with solara.Card(f"Export (month {month})") as card:
        solara.FileDownload(
            lambda: model.participants().to_csv(index=False),
            filename=f"participants_month{month}.csv",
            label="participant table (CSV)",
        )
        solara.FileDownload(
            lambda: model.monthly().to_csv(index=False),
            filename=f"monthly_month{month}.csv",
            label="monthly table (CSV)",
        )
        solara.FileDownload(
            lambda: charts_zip(model),
            filename=f"charts_month{month}.zip",
            label="charts (PNG, ZIP)",
            mime_type="application/zip",
        )
    return card


def _read_person(texts: dict[str, str]) -> tuple[Person | None, int, dict[str, str]]:
    errors: dict[str, str] = {}
    values: dict[str, float] = {}
    for name, text in texts.items():
        try:
            values[name] = float(text)
        except ValueError:
            errors[name] = f"{name}: must be a number, got {text!r}"
    replications = int(values.pop("replications", 0))
    if "replications" not in errors and replications < 1:
        errors["replications"] = f"replications: must be an integer >= 1, got {replications}"
    if errors:
        return None, replications, errors
    try:
        person = Person(
            hours=values["hours"],
            budget=values["budget"],
            ties=values["ties"],
            join_month=int(values["join_month"]),
        )
    except ValueError as err:
        return None, replications, {line.split(":")[0]: line for line in str(err).splitlines()}
    return person, replications, errors


@solara.component
def WhatIf(form: solara.Reactive[Form]) -> None:
    """The "what would happen to me" panel: a person's inputs, a run button and the answer."""
    texts = solara.use_reactive({k: default for k, (_, default) in WHAT_IF_FIELDS.items()})
    answer = solara.use_reactive(None)
    person, replications, errors = _read_person(texts.value)
    plan = form.value.plan

    def run() -> None:
        if person is not None:
            answer.set(what_if(person, plan, replications=replications))

    with solara.Card("What would happen to me?"):
        solara.Markdown(
            f"Replications of the calibrated model (default parameters) under **{plan}** "
            "and under **referral**: the net income, 1, 3 and 5 years after joining, of the "
            "participants who joined around your month and are most like you in hours, "
            "budget and people known, beside everyone who joined then."
        )
        with solara.Row():
            for name, (label, _) in WHAT_IF_FIELDS.items():
                solara.InputText(
                    label,
                    value=texts.value[name],
                    on_value=lambda v, name=name: texts.set({**texts.value, name: v}),
                    error=errors.get(name) or False,
                )
        solara.Button("Run", color="primary", on_click=run, disabled=person is None)
        if answer.value is not None:
            solara.Markdown(_what_if_summary(answer.value))
            solara.FigureMatplotlib(draw_what_if(answer.value), format="png", dpi=DPI)


def _what_if_summary(answer: Any) -> str:
    table = answer.table
    rows = table[(table["horizon"] == table["horizon"].max()) & (table["measure"] == "net income")]
    lines = [
        f"After {int(table['horizon'].max()) // 12} years ({answer.replications} runs of "
        f"{answer.n_people:,} people per plan):",
        "",
    ]
    for row in rows.itertuples():
        lines.append(
            f"- **{row.plan}, {row.group}** ({row.n:,} people; median "
            f"{row.median_hours:.0f} h/month, ${row.median_budget:,.0f}/month, "
            f"{row.median_ties:.0f} ties): median net income "
            f"${row.p50:,.0f}, {row.losing:.0%} lose money"
        )
    return "\n".join(lines)


@solara.component
def Page() -> None:
    """The app: Mesa's SolaraViz with the inputs, the live charts and the what-if panel."""
    form = solara.use_reactive(solara.use_memo(initial_form, []))
    runs = solara.use_reactive(solara.use_memo(lambda: AppRuns(form), []))
    components: list[tuple[Any, int]] = [
        *((_chart(name), 0) for name in CHARTS),
        (metrics_table, 0),
        (export, 0),
        (lambda _model: WhatIf(form), 1),
    ]
    SolaraViz(
        runs,
        components=components,
        model_params={"form": form},
        name="downline: a downline grows and pays",
        play_interval=50,
    )
    with solara.Sidebar():
        Inputs(form, runs)
