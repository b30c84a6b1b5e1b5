"""Tests of experiments.present.charts: the artists each chart draws, input checks and saving."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.container import BarContainer, ErrorbarContainer
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle, StepPatch

from experiments.present import charts

NET = {
    "mlm": [-500.0, -200.0, -100.0, -50.0, 0.0, 20.0, 30000.0],
    "referral": [-20.0, 5.0, 50.0, 80.0, 120.0, 150.0, 400.0],
}


def gini_by_definition(x) -> float:
    """Raffinetti's signed Gini from its definition: sum |x_i - x_j| / (2 n sum |x|)."""
    x = np.asarray(x, dtype=float)
    return float(np.abs(x[:, None] - x[None, :]).sum() / (2 * x.size * np.abs(x).sum()))


# ------------------------------------------------------------------ tables
@pytest.fixture
def participants() -> pd.DataFrame:
    rows = [
        {"scenario": s, "net_profit": v, "commissions": abs(v) / 10, "join_month": 7 * i}
        for s, values in NET.items()
        for i, v in enumerate(values)
    ]
    return pd.DataFrame(rows)


@pytest.fixture
def monthly() -> pd.DataFrame:
    rows = [
        {
            "scenario": s,
            "replication": r,
            "month": m,
            "participants": (10 if s == "mlm" else 5) * m + r,
            "retail_volume": 100.0 if s == "mlm" else 300.0,
            "internal_volume": 300.0 if s == "mlm" else 100.0,
        }
        for s in ("mlm", "referral")
        for r in range(3)
        for m in range(1, 7)
    ]
    return pd.DataFrame(rows)


def rates_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "scenario": ["mlm", "mlm", "referral", "referral"],
            "metric": ["success_rate", "loss_rate", "success_rate", "loss_rate"],
            "estimate": [0.2, 0.7, 0.6, 0.3],
            "ci_low": [0.15, 0.6, 0.5, 0.25],
            "ci_high": [0.3, 0.75, 0.65, np.nan],
        }
    )


@pytest.fixture
def rates() -> pd.DataFrame:
    return rates_table()


@pytest.fixture
def variance() -> pd.DataFrame:
    groups = ["ability_effort", "timing_position", "unexplained"]
    return pd.DataFrame(
        {
            "scenario": ["mlm"] * 3 + ["referral"] * 3,
            "group": groups * 2,
            "share": [0.1, 0.5, 0.4, 0.6, 0.1, 0.3],
        }
    )


@pytest.fixture
def depth() -> pd.DataFrame:
    estimate = np.linspace(0.6, 0.1, 8)
    return pd.DataFrame(
        {
            "depth": range(8),
            "estimate": estimate,
            "ci_low": estimate - 0.05,
            "ci_high": estimate + 0.1,
        }
    )


@pytest.fixture
def robustness() -> pd.DataFrame:
    return pd.DataFrame({"claim": ["C1", "C2", "C3"], "share": [0.5, 0.9, 0.1]})


@pytest.fixture
def flags() -> pd.DataFrame:
    """Per-point flags: C1 holds at 3 of 4 points, C2 at 1 of 3 decided (one undecided)."""
    return pd.DataFrame(
        {
            "point": [0, 1, 2, 3] * 2,
            "alpha": [0.1, 0.4, 0.6, 0.9] * 2,
            "beta": [1.0, 3.0, 2.0, 4.0] * 2,
            "claim": ["C1"] * 4 + ["C2"] * 4,
            "holds": [True, True, False, True, False, np.nan, True, False],
        }
    )


# ----------------------------------------------------------------- helpers
def lines(ax) -> list[Line2D]:
    return [a for a in ax.get_children() if isinstance(a, Line2D) and a.get_label() != "_nolegend_"]


