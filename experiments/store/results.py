"""Reading a results folder back: `load_results(dir) -> Results`.

Only the files the manifest lists for stored runs are read, each checked
against its recorded SHA-256, so a stray file, a run stored after the last
manifest write or a corrupt file never enters the tables: a corrupt or
missing file is an error naming it (rerun the config to resume, or `downline
repair`). Folders written before checksums were recorded are read by the
same list, without the checksum.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments.store.integrity import kept_kinds, read_verified, run_files
from experiments.store.layout import MANIFEST, NotAResultsFolder, read_manifest
from experiments.store.tables import ID_COLUMNS

READ_THREADS = 8


class CorruptResults(NotAResultsFolder):
    """A results folder whose manifest lists a file that is missing or does not match it."""


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
    entries = manifest.get("runs")
    if not isinstance(entries, dict):
        raise NotAResultsFolder(f"{root}: {MANIFEST} has no valid table of runs")
    kinds = kept_kinds(manifest.get("config", {}).get("outputs", {}))
    stored = sorted(run_id for run_id, e in entries.items() if e.get("status") == "ok")
    frames = {kind: _read_tables(root, entries, stored, kind) for kind in kinds}
    runs = frames["metrics"]
    if runs is None:
        runs = pd.DataFrame(columns=list(ID_COLUMNS))
    return Results(
        runs=runs,
        monthly=frames.get("monthly"),
        participants=frames.get("participants"),
        manifest=manifest,
    )


def _read_tables(
    root: Path, entries: dict[str, Any], stored: list[str], kind: str
) -> pd.DataFrame | None:
    """One kind of table of every stored run as one DataFrame, sorted by run id.

    Files are read and checked by a few threads (pyarrow and hashlib release the
    GIL) and concatenated as Arrow tables, promoting types where runs differ
    (e.g. int and float), then converted to pandas once.

    Raises:
        NotAResultsFolder: naming the first missing or corrupt file.
    """
    if not stored:
        return None

    def read(run_id: str) -> pa.Table:
        record = entries[run_id].get("files", {}).get(kind)
        try:
            if record is None:  # written before checksums were recorded
                path = run_files(run_id, [kind])[kind]
                return pq.read_table(root / path)
            return pq.read_table(pa.BufferReader(read_verified(root, record)))
        except (OSError, pa.ArrowException, ValueError) as err:
            raise CorruptResults(
                f"{root}: run {run_id}: {err}; rerun the same config to run it again, "
                f"or `downline repair {root}`"
            ) from None

    with ThreadPoolExecutor(max_workers=READ_THREADS) as pool:
        tables = list(pool.map(read, stored))
    frame = pa.concat_tables(tables, promote_options="permissive").to_pandas()
    return frame.sort_values("run_id", kind="stable", ignore_index=True)
