"""The Sobol report of a results folder with a Saltelli design (experiments/sensitivity.toml).

`build_sensitivity_report` computes the first-order and total Sobol indices of
the key outcomes (`experiments.claims.sensitivity`), with their 95% bootstrap
CIs, and writes ``sensitivity/sobol.csv``, a chart per index and ``report.md``
into the folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from experiments.claims.catalogue import parse_measure
from experiments.claims.measures import run_measures
from experiments.claims.sensitivity import OUTCOMES, sobol_indices
from experiments.present import charts
from experiments.spec.schema import Design
from experiments.store.layout import read_manifest
from experiments.store.results import load_results

__all__ = ["SENSITIVITY_DIR", "build_sensitivity_report", "is_sensitivity_folder"]

SENSITIVITY_DIR = "sensitivity"


def is_sensitivity_folder(root: str | Path) -> bool:
    """Whether `root` is a single results folder whose design is a Saltelli design."""
    folder = Path(root)
    if not (folder / "manifest.json").is_file():
        return False
    return read_manifest(folder)["config"].get("design", {}).get("kind") == "saltelli"


def build_sensitivity_report(root: str | Path, formats: Sequence[str] = ("png",)) -> list[Path]:
    """Sobol indices of a Saltelli results folder: table, charts and report.md.

    Args:
        root: the results folder (e.g. results/sensitivity).
        formats: chart formats.

    Returns:
        The files written: the table, the charts, report.md.

    Raises:
        NotAResultsFolder: when `root` is not a results folder.
        ValueError: when its design is not a Saltelli design.
    """
    root = Path(root)
    results = load_results(root)
    design = Design(**results.manifest["config"]["design"])
    wanted = dict.fromkeys(m for m, _, _ in OUTCOMES.values())
    if results.participants is None:
        wanted = {m: None for m in wanted if parse_measure(m)[0] == "run_metric"}
    table = sobol_indices(run_measures(results, list(wanted)), design)
    out = root / SENSITIVITY_DIR
    out.mkdir(exist_ok=True)
    files = [out / "sobol.csv"]
    table.to_csv(files[0], index=False)
    for index in ("S1", "ST"):
        fig = charts.sensitivity_indices(table, index)
        files += charts.save_figure(fig, out, f"sobol_{index}", formats)
    lines = [
        f"# Sobol sensitivity: {results.manifest['config'].get('name', root.name)}",
        "",
        f"{len(results.runs):,} runs, Saltelli design with {design.n} base samples over "
        f"{len(design.parameters)} parameters. S1: the share of an outcome's variance "
        "caused by one parameter alone; ST: with all its interactions. 95% bootstrap CIs.",
        "",
        f"![first-order indices]({SENSITIVITY_DIR}/sobol_S1.{formats[0]})",
        f"![total indices]({SENSITIVITY_DIR}/sobol_ST.{formats[0]})",
        "",
        "| outcome | parameter | S1 | 95% CI | ST | 95% CI |",
        "|---|---|---|---|---|---|",
    ]
    wide = table.pivot_table(
        index=["outcome", "parameter"], columns="index", values=["estimate", "low", "high"]
    )
    for (outcome, parameter), row in wide.iterrows():
        cells = [
            f"{row[('estimate', i)]:.3f} | [{row[('low', i)]:.3f}, {row[('high', i)]:.3f}]"
            for i in ("S1", "ST")
        ]
        lines.append(f"| {outcome} | {parameter} | {' | '.join(cells)} |")
    report = root / "report.md"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [*files, report]