def legend_labels(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def bar_containers(ax) -> list[BarContainer]:
    return [c for c in ax.containers if isinstance(c, BarContainer)]


def bars(ax) -> list[Rectangle]:
    return [p for c in bar_containers(ax) for p in c.patches]


# ---------------------------------------------------------------- constants
def test_chart_names_are_the_chart_functions():
    assert len(charts.CHART_NAMES) == 12
    assert len(set(charts.CHART_NAMES)) == 12
    for name in charts.CHART_NAMES:
        assert callable(getattr(charts, name))


def test_regime_colours_are_distinct_okabe_ito():
    palette = set(charts.OKABE_ITO.values())
    assert set(charts.REGIME_COLOURS.values()) <= palette
    assert charts.REGIME_COLOURS["mlm"] == charts.REGIME_COLOURS["unilevel"]
    assert charts.REGIME_COLOURS["mlm"] != charts.REGIME_COLOURS["referral"]


def test_regime_keeps_its_colour_in_any_chart(participants):
    fig = charts.lorenz_curves(participants.iloc[::-1])  # referral first
    by_label = {ln.get_label().split()[0]: ln.get_color() for ln in lines(fig.axes[0])}
    assert by_label["mlm"] == charts.REGIME_COLOURS["mlm"]
    assert by_label["referral"] == charts.REGIME_COLOURS["referral"]


def test_other_scenarios_and_clashing_regimes_get_distinct_colours(participants):
    table = participants.assign(
        scenario=participants["scenario"].map({"mlm": "mlm", "referral": "unilevel"})
    )
    table = pd.concat([table, participants.assign(scenario="mlm_budget_half")])
    fig = charts.net_income_distribution(table)
    colours = [p.get_edgecolor() for p in fig.axes[0].patches]
    assert len(colours) == 3
    assert len({tuple(c) for c in colours}) == 3


# -------------------------------------------------------------------- charts
def test_lorenz_curves(participants):
    fig = charts.lorenz_curves(participants)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    drawn = lines(ax)
    assert len(drawn) == 4  # two regimes, equality, zero line (there are losses)
    g_mlm, g_ref = (gini_by_definition(NET[s]) for s in ("mlm", "referral"))
    assert legend_labels(ax) == [
        f"mlm (Gini {g_mlm:.2f})",
        f"referral (Gini {g_ref:.2f})",
        "equality",
    ]
    # the Lorenz curve by hand: cumulative sums of the sorted values over the total,
    # interpolated at 101 equally spaced population shares
    values = np.sort(NET["mlm"])
    knots = np.concatenate([[0.0], np.cumsum(values)]) / values.sum()
    curve = np.interp(np.linspace(0, 1, 101), np.linspace(0, 1, values.size + 1), knots)
    np.testing.assert_allclose(drawn[0].get_ydata(), curve)
    assert drawn[0].get_ydata().min() < 0
    assert "below 0" in ax.get_ylabel()


def test_lorenz_curves_of_non_negative_column_by_regime(participants):
    fig = charts.lorenz_curves(
        participants.rename(columns={"scenario": "regime"}), "commissions", by="regime"
    )
    ax = fig.axes[0]
    assert len(lines(ax)) == 3  # no zero line
    assert "below 0" not in ax.get_ylabel()
    assert "commissions" in ax.get_ylabel()


def test_net_income_distribution(participants):
    fig = charts.net_income_distribution(participants)
    ax = fig.axes[0]
    assert ax.get_xscale() == "symlog"
    steps = [p for p in ax.patches if isinstance(p, StepPatch)]
    assert len(steps) == 2
    for step, values in zip(steps, NET.values(), strict=True):
        assert step.get_data().values.sum() == pytest.approx(1.0)  # every value in a bin
        edges = step.get_data().edges
        assert edges[0] <= min(values) and edges[-1] >= max(values)
    (break_even,) = lines(ax)
    assert list(break_even.get_xdata()) == [0, 0]
    assert legend_labels(ax) == [
        "mlm: 57% lose money (n = 7)",
        "referral: 14% lose money (n = 7)",
        "break-even ($0)",
    ]


def test_net_income_distribution_rejects_bad_linthresh(participants):
    with pytest.raises(ValueError, match="linthresh"):
        charts.net_income_distribution(participants, linthresh=0)


def test_success_and_loss_rates(rates):
    fig = charts.success_and_loss_rates(rates)
    ax = fig.axes[0]
    assert len(bars(ax)) == 4
    heights = [p.get_height() for p in bars(ax)]
    assert heights == pytest.approx([0.2, 0.7, 0.6, 0.3])  # mlm bars, then referral
    assert legend_labels(ax) == ["mlm", "referral"]
    assert ax.get_xticklabels()[0].get_text().startswith("success")
    mlm_errors = bar_containers(ax)[0].errorbar
    assert mlm_errors is not None
    segments = mlm_errors.lines[2][0].get_segments()
    np.testing.assert_allclose(segments[0][:, 1], [0.15, 0.3])


def test_success_and_loss_rates_refuses_duplicates(rates):
    with pytest.raises(ValueError, match="more than one row"):
        charts.success_and_loss_rates(pd.concat([rates, rates.iloc[:1]]))


def test_earnings_by_cohort(participants):
    fig = charts.earnings_by_cohort(participants)
    ax = fig.axes[0]
    drawn = lines(ax)
    assert len(drawn) == 5  # mean and median per regime, break-even
    assert legend_labels(ax) == [
        "mlm mean",
        "mlm median",
        "referral mean",
        "referral median",
        "break-even ($0)",
    ]
    # mlm joins at months 0, 7, ..., 42: yearly cohorts 0, 0, 1, 1, 2, 2, 3
    np.testing.assert_allclose(drawn[0].get_xdata(), [0, 1, 2, 3])
    np.testing.assert_allclose(drawn[0].get_ydata(), [-350.0, -75.0, 10.0, 30000.0])
    np.testing.assert_allclose(drawn[1].get_ydata(), [-350.0, -75.0, 10.0, 30000.0])
    assert list(drawn[4].get_ydata()) == [0, 0]
    assert "year" in ax.get_xlabel()


def test_variance_decomposition(variance):
    fig = charts.variance_decomposition(variance)
    ax = fig.axes[0]
    assert len(bars(ax)) == 6
    assert all(c.errorbar is None for c in bar_containers(ax))
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "skill & hours",
        "timing & position",
        "unexplained",
    ]
    with_ci = variance.assign(ci_low=variance["share"] - 0.05, ci_high=variance["share"] + 0.05)
    fig = charts.variance_decomposition(with_ci)
    assert all(c.errorbar is not None for c in bar_containers(fig.axes[0]))


