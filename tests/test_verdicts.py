"""Verdict rules on constructed per-run measures with known verdicts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from experiments.claims import robustness, verdicts
from experiments.claims.catalogue import CLAIMS
from experiments.claims.stats import Interval, PairedDifference, holm
from experiments.claims.verdicts import Context, Decision, Paired, directional, final_verdict


def paired(low: float, estimate: float, high: float, p_holm: float = 0.001) -> Paired:
    diff = PairedDifference(20, 0.0, 0.0, estimate, low, high, p_holm, 0.5, "negligible")
    return Paired(diff, p_holm)


@pytest.mark.parametrize(
    ("d", "delta", "expected"),
    [
        (paired(0.03, 0.05, 0.07), 0.02, "supported"),
        (paired(0.005, 0.01, 0.03), 0.02, "inconclusive"),  # significant but below delta
        (paired(0.005, 0.01, 0.015), 0.02, "refuted"),  # effect of the claimed size ruled out
        (paired(-0.05, -0.04, -0.03), 0.02, "refuted"),
        (paired(0.03, 0.05, 0.07, p_holm=0.2), 0.02, "inconclusive"),  # not significant
        (paired(-1.0, 2.0, 5.0), 0.0, "inconclusive"),
    ],
)
def test_directional_rule(d, delta, expected):
    assert directional(d, delta) == expected


@pytest.mark.parametrize(
    ("at_defaults", "share", "expected"),
    [
        ("supported", Interval(0.95, 0.90, 0.98), "supported"),
        ("supported", Interval(0.80, 0.70, 0.87), "inconclusive"),  # cannot tell yet
        ("supported", Interval(0.50, 0.40, 0.60), "depends-on"),  # surely below 75%
        ("refuted", Interval(0.05, 0.01, 0.12), "refuted"),
        ("refuted", Interval(0.22, 0.15, 0.31), "inconclusive"),
        ("refuted", Interval(0.50, 0.40, 0.60), "depends-on"),
        ("inconclusive", Interval(0.0, 0.0, 0.04), "inconclusive"),
        ("supported", None, "supported"),
        ("refuted", Interval(math.nan, math.nan, math.nan), "refuted"),
        # exactly on the bars: "at least 0.75" and "at most 0.25" keep the verdict, "below
        # 0.75" and "above 0.25" (strict) are needed for depends-on
        ("supported", Interval(0.85, 0.75, 0.95), "supported"),
        ("supported", Interval(0.70, 0.60, 0.75), "inconclusive"),
        ("refuted", Interval(0.15, 0.05, 0.25), "refuted"),
        ("refuted", Interval(0.30, 0.25, 0.40), "inconclusive"),
    ],
)
def test_final_verdict_combines_defaults_and_robustness(at_defaults, share, expected):
    assert final_verdict(at_defaults, share) == expected


@pytest.mark.parametrize(
    ("iv", "side", "expected"),
    [  # threshold 0.5, margin 0.125 (binary fractions: the bars are met exactly)
        (Interval(0.625, 0.5625, 0.75), "above", "supported"),  # estimate exactly 0.125 beyond
        (Interval(0.75, 0.5, 1.0), "above", "inconclusive"),  # the CI touches the threshold
        (Interval(0.5, 0.375, 0.625), "above", "inconclusive"),  # reaches threshold + margin
        (Interval(0.5, 0.375, 0.624), "above", "refuted"),
        (Interval(0.375, 0.25, 0.4375), "below", "supported"),
        (Interval(0.25, 0.0, 0.5), "below", "inconclusive"),
        (Interval(0.5, 0.375, 0.625), "below", "inconclusive"),  # reaches threshold - margin
        (Interval(0.5, 0.376, 0.625), "below", "refuted"),
    ],
)
def test_beyond_bars_by_hand(iv, side, expected):
    assert verdicts.beyond(iv, 0.5, 0.125, side) == expected


def test_beyond_scales_threshold_and_margin_unless_told_not_to():
    """At factor 2 the threshold 0.5 becomes 1.0 and the margin 0.05 becomes 0.1."""
    near = Interval(1.05, 1.04, 1.06)  # 0.05 beyond 1.0: short of the scaled margin
    far = Interval(0.8, 0.79, 0.81)  # beyond 0.5 + 0.05, short of 1.0
    with verdicts.scaled_thresholds(2.0):
        assert verdicts.beyond(near, 0.5, 0.05, "above") == "refuted"
        assert verdicts.beyond(far, 0.5, 0.05, "above") == "refuted"
        assert verdicts.beyond(far, 0.5, 0.05, "above", scales=False) == "supported"


def test_a_ci_touching_the_threshold_is_neither_above_nor_below_it():
    assert verdicts.is_above(Interval(1.0, 0.0, 2.0), 0.0) is False
    assert verdicts.is_above(Interval(1.0, 0.001, 2.0), 0.0) is True
    assert verdicts.is_below(Interval(-1.0, -2.0, 0.0), 0.0) is False
    assert verdicts.is_below(Interval(-1.0, -2.0, -0.001), 0.0) is True


@pytest.mark.parametrize(
    ("decision", "expected"),
    [
        # mean 2, 0.5 from the threshold 2.5; sd (ddof 1) 2: cv 4, n = ceil((1.96 x 4)^2) =
        # ceil(61.46) = 62
        (Decision("inconclusive", "", (np.array([0.0, 2.0, 4.0, np.nan]), 2.5)), 62),
        # two values are enough: mean 1, 2 from 3, sd sqrt(2): (1.96 x 0.707)^2 = 1.92 -> 2
        (Decision("inconclusive", "", (np.array([0.0, 2.0]), 3.0)), 2),
    ],
)
def test_replications_to_resolve_by_hand(decision, expected):
    assert decision.replications_to_resolve() == expected


@pytest.mark.parametrize(
    "decision",
    [
        Decision("supported", "", (np.array([0.0, 2.0, 4.0]), 2.5)),  # decided: nothing to resolve
        Decision("inconclusive", ""),  # no per-run values
        Decision("inconclusive", "", (np.array([1.0, np.nan]), 2.5)),  # one value: no spread
    ],
)
def test_replications_to_resolve_is_nan_when_it_does_not_apply(decision):
    assert math.isnan(decision.replications_to_resolve())


@pytest.mark.parametrize(
    ("costs", "means", "expected"),
    [
        ([0.25, 1.0, 4.0], [100.0, 50.0, -50.0], "$2.5"),  # 1 + 3 x 50 / 100
        ([0.25, 1.0, 4.0], [100.0, 0.0, -50.0], "$1"),  # exactly 0 at $1
        ([0.25, 1.0, 4.0], [0.0, -5.0, -50.0], "$0.25"),
        ([0.25, 1.0, 4.0], [100.0, 50.0, 0.0], "$4"),  # reaches 0 at the last price
        ([0.25, 1.0, 4.0], [3.0, 2.0, 1.0], "outside [$0.25, $4] (always above 0)"),
        ([0.25, 1.0, 4.0], [0.5, 0.5, 0.25], "outside [$0.25, $4] (always above 0)"),
        ([0.5, 2.0], [-3.0, -0.5], "outside [$0.5, $2] (always below 0)"),
        # the same sign, however small the means (their product underflows to 0)
        ([0.5, 2.0], [2e-200, 1e-200], "outside [$0.5, $2] (always above 0)"),
        # ... and a crossing found however small the means (1e-200 x -1e-200 underflows)
        ([1.0, 3.0], [1e-200, -1e-200], "$2"),
        ([1.0, 3.0], [-1.0, 1.0], "$2"),  # a crossing to exactly 1 (not only to 0) counts
        # a price with no mean (NaN) is skipped: the crossing is between its neighbours
        ([0.25, 1.0, 4.0], [-1.0, math.nan, 2.0], "$1.5"),  # 0.25 + 3.75 x 1 / 3
        ([0.25, 1.0, 4.0], [1.0, math.nan, 2.0], "outside [$0.25, $4] (always above 0)"),
        ([0.25, 1.0, 4.0], [1.0, 2.0, math.nan], "outside [$0.25, $4] (always above 0)"),
        ([0.25, 1.0, 4.0], [-2.0, 0.0, math.nan], "$1"),
        ([0.25, 1.0], [math.nan, math.nan], "undefined (no price has a mean)"),
    ],
)
def test_break_even_interpolates_the_cost_where_the_mean_crosses_zero(costs, means, expected):
    assert verdicts._break_even(costs, means) == expected


def test_break_even_needs_a_mean_for_every_cost():
    with pytest.raises(ValueError):
        verdicts._break_even([0.25, 1.0, 4.0], [100.0, -50.0])


def main_part(columns: dict[str, dict[str, np.ndarray]]) -> Context:
    """A context whose main part has the given per-run values by scenario and measure."""
    frames = []
    for scenario, measures in columns.items():
        n = len(next(iter(measures.values())))
        frames.append(
            pd.DataFrame(
                {
                    "run_id": [f"{scenario}{i}" for i in range(n)],
                    "scenario": scenario,
                    "point": 0,
                    "replication": np.arange(n),
                    "seed": np.arange(n),
                    **measures,
                }
            )
        )
    return Context(
        parts={"main": pd.concat(frames, ignore_index=True)},
        scenarios={},
        designs={"main": []},
        n_resamples=999,
    )


def test_c1_supported_refuted_and_inconclusive():
    rng = np.random.default_rng(0)
    low = {
        "success_rate": 0.1 + 0.01 * rng.normal(size=20),
        "success_rate_after_time": np.zeros(20),
    }
    low["loss_rate"] = 1 - low["success_rate"]
    assert verdicts._c1(main_part({"mlm": low})).verdict == "supported"
    high = {k: (1 - v if k != "success_rate_after_time" else v) for k, v in low.items()}
    assert verdicts._c1(main_part({"mlm": high})).verdict == "refuted"
    straddle = {  # the mean sits on the bar 0.45 (0.5 less the margin 0.05)
        "success_rate": np.array([0.25, 0.65] * 10),
        "loss_rate": np.array([0.75, 0.35] * 10),
        "success_rate_after_time": np.zeros(20),
    }
    decision = verdicts._c1(main_part({"mlm": straddle}))
    assert decision.verdict == "inconclusive"
    assert decision.replications_to_resolve() == math.inf  # the mean sits on the threshold


def test_c19_equivalence_and_difference():
    rng = np.random.default_rng(5)
    base = {m: rng.normal(0.5, 0.001, 30) for m in verdicts.C19_MARGINS}
    wobble = np.array([0.001, -0.001] * 15)  # no tendency: referral > mlm in half the pairs
    noisy = {m: v + wobble for m, v in base.items()}
    assert verdicts._c19(main_part({"referral": base, "mlm": noisy})).verdict == "supported"
    straddle = dict(noisy, success_rate=base["success_rate"] + rng.normal(0.02, 0.01, 30))
    assert verdicts._c19(main_part({"referral": straddle, "mlm": base})).verdict == "inconclusive"
    far = dict(base, top10_share=base["top10_share"] + 0.3)
    assert verdicts._c19(main_part({"referral": far, "mlm": base})).verdict == "refuted"


def _c19_with(monkeypatch, success: Paired) -> str:
    """C19's verdict when success_rate's comparison is ``success`` and every other measure's
    CI is well inside its margin with a negligible A."""
    ctx = main_part({"mlm": {"m": np.zeros(2)}})

    def fake(part, a, b, measure, role="also", primary=False):
        if measure == "success_rate":
            return success
        margin = verdicts.C19_MARGINS[measure]
        return paired(-margin / 10, 0.0, margin / 10)

    monkeypatch.setattr(ctx, "paired", fake)
    return verdicts._c19(ctx).verdict


def c19_success(low: float, high: float, a12: float, magnitude: str) -> Paired:
    diff = PairedDifference(20, 0.0, 0.0, (low + high) / 2, low, high, 0.001, a12, magnitude)
    return Paired(diff, 0.001)


@pytest.mark.parametrize(
    ("success", "expected"),
    [  # success_rate's margin is 0.02; its CI must lie strictly inside (-0.02, 0.02)
        (c19_success(-0.019, 0.019, 0.5, "negligible"), "supported"),
        (c19_success(-0.02, 0.01, 0.5, "negligible"), "inconclusive"),
        (c19_success(-0.01, 0.02, 0.5, "negligible"), "inconclusive"),
        # and strictly outside [-0.02, 0.02], with A at least medium, to refute
        (c19_success(0.021, 0.05, 0.9, "large"), "refuted"),
        (c19_success(0.02, 0.05, 0.9, "large"), "inconclusive"),
        (c19_success(-0.05, -0.021, 0.1, "large"), "refuted"),
        (c19_success(-0.05, -0.02, 0.1, "large"), "inconclusive"),
        (c19_success(0.03, 0.05, 0.67, "medium"), "refuted"),  # medium: 0.64 <= 0.67 < 0.71
        (c19_success(0.03, 0.05, 0.6, "small"), "inconclusive"),
    ],
)
def test_c19_margins_are_strict(monkeypatch, success, expected):
    assert _c19_with(monkeypatch, success) == expected


def test_evaluate_claims_adjusts_the_primary_tests_with_holm(monkeypatch):
    rng = np.random.default_rng(2)
    a, b = rng.normal(1.0, 1.0, 25), rng.normal(0.0, 1.0, 25)
    c = rng.normal(0.3, 1.0, 25)

    def rule(x, y, name):
        def decide(ctx: Context) -> Decision:
            d = ctx.paired_of(x, y, "main", name, "m", "", "primary", primary=True)
            return Decision("supported" if d.p_holm < 0.05 else "inconclusive", f"{d.p_holm}")

        return decide

    monkeypatch.setattr(verdicts, "RULES", {"X": rule(a, b, "ab"), "Y": rule(c, b, "cb")})
    decisions, estimates = verdicts.evaluate_claims(main_part({"mlm": {"m": a}}))
    raw = estimates["p_value"].to_numpy()
    assert raw[0] < raw[1] < 0.5  # X is the stronger effect
    # Holm by hand for two tests: the smaller p times 2, the larger at least that
    first = min(1.0, 2 * raw[0])
    expected = [first, max(first, raw[1])]
    assert estimates["p_holm"].to_numpy() == pytest.approx(expected)
    assert len(estimates) == 2  # rows of the second pass only
    assert decisions["X"].verdict == "supported"
    assert float(decisions["Y"].reason) == pytest.approx(expected[1])


def test_every_claim_has_a_rule_and_robustness_flags_are_for_known_claims():
    ids = {c.id for c in CLAIMS}
    assert set(verdicts.RULES) == ids
    assert set(robustness.FLAGS) <= ids


def robustness_runs(x: np.ndarray, noise: np.ndarray, spread: np.ndarray) -> pd.DataFrame:
    """Per-run measures at each point: 3 replications of mlm and referral around given means."""
    rows = []
    for p in range(x.size):
        common = {"point": p, "recruit_prob": float(np.nan_to_num(x[p])), "noise": noise[p]}
        for rep, shift in enumerate((-1.0, 0.0, 1.0)):
            sr = x[p] + shift * spread[p]
            run = {**common, "replication": rep, "seed": rep}
            rows.append({**run, "run_id": f"m{p}.{rep}", "scenario": "mlm", "success_rate": sr})
            rows[-1]["loss_rate"] = 1 - sr
            rows.append(
                {
                    **run,
                    "run_id": f"r{p}.{rep}",
                    "scenario": "referral",
                    "success_rate": sr + 0.05,
                    "loss_rate": 0.5,
                }
            )
    return pd.DataFrame(rows)


def test_robustness_share_counts_points_where_the_rule_holds(monkeypatch):
    rng = np.random.default_rng(4)
    points = 40
    x = rng.uniform(0, 1, points)
    noise = rng.uniform(size=points)
    measures = robustness_runs(x, noise, np.zeros(points))
    monkeypatch.setattr(robustness, "FLAGS", {"C1": robustness._c1, "C2": robustness._c2})
    flags = robustness.point_flags(measures, ["recruit_prob", "noise"])
    shares = robustness.summarise(flags)
    expected = float(np.mean(x <= 0.45))  # C1's flag: success <= 0.45 and loss >= 0.55
    assert shares["C1"][0].estimate == pytest.approx(expected)
    assert shares["C1"][1] == points
    # referral is 5 points higher everywhere, but that is below 20% of mlm's rate above 0.25
    assert shares["C2"][0].estimate == pytest.approx(float(np.mean(x <= 0.25)))
    text = robustness.sensitivity(flags, ["recruit_prob", "noise"], "C1")
    assert text.startswith("recruit_prob (+1.00)")


def test_robustness_counts_noisy_and_undefined_points(monkeypatch):
    x = np.array([0.1, 0.9, 0.44, np.nan])
    spread = np.array([0.0, 0.0, 0.2, 0.0])  # the third point's replications disagree
    measures = robustness_runs(x, np.zeros(4), spread)
    monkeypatch.setattr(robustness, "FLAGS", {"C1": robustness._c1})
    flags = robustness.point_flags(measures, ["recruit_prob", "noise"])
    assert flags["status"].tolist() == ["holds", "fails", "noisy", "undefined"]
    counts = robustness.status_counts(flags)
    assert counts.loc["C1"].tolist() == [1, 1, 1, 1]
    assert robustness.summarise(flags)["C1"][1] == 2  # only the settled points are shared


def grid_context(part: str, rows: list[dict], design: list[str], settings=None) -> Context:
    frame = pd.DataFrame(rows)
    frame["run_id"] = [f"r{i}" for i in range(len(frame))]
    frame["seed"] = frame["replication"]
    frame["point"] = 0
    return Context(
        parts={part: frame},
        scenarios={part: settings} if settings is not None else {},
        designs={part: design},
        n_resamples=999,
    )


def decide(rule, ctx: Context) -> Decision:
    """Both passes of `evaluate_claims` for one rule: Holm over its own primary tests."""
    rule(ctx)
    keys = list(ctx.primary)
    ctx.adjusted = dict(zip(keys, holm([ctx.primary[k] for k in keys]), strict=True))
    ctx.clear_rows()
    return rule(ctx)


def test_paired_records_which_scenarios_and_points_it_compared():
    rows = [
        {"scenario": s, "replication": rep, "x": x, "m": x + rep + (s == "b")}
        for s in ("a", "b")
        for x in (0.0, 1.0)
        for rep in range(4)
    ]
    ctx = grid_context("p", rows, ["x"])
    same_point = ctx.paired("p", ("b", {"x": 1.0}), ("a", {"x": 1.0}), "m")
    same_scenario = ctx.paired("p", ("a", {"x": 1.0}), ("a", {"x": 0.0}), "m", "report")
    assert same_point.estimate == 1.0 and same_scenario.estimate == 1.0  # b = a + 1; x adds 1
    recorded = [(r["scenario"], r["condition"], r["role"]) for r in ctx.rows]
    assert recorded == [("b - a", "x=1", "also"), ("a", "x=1 vs x=0", "report")]
    assert ctx.primary == {}  # neither is a primary test unless asked


def test_c16_depends_on_the_price_of_leads():
    rng = np.random.default_rng(7)
    rows = []
    for scenario in ("mlm", "referral"):
        for rep in range(16):
            base = rng.normal(-300, 30)
            for leads in (0.0, 20.0):
                for cost in (0.25, 1.0, 4.0):
                    # leads add $100 of sales and cost 20 * cost * 10 months
                    gain = 0.0 if leads == 0 else 100 - 20 * cost * 10 + rng.normal(0, 5)
                    rows.append(
                        {
                            "scenario": scenario,
                            "replication": rep,
                            "leads_per_month": leads,
                            "cost_per_lead": cost,
                            "mean_net": base + gain,
                            "success_rate": 0.01,
                            "quantile_gap:budget:success_rate": 0.0,
                        }
                    )
    ctx = grid_context("leads", rows, ["leads_per_month", "cost_per_lead"])
    decision = decide(verdicts._c16, ctx)
    assert decision.verdict == "depends-on"
    break_even = float(decision.reason.rsplit("$", 1)[1])
    assert break_even == pytest.approx(0.5, abs=0.02)  # 100 - 200 c = 0


@pytest.mark.parametrize(
    ("wom_weight", "shock_weight", "expected"),
    [(1.5, 0.5, "depends-on"), (1.5, 0.1, "supported"), (0.1, 1.5, "refuted")],
)
def test_c17_compares_the_two_drops_over_every_pair(wom_weight, shock_weight, expected):
    rng = np.random.default_rng(8)
    settings, rows = {}, []
    for regime in ("mlm", "referral"):
        cells = {regime: (0.0, 1.0)}
        cells |= {f"{regime}_wom{s}": (s / 100, 1.0) for s in (10, 20, 40)}
        cells |= {f"{regime}_shock{k}": (0.0, 1 - k / 100) for k in (10, 20, 30)}
        for name, (strength, scale) in cells.items():
            settings[name] = {"regime": regime, "neg_wom_strength": strength, "budget_scale": scale}
            for rep in range(20):
                # revenue falls in proportion to the strength and to the shock
                drop = wom_weight * strength + shock_weight * (1 - scale)
                revenue = 1e6 * (1 - drop) * (1 + rng.normal(0, 0.01))
                rows.append(
                    {
                        "scenario": name,
                        "replication": rep,
                        "company_revenue": revenue,
                        "participants_ever": 1000.0,
                    }
                )
    ctx = grid_context("neg_wom", rows, [], pd.DataFrame.from_dict(settings, orient="index"))
    decision = decide(verdicts._c17, ctx)
    # with w = 0.5: 1.5 x 0.1 < 0.5 x 0.3, so the ordering flips across the pairs
    assert decision.verdict == expected
    if expected == "depends-on":
        assert decision.reason.startswith("the sizes of the two shocks")
    estimates = pd.DataFrame(ctx.rows)
    primary = estimates[estimates["role"] == "primary"]
    truth = wom_weight * 0.2 - shock_weight * 0.2
    assert primary["estimate"].to_numpy() == pytest.approx([truth, truth], abs=0.01)
    assert len(estimates[(estimates["role"] == "report") & (estimates["kind"] == "paired")]) == 16


def test_paired_ci_covers_a_known_shift_at_about_the_nominal_rate():
    """Common random numbers: a shared run effect plus a small treatment shift and noise."""
    from experiments.claims.stats import paired_difference

    rng = np.random.default_rng(11)
    trials, covered = 300, 0
    for seed in range(trials):
        shared = rng.normal(0.0, 1.0, 30)
        a = shared + 0.1 + rng.normal(0.0, 0.05, 30)
        b = shared + rng.normal(0.0, 0.05, 30)
        d = paired_difference(a, b, n_resamples=999, rng=seed)
        covered += d.low <= 0.1 <= d.high
    assert 0.90 <= covered / trials <= 0.985


@pytest.mark.parametrize(
    ("d", "expected"),
    [  # minimum effect 0.125 (binary fractions: the bars are met exactly)
        (paired(0.0, 0.25, 0.5), "inconclusive"),  # the CI touches 0: not above it
        (paired(0.0625, 0.125, 0.25), "supported"),  # the estimate exactly delta is enough
        (paired(0.0625, 0.25, 0.5, p_holm=0.05), "inconclusive"),  # p must be below 0.05
        (paired(-0.0625, 0.0625, 0.125), "inconclusive"),  # the CI reaches delta
        (paired(-0.0625, 0.0625, 0.124), "refuted"),
    ],
)
def test_directional_rule_at_its_bars(d, expected):
    assert directional(d, 0.125) == expected


def test_directional_rule_uses_the_p_value_it_is_given():
    """The p argument replaces the Holm-adjusted p-value, whichever way it falls."""
    unadjusted = paired(0.25, 0.5, 0.75, p_holm=math.nan)
    assert directional(unadjusted, 0.125) == "inconclusive"  # NaN fails
    assert directional(unadjusted, 0.125, p=0.01) == "supported"
    adjusted = paired(0.25, 0.5, 0.75, p_holm=0.001)
    assert directional(adjusted, 0.125, p=0.2) == "inconclusive"


def test_min_effect_is_multiplied_by_the_threshold_factor():
    # at factor 1: max(0.25, 0.25 x |-2|) = 0.5, and the absolute 0.25 when the base is NaN
    assert verdicts.min_effect(-2.0, 0.25, relative=0.25) == 0.5
    assert verdicts.min_effect(math.nan, 0.25) == 0.25
    with verdicts.scaled_thresholds(2.0):
        assert verdicts.min_effect(-2.0, 0.25, relative=0.25) == 1.0
        assert verdicts.min_effect(0.5, 0.25, relative=0.25) == 0.5  # the absolute part, x 2
        assert verdicts.min_effect(math.nan, 0.25) == 0.5
    assert verdicts.min_effect(math.nan, 0.25) == 0.25  # restored after the block


def test_paired_records_the_number_of_complete_pairs():
    """Five replications, two of them with a NaN on one side: three complete pairs."""
    ctx = main_part({"mlm": {"m": np.zeros(2)}})
    xa = np.array([1.0, 2.0, 3.0, np.nan, 5.0])
    xb = np.array([0.0, 0.0, 0.0, 0.0, np.nan])
    d = ctx.paired_of(xa, xb, "main", "a - b", "m", "", "also", primary=False)
    assert d.estimate == pytest.approx(2.0)  # (1 + 2 + 3) / 3
    assert [row["n"] for row in ctx.rows] == [3]


def test_only_primary_comparisons_carry_a_holm_p_value():
    """C10 tests referral - mlm retail_share as primary; C19 compares the same runs as an
    also estimate: C19's comparison and its row carry no adjusted p-value."""
    ctx = main_part({"mlm": {"m": np.zeros(2)}})
    xa = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    xb = np.zeros(6)
    args = (xa, xb, "main", "referral - mlm", "retail_share", "")
    ctx.claim = "C10"
    ctx.paired_of(*args, "primary", primary=True)
    assert len(ctx.primary) == 1
    ctx.adjusted = dict.fromkeys(ctx.primary, 0.03)  # the second pass: adjusted p-values known
    ctx.clear_rows()
    primary = ctx.paired_of(*args, "primary", primary=True)
    ctx.claim = "C19"
    also = ctx.paired_of(*args, "also", primary=False)
    assert primary.p_holm == 0.03
    assert math.isnan(also.p_holm)
    assert [row["claim"] for row in ctx.rows] == ["C10", "C19"]
    assert ctx.rows[0]["p_holm"] == 0.03
    assert math.isnan(ctx.rows[1]["p_holm"])


