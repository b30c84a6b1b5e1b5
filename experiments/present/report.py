"""The claims report: `report.md` and a self-contained `report.html` from a suite folder.

`build_report(root)` analyses a claims suite folder (`experiments.claims.assess`),
saves the analysis tables, draws the charts (`experiments.present.chartset`) and
writes the report: a summary table of every claim and its verdict first,
then one section per claim (quote, source article, method, numbers, chart),
then the robustness experiment, the model parameters and the provenance of
every part from its manifest. The HTML is the Markdown rendered by
Python-Markdown, with the charts embedded (PNG as base64 data URIs, SVG
inline as data URIs), so the one file can be mailed or archived.

Everything is written to a temporary folder inside the results folder and
moved into place only when complete, so a failed report leaves the previous
one (or nothing) behind, never half a report.
"""

from __future__ import annotations

import base64
import math
import os
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import markdown
import pandas as pd

from experiments.claims.assess import (
    REQUIRED_PARTS,
    Analysis,
    analyse_suite,
    save_analysis,
)
from experiments.claims.catalogue import CLAIMS, Claim
from experiments.paths import SAMPLES_DIR
from experiments.present import narrative
from experiments.present.chartset import CHART_DIR, CLAIM_CHARTS, draw_charts, install_charts
from experiments.spec.modelref import param_schema
from experiments.store.layout import read_manifest, read_suite_manifest

__all__ = [
    "REPORT_HTML",
    "REPORT_MD",
    "build_report",
    "render_html",
    "render_markdown",
    "robustness_text",
    "verdict_table",
]

REPORT_MD = "report.md"
REPORT_HTML = "report.html"
_MIME = {".png": "image/png", ".svg": "image/svg+xml"}
_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em;
       line-height: 1.45; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; vertical-align: top; }