def test_participants_over_time(monthly):
    fig = charts.participants_over_time(monthly)
    ax = fig.axes[0]
    drawn = lines(ax)
    assert [ln.get_label() for ln in drawn] == ["mlm", "referral"]
    np.testing.assert_allclose(drawn[0].get_ydata(), 10 * np.arange(1, 7) + 1)  # mean of r = 0..2
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 2
    assert "5%-95%" in ax.get_title()


def test_participants_over_time_without_runs_has_no_band(monthly):
    averaged = monthly.groupby(["scenario", "month"], as_index=False)["participants"].mean()
    ax = charts.participants_over_time(averaged).axes[0]
    assert len(lines(ax)) == 2
    assert not ax.collections
    assert "band" not in ax.get_title()


def test_participants_over_time_rejects_bad_band(monthly):
    with pytest.raises(ValueError, match="band"):
        charts.participants_over_time(monthly, band=(0.9, 0.1))


def test_retail_vs_internal_volume(monthly):
    fig = charts.retail_vs_internal_volume(monthly)
    over_time, totals = fig.axes
    assert legend_labels(over_time) == [
        "mlm retail",
        "mlm internal",
        "referral retail",
        "referral internal",
    ]
    assert len(lines(over_time)) == 4
    widths = [p.get_width() for p in bars(totals)]
    assert widths == pytest.approx([0.25, 0.75, 0.75, 0.25])
    assert [t.get_text() for t in totals.get_yticklabels()] == ["mlm", "referral"]


