"""Reading a results folder back: `load_results(dir) -> Results`.

Only complete files are read (temporary files are skipped), so a folder that
is still being written, or whose run was killed, loads what is stored.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments.store.layout import TABLE_DIRS, read_manifest

READ_THREADS = 8


@dataclass
class Results:
    """The stored results of one experiment.

    Attributes:
        runs: one row per stored run: run_id, scenario, point, replication,
            seed, the design parameters, then the run's metrics; sorted by run_id.
        monthly: the monthly series of every run (the same id and design
            columns, then `month` and the series), or None when not kept.
        participants: the participant tables of every run, or None when not kept.
        manifest: the folder's manifest (provenance and per-run status).
    """

    runs: pd.DataFrame
    monthly: pd.DataFrame | None
    participants: pd.DataFrame | None
    manifest: dict[str, Any]

    @property
    def failed(self) -> dict[str, dict[str, Any]]:
        """Manifest entries of runs that failed, by run id."""
        return {
            run_id: entry
            for run_id, entry in self.manifest.get("runs", {}).items()
            if entry.get("status") == "failed"
        }


def load_results(directory: str | Path) -> Results:
    """Load every stored run of a results folder.

    Args:
        directory: a folder written by `downline run`.

    Returns:
        The runs, monthly and participant tables, and the manifest.

    Raises:
        NotAResultsFolder: when the folder has no downline manifest of a readable format.
    """
    root = Path(directory)
    manifest = read_manifest(root)
    outputs = manifest.get("config", {}).get("outputs", {})
    runs = _read_tables(root / TABLE_DIRS["metrics"])
    if runs is None:
        runs = pd.DataFrame(columns=["run_id", "scenario", "point", "replication", "seed"])
    monthly = _read_tables(root / TABLE_DIRS["monthly"]) if outputs.get("monthly") else None
    participants = (
        _read_tables(root / TABLE_DIRS["participants"]) if outputs.get("participants") else None
    )
    return Results(runs=runs, monthly=monthly, participants=participants, manifest=manifest)


def _read_tables(directory: Path) -> pd.DataFrame | None:
    """All complete Parquet files of a folder as one DataFrame, sorted by run id.

    Files are read by a few threads (pyarrow releases the GIL) and concatenated
    as Arrow tables, promoting types where runs differ (e.g. int and float),
    then converted to pandas once, with the pandas metadata of the files.
    """
    if not directory.is_dir():
        return None
    with os.scandir(directory) as entries:
        paths = sorted(
            e.path for e in entries if e.name.endswith(".parquet") and not e.name.startswith(".")
        )
    if not paths:
        return None
    with ThreadPoolExecutor(max_workers=READ_THREADS) as pool:
        tables = list(pool.map(pq.read_table, paths))
    frame = pa.concat_tables(tables, promote_options="permissive").to_pandas()
    return frame.sort_values("run_id", kind="stable", ignore_index=True)
