"""The claims report: built from the committed sample, refusing bad folders, end to end."""

from __future__ import annotations

import json
import re
import shutil

import numpy as np
import pandas as pd
import pytest

from experiments.claims.assess import CLAIM_COLUMNS, incomplete_reason, load_analysis
from experiments.claims.catalogue import CLAIMS, VERDICTS
from experiments.cli import main
from experiments.paths import SAMPLES_DIR
from experiments.present import chartset, report

SAMPLE = SAMPLES_DIR / "claims_small"
RESAMPLES = "499"
CHARTS = (
    "lorenz_curves",
    "net_income_distribution",
    "success_and_loss_rates",
    "earnings_by_cohort",
    "variance_decomposition",
    "participants_over_time",
    "retail_vs_internal_volume",
    "success_by_plan_depth",
    "robustness_map",
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A copy of the committed sample with its report built (once for the module)."""
    folder = tmp_path_factory.mktemp("report") / "claims_small"
    shutil.copytree(SAMPLE, folder)
    for name in ("report.md", "report.html", "charts", "analysis"):
        path = folder / name
        shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    assert main(["report", str(folder), "--resamples", RESAMPLES]) == 0
    return folder


def _files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_the_committed_sample_is_small_and_complete():
    size = sum(p.stat().st_size for p in SAMPLE.rglob("*") if p.is_file())
    # about 2.6 MB: ten parts (prequalify, Morris and ablations included), ~24 kB a run
    assert size < 3.0e6
    assert (SAMPLE / "suite.json").is_file()
    for part in (
        "main",
        "depth",
        "training",
        "leads",
        "budget",
        "prequalify",
        "neg_wom",
        "robustness",
    ):
        assert (SAMPLE / part / "manifest.json").is_file(), part
    for part in ("morris", "ablations"):  # optional parts, in the sample to exercise them
        assert (SAMPLE / part / "manifest.json").is_file(), part
    claims = load_analysis(SAMPLE).claims
    assert list(claims["claim"]) == [c.id for c in CLAIMS]


def test_report_lists_every_claim_with_a_verdict(built):
    text = (built / "report.md").read_text()
    summary = text.split("## Claims")[0]
    for claim in CLAIMS:
        assert f"[{claim.id}](#{claim.id.lower()})" in summary
        assert f"### {claim.id}: {claim.summary}" in text
        assert claim.quote.split("  ")[0][:60] in text
    verdicts = re.findall(r"\| \*\*([a-z-]+)\*\* \|", summary)
    assert verdicts == list(load_analysis(built).claims["verdict"])
    assert set(verdicts) <= set(VERDICTS)
    for heading in ("## Summary", "## Robustness", "## Model parameters", "## Provenance"):
        assert heading in text
    assert "`n_people` | 400 (set by the suite)" in text


def test_analysis_tables_are_saved_and_consistent(built):
    analysis = load_analysis(built)
    claims = analysis.claims
    assert list(claims.columns) == list(CLAIM_COLUMNS)
    assert set(claims["verdict"]) <= set(VERDICTS)
    # the final verdict only ever weakens a decided verdict at the defaults
    changed = claims[claims["verdict"] != claims["verdict_at_defaults"]]
    assert set(changed["verdict"]) <= {"depends-on", "inconclusive"}
    assert set(changed["verdict_at_defaults"]) <= {"supported", "refuted"}
    estimates = analysis.estimates
    assert set(estimates["claim"]) == {c.id for c in CLAIMS}
    tested = estimates[estimates["p_holm"].notna()]
    primary = estimates[(estimates["role"] == "primary") & (estimates["kind"] == "paired")]
    assert set(primary.index) <= set(tested.index)
    # Holm's step-down adjustment over every primary test, written out
    p = tested["p_value"].to_numpy()
    order = np.argsort(p, kind="stable")
    steps = np.maximum.accumulate((len(p) - np.arange(len(p))) * p[order])
    expected = np.empty_like(p)
    expected[order] = np.minimum(steps, 1.0)
    np.testing.assert_allclose(tested["p_holm"].to_numpy(), expected, rtol=1e-9)
    levels = estimates[(estimates["kind"] == "level") & estimates["low"].notna()]
    assert (levels["low"] <= levels["estimate"] + 1e-9).all()
    assert (levels["estimate"] <= levels["high"] + 1e-9).all()
    assert set(analysis.measures) >= {"main", "robustness"}


def test_every_chart_exists_and_the_html_is_self_contained(built):
    for name in CHARTS:
        path = built / "charts" / f"{name}.png"
        assert path.is_file() and path.stat().st_size > 1000, name
        assert f"charts/{name}.png" in (built / "report.md").read_text()
    html = (built / "report.html").read_text()
    sources = re.findall(r'<img[^>]*src="([^"]*)"', html)
    assert sources and all(s.startswith("data:image/png;base64,") for s in sources)
    assert "<table>" in html and "C19" in html
    assert not [p for p in built.iterdir() if p.name.endswith(".tmp")]


def test_charts_command_redraws_in_other_formats(built):
    assert main(["charts", str(built), "--format", "svg", "--format", "pdf"]) == 0
    for name in CHARTS:
        for ext in ("svg", "pdf"):
            path = built / "charts" / f"{name}.{ext}"
            assert path.is_file() and path.stat().st_size > 0


def test_bad_folders_get_one_line_and_nothing_written(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    for command in ("report", "charts"):
        assert main([command, str(empty)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "not a downline results or suite folder" in err[0]
    assert list(empty.iterdir()) == []
    partial = tmp_path / "partial"
    shutil.copytree(SAMPLE, partial, ignore=shutil.ignore_patterns("analysis", "leads"))
    before = _files(partial)
    assert main(["report", str(partial)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "missing parts of the claims suite: leads" in err[0]
    assert _files(partial) == before


def test_a_failing_chart_leaves_the_old_report_in_place(built, monkeypatch):
    before = (built / "report.md").read_bytes()

    def broken(*args, **kwargs):
        raise RuntimeError("chart failed")

    monkeypatch.setattr(report, "draw_charts", broken)
    with pytest.raises(RuntimeError, match="chart failed"):
        report.build_report(built, n_resamples=199)
    assert (built / "report.md").read_bytes() == before
    assert not [p for p in built.iterdir() if p.name.endswith(".tmp")]
    assert all((built / "charts" / f"{name}.png").is_file() for name in CHARTS)


def test_chart_data_have_the_expected_shape(built):
    analysis = load_analysis(built)
    rates = chartset.rates_data(analysis)
    assert set(rates["regime"]) == {"mlm", "referral"}
    assert set(rates["metric"]) == {"success_rate", "loss_rate", "success_rate_after_time"}
    success = rates.set_index(["regime", "metric"]).loc[("mlm", "success_rate")]
    main_runs = analysis.measures["main"]
    assert success["estimate"] == pytest.approx(
        main_runs.loc[main_runs["scenario"] == "mlm", "success_rate"].mean()
    )
    depth = chartset.depth_data(analysis, chartset.load_results(built / "depth"))
    assert sorted(depth["depth"]) == [0, 1, 7]  # referral, unilevel_1, unilevel_7
    shares = chartset.variance_data(analysis)
    sums = shares.groupby("regime")["share"].sum()
    assert sums.to_numpy() == pytest.approx([1.0, 1.0])


@pytest.mark.slow
def test_end_to_end_small_claims_suite(tmp_path, capsys):
    """The committed sample was made by the same commands: the same runs give the same
    measures of every part, and the same estimates, verdicts and robustness shares.

    The report uses the sample's own bootstrap resamples, so that the CIs, and the
    verdicts that read them, are the same numbers. If the model changed on purpose,
    regenerate the sample (docs/experiments.md).
    """
    out = tmp_path / "claims_small"
    resamples = json.loads((SAMPLE / "analysis" / "analysis.json").read_text())["n_resamples"]
    assert main(["run", "claims_small.toml", "--out", str(out), "--workers", "1", "--quiet"]) == 0
    assert main(["report", str(out), "--resamples", str(resamples)]) == 0
    assert "report:" in capsys.readouterr().out
    tables = sorted(p.name for p in (SAMPLE / "analysis" / "measures").glob("*.parquet"))
    assert sorted(p.name for p in (out / "analysis" / "measures").glob("*.parquet")) == tables
    assert {"main.parquet", "robustness.parquet", "training.parquet"} <= set(tables)
    for name in tables:
        fresh = pd.read_parquet(out / "analysis" / "measures" / name)
        sample = pd.read_parquet(SAMPLE / "analysis" / "measures" / name)
        pd.testing.assert_frame_equal(fresh, sample, obj=name)
    fresh, sample = (
        pd.read_csv(folder / "analysis" / "claims.csv", keep_default_na=False)
        for folder in (out, SAMPLE)
    )
    assert list(fresh["claim"]) == [c.id for c in CLAIMS]
    decided = [
        "claim",
        "verdict_at_defaults",
        "verdict",
        "robustness_share",
        "robustness_low",
        "robustness_high",
        "robustness_points",
        "robustness_noisy",
        "robustness_undefined",
        "reason",
    ]
    pd.testing.assert_frame_equal(fresh[decided], sample[decided])
    numbers = ["estimate", "low", "high", "mean_a", "mean_b", "p_value", "p_holm", "a12"]
    fresh, sample = (pd.read_csv(f / "analysis" / "estimates.csv") for f in (out, SAMPLE))
    pd.testing.assert_frame_equal(fresh[numbers], sample[numbers])
    for name in ("robustness.csv", "thresholds.csv"):
        fresh, sample = (pd.read_csv(f / "analysis" / name) for f in (out, SAMPLE))
        pd.testing.assert_frame_equal(fresh, sample, obj=name)


def test_verdict_table_has_every_claim_in_catalogue_order():
    analysis = load_analysis(SAMPLE)
    table = report.verdict_table(analysis)
    assert list(table.index) == [c.id for c in CLAIMS]
    assert list(table.columns) == [
        "claim",
        "source",
        "regime",
        "measure",
        "estimate at the defaults",
        "robustness",
        "at the defaults",
        "verdict",
    ]
    assert set(table["verdict"]) <= set(VERDICTS)
    assert (table["source"].str.fullmatch(r"\d{3}")).all()
    c2 = table.loc["C2"]
    primary = analysis.estimates.query("claim == 'C2' and role == 'primary'").iloc[0]
    assert c2["estimate at the defaults"].startswith(f"referral - mlm: {primary['estimate']:.4g} [")
    row = analysis.claims.set_index("claim").loc["C1"]
    assert table.loc["C1", "robustness"] == report.robustness_text(row)
    assert table.loc["C1", "robustness"].endswith(f"of {int(row['robustness_points'])}")


def test_incomplete_reason_accepts_the_sample_and_names_what_is_missing(tmp_path):
    assert incomplete_reason(SAMPLE) is None
    assert "no such folder" in incomplete_reason(tmp_path / "nothing")
    assert "not a downline suite results folder" in incomplete_reason(tmp_path)
    missing = tmp_path / "missing"
    shutil.copytree(SAMPLE, missing, ignore=shutil.ignore_patterns("leads"))
    assert "missing parts of the claims suite: leads" in incomplete_reason(missing)
    unanalysed = tmp_path / "unanalysed"
    shutil.copytree(SAMPLE, unanalysed, ignore=shutil.ignore_patterns("analysis"))
    assert "no saved analysis" in incomplete_reason(unanalysed)
    pending = tmp_path / "pending"
    shutil.copytree(SAMPLE, pending)
    manifest = json.loads((pending / "depth" / "manifest.json").read_text())
    manifest["counts"]["pending"] = 2
    (pending / "depth" / "manifest.json").write_text(json.dumps(manifest))
    assert "part depth is not finished" in incomplete_reason(pending)
    stale = tmp_path / "stale"
    shutil.copytree(SAMPLE, stale)
    info = json.loads((stale / "analysis" / "analysis.json").read_text())
    info["parts"]["main"]["runs"] -= 1
    (stale / "analysis" / "analysis.json").write_text(json.dumps(info))
    assert "predates the runs of part main" in incomplete_reason(stale)


def test_provenance_counts_the_runs_analysed(built):
    text = (built / "report.md").read_text()
    assert "| part | config hash | code version | runs analysed |" in text
    for part in ("main", "depth", "robustness"):
        manifest = json.loads((built / part / "manifest.json").read_text())
        ok = sum(entry["status"] == "ok" for entry in manifest["runs"].values())
        assert f"| {part} | `{manifest['config_hash'][:12]}` |" in text
        row = next(line for line in text.splitlines() if line.startswith(f"| {part} | `"))
        assert row.split(" | ")[3] == str(ok)