def test_success_by_plan_depth(depth):
    ax = charts.success_by_plan_depth(depth).axes[0]
    series = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    assert len(series) == 2  # the unilevel line, and referral (depth 0) apart from it
    unilevel, referral = series
    np.testing.assert_allclose(unilevel.lines[0].get_ydata(), depth["estimate"][1:])
    np.testing.assert_allclose(referral.lines[0].get_ydata(), depth["estimate"][:1])
    assert unilevel.lines[0].get_linestyle() == "-"
    assert referral.lines[0].get_linestyle() == "None"  # not joined to unilevel_1
    assert list(ax.get_xticks()) == list(range(8))
    assert "referral" in ax.get_xticklabels()[0].get_text()


def test_success_by_plan_depth_one_series_per_metric(depth):
    table = pd.concat(
        [depth.assign(metric="success_rate"), depth.assign(metric="success_rate_after_time")]
    ).sample(frac=1, random_state=1)
    ax = charts.success_by_plan_depth(table).axes[0]
    series = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    assert len(series) == 4  # per metric: the unilevel line and the referral point
    for container in series[::2]:  # sorted by depth whatever the row order
        assert list(container.lines[0].get_xdata()) == list(range(1, 8))
    with pytest.raises(ValueError, match="more than one row"):
        charts.success_by_plan_depth(pd.concat([depth, depth]))


def test_robustness_map_is_sorted(robustness):
    ax = charts.robustness_map(robustness).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["C3", "C1", "C2"]  # bottom to top
    assert [p.get_width() for p in bars(ax)] == pytest.approx([0.1, 0.5, 0.9])
    assert bar_containers(ax)[0].errorbar is None


@pytest.mark.parametrize("via_csv", [False, True])
def test_robustness_map_from_flags(flags, via_csv, tmp_path):
    if via_csv:  # as analysis/robustness.csv reads back: holds is object (True, False, NaN)
        flags.to_csv(tmp_path / "flags.csv", index=False)
        flags = pd.read_csv(tmp_path / "flags.csv")
        assert flags["holds"].dtype == object
    ax = charts.robustness_map(flags).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["C2", "C1"]
    assert [p.get_width() for p in bars(ax)] == pytest.approx([1 / 3, 3 / 4])
    assert bar_containers(ax)[0].errorbar is not None


def test_robustness_map_scatter(flags):
    fig = charts.robustness_map(flags, x="alpha", y="beta")
    assert [ax.get_title() for ax in fig.axes] == ["C1", "C2"]
    first, second = (
        [c for c in ax.collections if isinstance(c, PathCollection)] for ax in fig.axes
    )
    assert [len(c.get_offsets()) for c in first] == [3, 1]  # holds, does not hold
    assert [len(c.get_offsets()) for c in second] == [1, 2, 1]  # ... and undecided
    assert legend_labels(fig.axes[0]) == ["holds", "does not hold"]
    with pytest.raises(ValueError, match="both x and y"):
        charts.robustness_map(flags, x="alpha")


# ------------------------------------------------------------------ checks
MISSING = [
    ("lorenz_curves", "participants", "net_profit"),
    ("lorenz_curves", "participants", "scenario"),
    ("net_income_distribution", "participants", "net_profit"),
    ("success_and_loss_rates", "rates", "metric"),
    ("success_and_loss_rates", "rates", "ci_high"),
    ("earnings_by_cohort", "participants", "join_month"),
    ("variance_decomposition", "variance", "share"),
    ("participants_over_time", "monthly", "month"),
    ("retail_vs_internal_volume", "monthly", "internal_volume"),
    ("success_by_plan_depth", "depth", "depth"),
    ("success_by_plan_depth", "depth", "ci_low"),
    ("robustness_map", "robustness", "claim"),
    ("robustness_map", "robustness", "share"),
]