th { background: #f3f3f3; }
blockquote { border-left: 4px solid #bbb; margin-left: 0; padding-left: 1em; color: #444; }
img { max-width: 100%; }
code { background: #f6f6f6; padding: 0 0.2em; }
"""


def _num(x: Any, digits: int = 4) -> str:
    """A number for a table: 4 significant digits, blank for NaN."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if isinstance(x, int | float):
        return f"{x:.{digits}g}"
    return str(x)


def robustness_text(row: Mapping[str, Any]) -> str:
    """A claim's robustness share as text, e.g. "80% [61%, 91%] of 30".

    Args:
        row: a row of the claims table (`robustness_share`, `robustness_low`,
            `robustness_high`, `robustness_points`).

    Returns:
        The share of sampled parameter points where the claim holds, its 95%
        interval and the number of points; "not in the hypercube" without points.
    """
    if not row["robustness_points"] or math.isnan(row["robustness_share"]):
        return "not in the hypercube"
    return (
        f"{row['robustness_share']:.0%} [{row['robustness_low']:.0%}, "
        f"{row['robustness_high']:.0%}] of {int(row['robustness_points'])}"
    )


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _summary_table(claims: pd.DataFrame) -> list[str]:
    lines = [
        "| claim | source | regime | claim in short | at the defaults | robustness (share of "
        "points where it holds) | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in claims.to_dict("records"):
        lines.append(
            f"| [{row['claim']}](#{row['claim'].lower()}) | {row['source'][:3]} | {row['regime']} "
            f"| {_cell(row['summary'])} | {row['verdict_at_defaults']} | {robustness_text(row)} "
            f"| **{row['verdict']}** |"
        )
    return lines


def _estimate_text(rows: pd.DataFrame) -> str:
    """Primary estimates as text: "<scenario> [(condition)]: estimate [low, high]", "; "-joined."""
    parts = []
    for r in rows.to_dict("records"):
        label = r["scenario"] + (f" ({r['condition']})" if not pd.isna(r["condition"]) else "")
        parts.append(f"{label}: {_num(r['estimate'])} [{_num(r['low'])}, {_num(r['high'])}]")
    return "; ".join(parts)


def verdict_table(analysis: Analysis) -> pd.DataFrame:
    """Every claim and its verdict, one row each, as the report's summary table shows them.

    Args:
        analysis: a suite's analysis (`experiments.claims.assess.load_analysis`).

    Returns:
        Indexed by claim id, in catalogue order: ``claim`` (the claim in short),
        ``source`` (the article's number, e.g. ``003``), ``regime``, ``measure``,
        ``estimate at the defaults`` (the primary estimates with their 95% CIs,
        per scenario or contrast), ``robustness`` (`robustness_text`),
        ``at the defaults`` (the verdict there) and ``verdict`` (the final one).
    """
    primary = analysis.estimates[analysis.estimates["role"] == "primary"]
    rows = []
    for row in analysis.claims.to_dict("records"):
        rows.append(
            {
                "id": row["claim"],
                "claim": row["summary"],
                "source": str(row["source"])[:3],
                "regime": row["regime"],
                "measure": row["measure"],
                "estimate at the defaults": _estimate_text(
                    primary[primary["claim"] == row["claim"]]
                ),
                "robustness": robustness_text(row),
                "at the defaults": row["verdict_at_defaults"],
                "verdict": row["verdict"],
            }
        )
    return pd.DataFrame(rows).set_index("id")


def _estimates_table(rows: pd.DataFrame) -> list[str]:
    lines = [
        "| role | measure | scenario | condition | n | estimate [95% CI] | p (Holm) | A |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows.to_dict("records"):
        ci = f"{_num(r['estimate'])} [{_num(r['low'])}, {_num(r['high'])}]"
        p = "" if pd.isna(r["p_value"]) else _num(r["p_value"], 3)
        if not pd.isna(r["p_holm"]):
            p += f" ({_num(r['p_holm'], 3)})"
        a12 = "" if pd.isna(r["a12"]) else f"{r['a12']:.2f} {r['magnitude']}"
        lines.append(
            f"| {r['role']} | `{r['measure']}` | {_cell(r['scenario'])} "
            f"| {_cell(r['condition'] or '')} | {int(r['n'])} | {ci} | {p} | {a12} |"
        )
    return lines


def _claim_section(
    claim: Claim, row: Mapping[str, Any], estimates: pd.DataFrame, charts: Mapping[str, str]
) -> list[str]:
    lines = [
        f'<a id="{claim.id.lower()}"></a>',
        f"### {claim.id}: {claim.summary}",
        "",
        f"> {claim.quote}",
        "",
        f"Source: `{claim.source}`. Regime: {claim.regime}. Experiment: `{claim.experiment}` "
        f"(scenarios {', '.join(claim.scenarios)}"
        f"{'; contrast ' + claim.contrast if claim.contrast else ''}).",
        "",
        f"**Verdict: {row['verdict']}** (at the defaults: {row['verdict_at_defaults']}; "
        f"robustness: {robustness_text(row)}). {_cell(row['reason'])}.",
        "",
    ]
    if row["verdict"] == "depends-on" and row["sensitive_to"]:
        lines += [f"Most related sampled parameters (Spearman): {row['sensitive_to']}.", ""]
    if not pd.isna(row["replications_to_resolve"]):
        lines += [
            f"Replications that would resolve it: about {row['replications_to_resolve']:.0f}.",
            "",
        ]
    lines += [
        f"*Method.* Measure `{claim.measure}`"
        f"{' (also ' + ', '.join(f'`{m}`' for m in claim.also) + ')' if claim.also else ''}: "
        f"{claim.statistic}. Rule: {claim.verdict_rule}.",
        "",
        *_estimates_table(estimates[estimates["claim"] == claim.id]),
        "",
    ]
    if claim.notes:
        lines += [f"*Notes.* {claim.notes}", ""]
    for name in CLAIM_CHARTS.get(claim.id, ()):
        if name in charts:
            lines += [f"![{name}]({charts[name]})", ""]
    return lines


def _parameters(manifests: Mapping[str, dict[str, Any]]) -> list[str]:
    schema = param_schema()
    main = manifests["main"]["config"]
    lines = [
        "## Model parameters",
        "",
        f"Every part simulates {main['months']} months. Model defaults "
        "(`model.ModelParams`; sources in docs/ODD.md), with the suite's overrides:",
        "",
        "| parameter | value | description |",
        "|---|---|---|",
    ]
    if schema is not None:
        for name, field in schema.model_fields.items():
            default = field.get_default(call_default_factory=True)
            value = main["model"].get(name, default)
            mark = " (set by the suite)" if name in main["model"] else ""
            lines.append(f"| `{name}` | {_cell(value)}{mark} | {_cell(field.description or '')} |")
    lines += ["", "Parts of the suite:", "", "| part | scenarios | design | replications |"]
    lines.append("|---|---|---|---|")
    for part, manifest in manifests.items():
        cfg = manifest["config"]
        scenarios = "; ".join(
            f"{name}: {', '.join(f'{k}={v}' for k, v in table.items())}"
            for name, table in cfg["scenarios"].items()
        )
        design = cfg["design"]["kind"]
        if cfg["design"]["parameters"]:
            design += ": " + ", ".join(cfg["design"]["parameters"])
        reps = cfg["replications"]
        count = len(reps["seeds"]) if reps.get("seeds") else reps.get("count")
        lines.append(f"| {part} | {_cell(scenarios)} | {_cell(design)} | {count} |")
    return [*lines, ""]


def _provenance(analysis: Analysis, manifests: Mapping[str, dict[str, Any]]) -> list[str]:
    lines = [
        "## Provenance",
        "",
        f"Analysis written {analysis.info.get('created_at')} with "
        f"{analysis.info.get('n_resamples')} bootstrap resamples per interval.",
        "",
        "| part | config hash | code version | runs analysed | runs ok / failed / pending "
        "| finished | python |",
        "|---|---|---|---|---|---|---|",
    ]
    analysed = analysis.info.get("parts", {})
    for part, m in manifests.items():
        counts = m.get("counts", {})
        lines.append(
            f"| {part} | `{str(m.get('config_hash'))[:12]}` | `{m.get('code_version')}` "
            f"| {analysed.get(part, {}).get('runs', '')} "
            f"| {counts.get('ok')} / {counts.get('failed')} / {counts.get('pending')} "
            f"| {m.get('finished_at')} | {m.get('python')} |"
        )
    packages = next(iter(manifests.values())).get("packages", {})
    platform = next(iter(manifests.values())).get("platform", "")
    lines += [
        "",
        "Packages: " + ", ".join(f"{k} {v}" for k, v in packages.items()) + f"; {platform}.",
        "",
    ]
    return lines


CALIBRATION_TARGETS = Path("results/calibration/targets.csv")
"""Where `downline calibrate` writes the calibration table the report shows."""


def _calibration_table(root: Path) -> Path:
    """The calibration beside the suite folder, else the committed one of the defaults."""
    beside = root.parent / "calibration" / "targets.csv"
    return beside if beside.is_file() else SAMPLES_DIR / "calibration" / "targets.csv"


def render_markdown(
    analysis: Analysis,
    manifests: Mapping[str, dict[str, Any]],
    charts: Mapping[str, str],
    title: str = "claims",
    calibration: Path = CALIBRATION_TARGETS,
) -> str:
    """The report as Markdown.

    Args:
        analysis: the suite's analysis.
        manifests: part -> its results manifest.
        charts: chart name -> path relative to the report.
        title: the suite's name.
        calibration: the calibration targets table (`downline calibrate`).

    Returns:
        The Markdown text.
    """
    claims = analysis.claims.set_index("claim", drop=False)
    counts = analysis.claims["verdict"].value_counts()
    lines = [
        f"# Claims report: {title}",
        "",
        f"{len(CLAIMS)} claims from five articles on MLM and network marketing, tested on "
        f"{sum(p['runs'] for p in analysis.info['parts'].values()):,} simulation runs. "
        + ", ".join(f"{n} {v}" for v, n in counts.items())
        + ". Verdict rules: docs/claims.md.",
        "",
        *narrative.plain_summary(analysis),
        "## Summary",
        "",
        *_summary_table(analysis.claims),
        "",
        *narrative.calibration_section(calibration),
        *narrative.limitations_section(),
        *narrative.evidence_section(),
        *narrative.why_section(analysis, charts),
        "## Claims",
        "",
    ]
    for claim in CLAIMS:
        lines += _claim_section(claim, claims.loc[claim.id], analysis.estimates, charts)
        lines += narrative.claim_checks(claim, analysis)
    lines += [
        "## Robustness",
        "",
        "Each claim's rule applied to the point means of the Latin hypercube over the "
        "uncertain behavioural and structural parameters (docs/claims.md, 'Robustness').",
        "",
    ]
    lines += [f"![{name}]({charts[name]})" for name in ("robustness_map",) if name in charts]
    lines += ["", *_parameters(manifests), *_provenance(analysis, manifests)]
    return "\n".join(lines) + "\n"


def render_html(text: str, base: Path, title: str = "claims report") -> str:
    """The Markdown report as one self-contained HTML page.

    Args:
        text: the Markdown.
        base: the folder image paths are relative to.
        title: the page title.

    Returns:
        HTML with every local image embedded as a data URI.
    """
    body = markdown.markdown(text, extensions=["tables"], output_format="html")

    def embed(match: re.Match[str]) -> str:
        path = base / match.group(1)
        mime = _MIME.get(path.suffix)
        if mime is None or not path.is_file():
            return match.group(0)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f'src="data:{mime};base64,{data}"'

    body = re.sub(r'src="([^":]+)"', embed, body)
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def build_report(
    root: str | Path, formats: Sequence[str] = ("png",), n_resamples: int = 9999
) -> list[Path]:
    """Analyse a claims suite folder and write its analysis, charts and report.

    Args:
        root: the suite's results folder.
        formats: chart formats; the first is embedded in the HTML (png or svg).
        n_resamples: bootstrap resamples per interval.

    Returns:
        The report files written (report.md, report.html).

    Raises:
        NotAResultsFolder: when `root` is not a suite results folder.
        IncompleteResults: when a part the claims need is missing or empty.
    """
    root = Path(root)
    suite = read_suite_manifest(root)
    analysis = analyse_suite(root, n_resamples=n_resamples)
    manifests = {part: read_manifest(root / part) for part in REQUIRED_PARTS}
    save_analysis(analysis, root)
    tmp = Path(tempfile.mkdtemp(prefix=".report.", suffix=".tmp", dir=root))
    try:
        files = draw_charts(root, analysis, tmp / CHART_DIR, formats)
        charts = {name: f"{CHART_DIR}/{paths[0].name}" for name, paths in files.items() if paths}
        text = render_markdown(
            analysis,
            manifests,
            charts,
            title=suite.get("name", "claims"),
            calibration=_calibration_table(root),
        )
        (tmp / REPORT_MD).write_text(text, encoding="utf-8")
        html = render_html(text, tmp, title=f"{suite.get('name', 'claims')} report")
        (tmp / REPORT_HTML).write_text(html, encoding="utf-8")
        install_charts(files, root / CHART_DIR)
        for name in (REPORT_MD, REPORT_HTML):
            os.replace(tmp / name, root / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [root / REPORT_MD, root / REPORT_HTML]
