"""The claims analysis of a suite results folder: measures, verdicts, robustness, saved as tables.

`analyse_suite(root)` reads the parts of a claims suite folder
(`results/claims/`: main, depth, training, leads, budget, neg_wom,
robustness), computes every run's measures (`experiments.claims.measures`), applies
each claim's rule at the defaults (`experiments.claims.verdicts`), the robustness
flags over the Latin hypercube (`experiments.claims.robustness`), and combines them
into the final verdicts. `save_analysis` writes it into `<root>/analysis/`:

```
analysis/claims.csv              one row per claim: verdicts, reason, robustness (CLAIM_COLUMNS)
analysis/estimates.csv           every estimate: levels and paired differences (ESTIMATE_COLUMNS)
analysis/robustness.csv          one row per (hypercube point, claim): design values, holds, value
analysis/thresholds.csv          verdicts with every threshold x 0.5 and x 1.5 (`why`)
analysis/ablations.csv           verdicts with each mechanism switched off (optional part)
analysis/morris.csv              Morris screening of the key outcomes (optional part)
analysis/discovery.csv           PRIM box of the sampled space where each flagged claim holds
analysis/measures/<part>.parquet one row per run: ids, design values, measures
analysis/analysis.json           provenance: suite, parts' config hashes and run counts
```

`load_analysis(root)` reads it back without recomputing;
`incomplete_reason(root)` says whether a folder is finished and analysed.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.claims.catalogue import CLAIMS, PREDICTOR_GROUPS, Claim, parse_measure
from experiments.claims.discovery import DISCOVERY_COLUMNS, discover
from experiments.claims.measures import run_measures
from experiments.claims.robustness import FLAGS, point_flags, sensitivity, status_counts, summarise
from experiments.claims.sensitivity import OUTCOMES, SENSITIVITY_COLUMNS, morris_indices
from experiments.claims.stats import Interval
from experiments.claims.verdicts import PART_OF_EXPERIMENT, Context, evaluate_claims, final_verdict
from experiments.claims.why import (
    ABLATION_COLUMNS,
    THRESHOLD_COLUMNS,
    ablation_verdicts,
    threshold_verdicts,
)
from experiments.spec.modelref import param_schema
from experiments.spec.schema import Design
from experiments.store.layout import NotAResultsFolder, read_manifest, read_suite_manifest
from experiments.store.provenance import now
from experiments.store.results import Results, load_results

__all__ = [
    "ANALYSIS_DIR",
    "CLAIM_COLUMNS",
    "REQUIRED_PARTS",
    "Analysis",
    "IncompleteResults",
    "analyse_suite",
    "analysis_is_current",
    "incomplete_reason",
    "load_analysis",
    "part_folders",
    "save_analysis",
    "scenario_settings",
    "stale_part",
]

ANALYSIS_DIR = "analysis"
REQUIRED_PARTS = tuple(dict.fromkeys(PART_OF_EXPERIMENT.values()))
OPTIONAL_PARTS = ("morris", "ablations")
"""Parts analysed when the suite has them: sensitivity screening and ablations."""
CLAIM_COLUMNS = (
    "claim",
    "source",
    "regime",
    "summary",
    "experiment",
    "measure",
    "verdict_at_defaults",
    "robustness_share",
    "robustness_low",
    "robustness_high",
    "robustness_points",
    "robustness_noisy",
    "robustness_undefined",
    "verdict",
    "reason",
    "sensitive_to",
    "replications_to_resolve",
)
"""Columns of analysis/claims.csv. `verdict` is the final verdict (defaults and robustness)."""

_EXTRA = (
    "participants_ever",
    "success_rate",
    "success_rate_after_time",
    "loss_rate",
    "mean_net",
    "median_net",
    "p99_net",
    "gini_net",
    "gini_commissions",
    "top1_share",
    "top10_share",
    "override_share",
    "retail_share",
    "peak_month",
    "company_revenue",
)
"""Run metrics kept for every part, for the report and notebooks."""


class IncompleteResults(ValueError):
    """A suite folder without a part the claims need, or with a part that has no runs."""


@dataclass
class Analysis:
    """The analysis of a claims suite folder.

    Attributes:
        claims: one row per claim (`CLAIM_COLUMNS`).
        estimates: the tidy estimates table (`experiments.claims.verdicts.ESTIMATE_COLUMNS`).
        robustness: per hypercube point and claim: design values, ``holds``, ``value``.
        measures: part -> per-run measures.
        info: provenance (suite name, parts' config hashes, run counts, time).
        thresholds: verdicts with thresholds scaled (`experiments.claims.why`).
        ablations: verdicts with each mechanism off (empty without the part).
        morris: Morris indices of the key outcomes (empty without the part).
        discovery: PRIM boxes where each claim with a robustness flag holds.
    """

    claims: pd.DataFrame
    estimates: pd.DataFrame
    robustness: pd.DataFrame
    measures: dict[str, pd.DataFrame]
    info: dict[str, Any]
    thresholds: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=THRESHOLD_COLUMNS)
    )
    ablations: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ABLATION_COLUMNS))
    morris: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SENSITIVITY_COLUMNS))
    discovery: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=DISCOVERY_COLUMNS))


def _optional_measures(part: str, results: Results) -> list[str]:
    """Measures of an optional part: the key outcomes (morris) or the main claims' (ablations).

    Morris outcomes that need participant tables are left out when the part keeps none.
    """
    if part == "morris":
        wanted = dict.fromkeys(m for m, _, _ in OUTCOMES.values())
        if results.participants is None:
            wanted = {m: None for m in wanted if parse_measure(m)[0] == "run_metric"}
        return list(wanted)
    return _part_measures("main")


def _part_measures(part: str) -> list[str]:
    """The measures computed for a part's runs: its claims' measures plus `_EXTRA`.

    The main, depth and robustness parts also get every measure of the claims of
    the `claims`, `budget` and `prequalify` experiments (robustness flags use
    them; the depth part reports them by number of levels).
    """
    broad = part in ("main", "depth", "robustness")
    wanted: list[str] = []
    for claim in CLAIMS:
        part_of = PART_OF_EXPERIMENT[claim.experiment]
        if part_of == part or (broad and part_of in ("main", "budget", "prequalify")):
            wanted += claim.measures
    return list(dict.fromkeys([*wanted, *_EXTRA]))


def scenario_settings(results: Results) -> pd.DataFrame:
    """What distinguishes a part's scenarios, from its manifest's config.

    Args:
        results: a loaded part folder.

    Returns:
        Indexed by scenario, in config order: ``regime`` (``referral`` for the
        referral plan, else ``mlm``), ``plan``, ``levels`` (number of paid levels;
        1 for referral), ``n_people``, ``neg_wom_strength`` and ``budget_scale``
        (the budget mean over the model default's).
    """
    config = results.manifest["config"]
    schema = param_schema()
    fields = schema.model_fields if schema is not None else {}

    def default(name: str) -> Any:
        return fields[name].get_default(call_default_factory=True) if name in fields else None

    base_budget = default("budget")
    base_mean = float(getattr(base_budget, "mean", 150.0))
    rows = {}
    for scenario in config["scenarios"] or {"base": {}}:
        params = {**config["model"], **config["scenarios"].get(scenario, {})}
        plan = params.get("plan", default("plan"))
        rates = params.get("plan_params", {}).get("rates")
        budget = params.get("budget")
        budget_mean = float(budget["mean"]) if isinstance(budget, dict) else base_mean
        rows[scenario] = {
            "regime": "referral" if plan == "referral" else "mlm",
            "plan": plan,
            "levels": 1 if plan == "referral" else len(rates) if rates else math.nan,
            "n_people": params.get("n_people", default("n_people")),
            "neg_wom_strength": params.get("neg_wom_strength", default("neg_wom_strength")),
            "budget_scale": budget_mean / base_mean,
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def part_folders(root: str | Path) -> dict[str, Path]:
    """The folder of every part the claims need, checked to exist.

    Args:
        root: the suite's results folder.

    Returns:
        Part name -> its folder, in `REQUIRED_PARTS` order.

    Raises:
        NotAResultsFolder: when `root` is not a suite results folder.
        IncompleteResults: when a needed part is missing.
    """
    root = Path(root)
    manifest = read_suite_manifest(root)
    listed = {p["name"]: root / p["folder"] for p in manifest.get("parts", [])}
    missing = [p for p in REQUIRED_PARTS if p not in listed or not listed[p].is_dir()]
    if missing:
        raise IncompleteResults(f"{root}: missing parts of the claims suite: {', '.join(missing)}")
    return {p: listed[p] for p in REQUIRED_PARTS}


def _optional_parts(root: Path) -> dict[str, Results]:
    """The optional parts the suite lists and has runs for."""
    manifest = read_suite_manifest(root)
    listed = {p["name"]: root / p["folder"] for p in manifest.get("parts", [])}
    parts = {}
    for part in OPTIONAL_PARTS:
        if part in listed and listed[part].is_dir():
            results = load_results(listed[part])
            if not results.runs.empty:
                parts[part] = results
    return parts


def _load_parts(root: Path) -> dict[str, Results]:
    listed = part_folders(root)
    parts = {}
    for part in REQUIRED_PARTS:
        try:
            results = load_results(listed[part])
        except NotAResultsFolder as err:
            raise IncompleteResults(f"part {part}: {err}") from None
        if results.runs.empty:
            raise IncompleteResults(f"{listed[part]}: part {part} has no stored runs")
        pending = [r for r, e in results.manifest["runs"].items() if e.get("status") == "pending"]
        if pending:
            raise IncompleteResults(
                f"{listed[part]}: part {part} is not finished ({len(pending)} runs pending, "
                f"first {pending[0]}); rerun the suite to finish it"
            )
        parts[part] = results
    return parts


def _claim_row(
    claim: Claim,
    decision: Any,
    share: tuple[Interval, int] | None,
    flags: pd.DataFrame,
    design: list[str],
    counts: pd.DataFrame,
) -> dict[str, Any]:
    interval, points = share if share is not None else (Interval(math.nan, math.nan, math.nan), 0)
    verdict = final_verdict(decision.verdict, interval if share is not None else None)
    sensitive = sensitivity(flags, design, claim.id) if claim.id in FLAGS else ""
    reason = decision.reason
    if verdict != decision.verdict:
        bar = "at least 75%" if decision.verdict == "supported" else "at most 25%"
        why = "is surely not" if verdict == "depends-on" else "cannot yet be told to be"
        reason = (
            f"{decision.verdict} at the defaults, but the share of sampled parameter points "
            f"where it holds, {interval.estimate:.0%} [{interval.low:.0%}, {interval.high:.0%}], "
            f"{why} {bar}; {reason}"
        )
    return {
        "claim": claim.id,
        "source": claim.source,
        "regime": claim.regime,
        "summary": claim.summary,
        "experiment": claim.experiment,
        "measure": claim.measure,
        "verdict_at_defaults": decision.verdict,
        "robustness_share": interval.estimate,
        "robustness_low": interval.low,
        "robustness_high": interval.high,
        "robustness_points": points,
        "robustness_noisy": int(counts.at[claim.id, "noisy"]) if claim.id in counts.index else 0,
        "robustness_undefined": (
            int(counts.at[claim.id, "undefined"]) if claim.id in counts.index else 0
        ),
        "verdict": verdict,
        "reason": reason,
        "sensitive_to": sensitive,
        "replications_to_resolve": decision.replications_to_resolve(),
    }


def analyse_suite(root: str | Path, n_resamples: int = 9999) -> Analysis:
    """Analyse a claims suite folder.

    Args:
        root: the suite's results folder (`results/claims`).
        n_resamples: bootstrap resamples per confidence interval.

    Returns:
        The analysis (nothing is written; see `save_analysis`).

    Raises:
        NotAResultsFolder: when `root` is not a suite results folder.
        IncompleteResults: when a part the claims need is missing or empty.
    """
    root = Path(root)
    parts = _load_parts(root)
    designs = {p: list(r.manifest["design"]["parameters"]) for p, r in parts.items()}
    measures = {p: run_measures(r, _part_measures(p)) for p, r in parts.items()}
    settings = {p: scenario_settings(r) for p, r in parts.items()}
    ctx = Context(parts=measures, scenarios=settings, designs=designs, n_resamples=n_resamples)
    decisions, estimates = evaluate_claims(ctx)
    thresholds = threshold_verdicts(ctx, {k: d.verdict for k, d in decisions.items()})
    extra = _optional_parts(root)
    ablations = pd.DataFrame(columns=list(ABLATION_COLUMNS))
    morris = pd.DataFrame(columns=list(SENSITIVITY_COLUMNS))
    for part, results in extra.items():
        measures[part] = run_measures(results, _optional_measures(part, results))
        if part == "ablations":
            ablations = ablation_verdicts(measures[part], n_resamples=min(n_resamples, 999))
        else:
            design = Design(**results.manifest["config"]["design"])
            morris = morris_indices(measures[part], design)
    lhs = designs["robustness"]
    flags = point_flags(measures["robustness"], lhs)
    shares = summarise(flags)
    counts = status_counts(flags)
    claims = pd.DataFrame(
        [_claim_row(c, decisions[c.id], shares.get(c.id), flags, lhs, counts) for c in CLAIMS],
        columns=list(CLAIM_COLUMNS),
    )
    info = {
        "suite": read_suite_manifest(root).get("name"),
        "created_at": now(),
        "n_resamples": n_resamples,
        "predictor_groups": {k: list(v) for k, v in PREDICTOR_GROUPS.items()},
        "parts": {
            p: {
                "config_hash": r.manifest.get("config_hash"),
                "runs": len(r.runs),
                "run_ids": run_ids_digest(r.runs.run_id),
                "failed": len(r.failed),
                "pending": r.manifest.get("counts", {}).get("pending", 0),
            }
            for p, r in parts.items()
        },
    }
    info["parts"].update({p: {"runs": len(r.runs)} for p, r in extra.items()})
    boxes = discover(flags, lhs, list(FLAGS))
    return Analysis(claims, estimates, flags, measures, info, thresholds, ablations, morris, boxes)


def run_ids_digest(run_ids: Any) -> str:
    """SHA-256 of the sorted run ids an output was made from (its provenance)."""
    return hashlib.sha256("\n".join(sorted(map(str, run_ids))).encode()).hexdigest()


def analysis_is_current(root: str | Path) -> bool:
    """Whether the saved analysis of a suite folder was made from the runs stored now."""
    return stale_part(root) is None


def stale_part(root: str | Path) -> str | None:
    """The first part whose stored runs differ from those the saved analysis was made from.

    Compares each part's config hash, number of stored runs and the digest of
    their run ids with the part's manifest.

    Returns:
        None when the analysis is current; the part's name, or "" when there is
        no readable analysis or suite.
    """
    root = Path(root)
    try:
        info = json.loads((root / ANALYSIS_DIR / "analysis.json").read_text(encoding="utf-8"))
        folders = part_folders(root)
    except (OSError, ValueError, NotAResultsFolder, IncompleteResults):
        return ""
    for part, folder in folders.items():
        try:
            manifest = read_manifest(folder)
            seen = info["parts"][part]
        except (NotAResultsFolder, KeyError, TypeError):
            return part
        ok = [r for r, e in manifest.get("runs", {}).items() if e.get("status") == "ok"]
        digest = run_ids_digest(ok)
        if (
            seen.get("config_hash") != manifest.get("config_hash")
            or seen.get("runs") != len(ok)
            or seen.get("run_ids", digest) != digest  # older analyses have no run ids
        ):
            return part
    return None


def save_analysis(analysis: Analysis, root: str | Path) -> Path:
    """Write the analysis into `<root>/analysis/`, replacing an old one only when complete.

    Args:
        analysis: from `analyse_suite`.
        root: the suite's results folder.

    Returns:
        The analysis folder.
    """
    root = Path(root)
    final = root / ANALYSIS_DIR
    tmp = Path(tempfile.mkdtemp(prefix=f".{ANALYSIS_DIR}.", suffix=".tmp", dir=root))
    try:
        tmp.chmod(0o777 & ~_umask())
        analysis.claims.to_csv(tmp / "claims.csv", index=False)
        analysis.estimates.to_csv(tmp / "estimates.csv", index=False)
        analysis.robustness.to_csv(tmp / "robustness.csv", index=False)
        analysis.thresholds.to_csv(tmp / "thresholds.csv", index=False)
        analysis.ablations.to_csv(tmp / "ablations.csv", index=False)
        analysis.morris.to_csv(tmp / "morris.csv", index=False)
        analysis.discovery.to_csv(tmp / "discovery.csv", index=False)
        (tmp / "measures").mkdir()
        for part, table in analysis.measures.items():
            table.to_parquet(tmp / "measures" / f"{part}.parquet", index=False)
        (tmp / "analysis.json").write_text(json.dumps(analysis.info, indent=1), encoding="utf-8")
        replace_dir(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def _umask() -> int:
    """The process's umask (mkdtemp creates folders 0700 whatever it is)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def replace_dir(new: Path, final: Path) -> None:
    """Move a complete folder into place, removing the old one only after the move.

    Args:
        new: the complete folder (same file system as `final`).
        final: where it belongs.
    """
    old = final.with_name(f".{final.name}.old.tmp")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    new.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def load_analysis(root: str | Path) -> Analysis:
    """Read a saved analysis back.

    Args:
        root: the suite's results folder.

    Returns:
        The analysis.

    Raises:
        FileNotFoundError: when the folder has no saved analysis.
    """
    folder = Path(root) / ANALYSIS_DIR
    info = json.loads((folder / "analysis.json").read_text(encoding="utf-8"))
    measures = {p.stem: pd.read_parquet(p) for p in sorted((folder / "measures").glob("*.parquet"))}
    return Analysis(
        claims=pd.read_csv(folder / "claims.csv", keep_default_na=False, na_values=[""]),
        estimates=pd.read_csv(folder / "estimates.csv", keep_default_na=False, na_values=[""]),
        robustness=pd.read_csv(folder / "robustness.csv"),
        measures=measures,
        info=info,
        **{
            name: pd.read_csv(folder / f"{name}.csv")
            for name in ("thresholds", "ablations", "morris", "discovery")
            if (folder / f"{name}.csv").is_file()
        },
    )


def incomplete_reason(root: str | Path) -> str | None:
    """Why a claims suite folder cannot be read as finished and analysed, if it cannot.

    Complete means: a suite folder with every part the claims need, each part
    finished (no pending runs, at least one run ok), and a saved analysis
    (`save_analysis`) made from those runs (the same config hash and number
    of runs per part). Nothing is computed; only the manifests are read.

    Args:
        root: the suite's results folder (e.g. `experiments.paths.results_path("claims")`).

    Returns:
        None when the folder is complete, else a one-line reason.
    """
    root = Path(root)
    if not root.is_dir():
        return f"{root}: no such folder"
    try:
        folders = part_folders(root)
        manifests = {part: read_manifest(folder) for part, folder in folders.items()}
    except (NotAResultsFolder, IncompleteResults) as err:
        return str(err)
    for part, manifest in manifests.items():
        counts = manifest.get("counts", {})
        if counts.get("pending", 0) or not counts.get("ok", 0):
            return (
                f"{root}: part {part} is not finished "
                f"({counts.get('ok', 0)} runs ok, {counts.get('pending', 0)} pending)"
            )
    info_path = root / ANALYSIS_DIR / "analysis.json"
    if not info_path.is_file():
        return f"{root}: no saved analysis (run `downline report {root}`)"
    try:
        analysed = json.loads(info_path.read_text(encoding="utf-8")).get("parts", {})
    except (OSError, ValueError) as err:
        return f"{root}: {ANALYSIS_DIR}/analysis.json is unreadable: {err}"
    part = stale_part(root) if analysed else ""
    if part is not None:
        return (
            f"{root}: the saved analysis predates the runs of part {part or '(all)'} "
            f"(run `downline report {root}`)"
        )
    return None