@pytest.mark.parametrize(("chart", "table", "column"), MISSING)
def test_missing_column_is_named(chart, table, column, request):
    data = request.getfixturevalue(table).drop(columns=column)
    with pytest.raises(ValueError, match=rf"missing column\(s\): .*{column}") as info:
        getattr(charts, chart)(data)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("chart", "table"),
    list(dict.fromkeys((c, t) for c, t, _ in MISSING)),  # ordered: xdist needs one order
)
def test_empty_table_is_refused(chart, table, request):
    data = request.getfixturevalue(table).iloc[:0]
    with pytest.raises(ValueError, match="no rows"):
        getattr(charts, chart)(data)


# ------------------------------------------------------------ style, threads
def test_style_is_applied_inside_only(monthly, tmp_path):
    before = dict(mpl.rcParams)
    fig = charts.participants_over_time(monthly)
    assert dict(mpl.rcParams) == before
    assert fig.canvas.manager is None  # not a pyplot figure
    ax = fig.axes[0]
    assert not ax.spines["top"].get_visible()
    assert ax.title.get_fontsize() == charts.STYLE["axes.titlesize"]
    charts.save_figure(fig, tmp_path, "style", ["png"])  # drawn outside the style
    for axis, size in ((ax.xaxis, "xtick.labelsize"), (ax.yaxis, "ytick.labelsize")):
        labels = axis.get_ticklabels()
        assert labels and {t.get_fontsize() for t in labels} == {charts.STYLE[size]}


def test_charts_draw_in_threads(participants, monthly):
    jobs = [
        lambda: charts.lorenz_curves(participants),
        lambda: charts.participants_over_time(monthly),
        lambda: charts.earnings_by_cohort(participants),
    ]
    with ThreadPoolExecutor(max_workers=4) as pool:
        figures = list(pool.map(lambda job: job(), jobs))
    assert all(isinstance(f, Figure) for f in figures)
    assert [len(lines(f.axes[0])) for f in figures] == [4, 2, 5]


# ------------------------------------------------------------------ saving
@pytest.fixture(scope="module")
def figure() -> Figure:
    """One figure for the saving tests (drawn once; saving does not change it)."""
    return charts.success_and_loss_rates(rates_table())


MAGIC = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}


def test_save_figure_writes_each_format(figure, tmp_path):
    out = tmp_path / "new" / "charts"
    paths = charts.save_figure(figure, out, "rates", ("png", "svg", "pdf"))
    assert paths == [out / "rates.png", out / "rates.svg", out / "rates.pdf"]
    for path in paths:
        content = path.read_bytes()
        assert content.startswith(MAGIC[path.suffix[1:]])
    assert sorted(p.name for p in out.iterdir()) == ["rates.pdf", "rates.png", "rates.svg"]


def test_save_figure_png_resolution(figure, tmp_path):
    (path,) = charts.save_figure(figure, tmp_path, "rates", "png")
    width = int.from_bytes(path.read_bytes()[16:20], "big")  # IHDR width
    assert width == round(figure.get_figwidth() * charts.DPI)


def test_save_figure_svg_is_reproducible(figure, tmp_path):
    (first,) = charts.save_figure(figure, tmp_path / "a", "rates", ["svg"])
    (second,) = charts.save_figure(figure, tmp_path / "b", "rates", ["svg"])
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("formats", [("jpeg",), ("png", "jpeg"), ()])
def test_save_figure_rejects_bad_formats_writing_nothing(figure, tmp_path, formats):
    with pytest.raises(ValueError, match=re.escape("allowed: png, svg, pdf")):
        charts.save_figure(figure, tmp_path / "out", "rates", formats)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["", "../rates", "sub/rates", ".rates"])