def test_a_paired_estimate_row_records_the_comparison():
    """Six pairs, every a above its b by 1..6: means 3.5 and 0, all pairs a > b (A12 = 1,
    large), the exact two-sided Wilcoxon p for 6 positive differences is 2 / 2^6."""
    ctx = main_part({"mlm": {"m": np.zeros(2)}})
    xa, xb = np.arange(1.0, 7.0), np.zeros(6)
    d = ctx.paired_of(xa, xb, "main", "a - b", "m", "", "also", primary=False)
    (row,) = ctx.rows
    assert (row["kind"], row["n"], row["mean_a"], row["mean_b"]) == ("paired", 6, 3.5, 0.0)
    assert row["estimate"] == 3.5 and row["low"] < 3.5 < row["high"]
    assert (row["low"], row["high"]) == (d.low, d.high)
    assert row["p_value"] == pytest.approx(2 / 64)
    assert (row["a12"], row["magnitude"]) == (1.0, "large")
    assert math.isnan(row["p_holm"])  # not a primary comparison


def test_a_level_estimate_row_records_the_interval_and_leaves_the_rest_empty():
    """A level of four values, one NaN: n counts the three finite ones; the columns of a
    comparison are NaN (not None) and its magnitude is empty."""
    ctx = main_part({"mlm": {"m": np.zeros(2)}})
    x = np.array([1.0, 2.0, np.nan, 6.0])
    iv = ctx.level_of(x, "main", "mlm", "m", "", "report")
    (row,) = ctx.rows
    assert (row["kind"], row["role"], row["n"]) == ("level", "report", 3)
    assert (row["estimate"], row["low"], row["high"]) == (3.0, iv.low, iv.high)
    assert 1.0 <= row["low"] < 3.0 < row["high"] <= 6.0
    assert row["magnitude"] == ""
    for column in ("mean_a", "mean_b", "p_value", "p_holm", "a12"):
        assert isinstance(row[column], float) and math.isnan(row[column]), column


def test_a_level_interval_uses_the_contexts_number_of_resamples():
    """The same values and seed with 99 or 999 resamples give different bootstrap bounds."""
    x = np.array([0.3, 1.9, 2.2, 4.8, 5.1, 7.7, 8.0, 12.5])
    bounds = []
    for resamples in (99, 999):
        ctx = main_part({"mlm": {"m": np.zeros(2)}})
        ctx.n_resamples = resamples
        iv = ctx.level_of(x, "main", "mlm", "m", "", "report")
        bounds.append((iv.low, iv.high))
    assert bounds[0] != bounds[1]