def test_save_figure_rejects_paths_as_names(figure, tmp_path, name):
    with pytest.raises(ValueError, match="plain file name"):
        charts.save_figure(figure, tmp_path, name)


def test_save_figure_failure_leaves_old_file_and_no_temporary(figure, tmp_path, monkeypatch):
    (path,) = charts.save_figure(figure, tmp_path, "rates", ["png"])
    old = path.read_bytes()

    def broken(handle, **kwargs):
        handle.write(b"half a figure")
        raise RuntimeError("disk full")

    monkeypatch.setattr(figure, "savefig", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        charts.save_figure(figure, tmp_path, "rates", ["png"])
    assert path.read_bytes() == old
    assert [p.name for p in Path(tmp_path).iterdir()] == ["rates.png"]


def test_categorical_groups_draw_only_present_values(participants):
    table = participants.astype({"scenario": pd.CategoricalDtype(["mlm", "referral", "unused"])})
    ax = charts.lorenz_curves(table).axes[0]
    assert len(legend_labels(ax)) == 3  # two regimes and equality


def test_sensitivity_indices_sorts_and_limits_parameters():
    table = pd.DataFrame(
        {
            "outcome": ["y"] * 3 + ["z"],
            "parameter": ["a", "b", "c", "a"],
            "index": ["mu_star"] * 4,
            "estimate": [0.1, 0.3, 0.2, 1.0],
            "low": [0.05, 0.2, 0.1, 0.9],
            "high": [0.15, 0.4, 0.3, 1.1],
        }
    )
    fig = charts.sensitivity_indices(table, "mu_star", top=2)
    first = fig.axes[0]
    assert [t.get_text() for t in first.get_yticklabels()] == ["c", "b"]  # the two largest
    assert [ax.get_title() for ax in fig.axes if ax.get_visible()] == ["y", "z"]
    with pytest.raises(ValueError, match="no rows of index 'S1'"):
        charts.sensitivity_indices(table, "S1")


def test_verdict_flips_marks_only_the_flipped_cells():
    table = pd.DataFrame(
        {
            "claim": ["C1", "C1", "C2", "C2"],
            "factor": ["x 0.5", "x 1.5", "x 0.5", "x 1.5"],
            "verdict": ["supported", "refuted", "inconclusive", "inconclusive"],
            "baseline": ["supported", "supported", "inconclusive", "inconclusive"],
            "flipped": [False, True, False, False],
        }
    )
    fig = charts.verdict_flips(table, "factor", "t")
    ax = fig.axes[0]
    marks = [t for t in ax.texts if t.get_text() == "x"]
    assert len(marks) == 1 and marks[0].get_position() == pytest.approx((1.47, 0.45))
    colours = {tuple(p.get_facecolor()) for p in ax.patches}
    assert len(colours) == 3  # supported, refuted, inconclusive


def test_lorenz_curves_mark_the_top_shares_the_rules_use():
    people = pd.DataFrame({"regime": "mlm", "gross_income": [0.0] * 90 + [1.0] * 9 + [91.0]})
    ax = charts.lorenz_curves(people, "gross_income", by="regime").axes[0]
    marks = {t.get_text() for t in ax.texts}
    assert marks == {"top 10%: 100%", "top 1%: 91%"}  # 10 people hold all; one holds 91


def test_robustness_map_says_which_claims_are_not_sampled():
    table = pd.DataFrame({"claim": ["C1", "C1", "C14"], "holds": [1.0, 0.0, np.nan]})
    ax = charts.robustness_map(table).axes[0]
    assert "not in the hypercube" in {t.get_text() for t in ax.texts}
    assert ax.get_xlim() == (0.0, 1.0)
    dashed = [line.get_xdata()[0] for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert sorted(dashed) == [0.25, 0.75]  # the verdict bars
