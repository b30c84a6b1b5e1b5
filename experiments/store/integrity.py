"""Checking a results folder against its manifest: checksums, row counts, stray and missing files.

The manifest records, for every stored run, each of its files with the file's
SHA-256 and row count (`runs.<id>.files.<kind> = {path, sha256, rows}`).
`check_file` compares a file with its record; `inspect_file` reads a file the
manifest does not list yet (a run stored just before a kill, or a folder
written before checksums were recorded) and makes its record when the file is
a complete Parquet table of that run. `verify_folder` checks a whole folder
(`downline verify`), `repair_folder` rebuilds its manifest from the files that
pass (`downline repair`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from experiments.store.layout import TABLE_DIRS, is_temporary, safe_name

__all__ = [
    "FolderCheck",
    "check_file",
    "file_record",
    "inspect_file",
    "kept_kinds",
    "read_verified",
    "run_files",
    "verify_folder",
]


def kept_kinds(outputs: dict[str, Any]) -> list[str]:
    """The table kinds each run stores: metrics, then monthly and participants when kept."""
    kinds = ["metrics"]
    kinds += [kind for kind in ("monthly", "participants") if outputs.get(kind)]
    return kinds


def run_files(run_id: str, kinds: list[str]) -> dict[str, str]:
    """Each kind's file of a run, relative to the results folder."""
    return {kind: f"{TABLE_DIRS[kind]}/{safe_name(run_id)}.parquet" for kind in kinds}


def file_record(path: str, data: bytes) -> dict[str, Any]:
    """The manifest record of a file: its relative path, SHA-256 and row count.

    Args:
        path: the file's path relative to the results folder.
        data: its bytes (a Parquet file).
    """
    rows = pq.read_metadata(pa.BufferReader(data)).num_rows
    return {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "rows": rows}


def read_verified(root: Path, record: dict[str, Any]) -> bytes:
    """The bytes of a recorded file, checked against its checksum.

    Raises:
        ValueError: naming the file and what is wrong (missing, checksum).
    """
    path = root / record["path"]
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ValueError(f"{record['path']}: missing") from None
    if hashlib.sha256(data).hexdigest() != record.get("sha256"):
        raise ValueError(f"{record['path']}: checksum does not match the manifest (corrupt)")
    return data


def check_file(root: Path, record: dict[str, Any]) -> str | None:
    """What is wrong with a recorded file (missing, corrupt), or None when it matches."""
    try:
        read_verified(root, record)
    except ValueError as err:
        return str(err)
    return None


def inspect_file(root: Path, path: str, run_id: str, kind: str) -> dict[str, Any] | None:
    """The record of an unlisted file when it is a complete table of run `run_id`, else None.

    A file passes when it is readable Parquet whose `run_id` column holds only
    `run_id`, with exactly one row for the metrics table.
    """
    try:
        data = (root / path).read_bytes()
        ids = pq.read_table(pa.BufferReader(data), columns=["run_id"]).column("run_id")
    except (OSError, pa.ArrowException, KeyError):
        return None
    if kind == "metrics" and len(ids) != 1:
        return None
    if len(ids) and set(ids.to_pylist()) != {run_id}:
        return None
    return file_record(path, data)


@dataclass
class FolderCheck:
    """What `verify_folder` found in a results folder.

    Attributes:
        root: the folder.
        ok: runs whose every file matches its record.
        bad: (run id, problem) of runs listed as stored whose files are missing or corrupt.
        unrecorded: runs listed as stored without checksums whose files pass `inspect_file`.
        stray: Parquet files in the table folders that no run lists.
        pending: runs not stored (pending or failed).
    """

    root: Path
    ok: int = 0
    bad: list[tuple[str, str]] = field(default_factory=list)
    unrecorded: list[str] = field(default_factory=list)
    stray: list[str] = field(default_factory=list)
    pending: int = 0

    @property
    def clean(self) -> bool:
        """No corrupt, missing or stray file."""
        return not self.bad and not self.stray


def verify_folder(root: Path, manifest: dict[str, Any]) -> FolderCheck:
    """Check every file of a results folder against its manifest.

    Args:
        root: the results folder.
        manifest: its manifest (`experiments.store.layout.read_manifest`).

    Returns:
        What was found; nothing is changed.
    """
    check = FolderCheck(root)
    kinds = kept_kinds(manifest.get("config", {}).get("outputs", {}))
    listed: set[str] = set()
    for run_id, entry in manifest.get("runs", {}).items():
        expected = run_files(run_id, kinds)
        listed.update(expected.values())
        if entry.get("status") != "ok":
            check.pending += 1
            continue
        records = entry.get("files")
        if records is None:
            found = [inspect_file(root, path, run_id, kind) for kind, path in expected.items()]
            if all(found):
                check.unrecorded.append(run_id)
            else:
                check.bad.append((run_id, "stored files missing or unreadable"))
            continue
        problems = [p for p in (check_file(root, r) for r in records.values()) if p]
        if set(records) != set(kinds):
            problems.append(f"files listed for {sorted(records)}, expected {kinds}")
        if problems:
            check.bad.append((run_id, problems[0]))
        else:
            check.ok += 1
    for kind in kinds:
        folder = root / TABLE_DIRS[kind]
        if folder.is_dir():
            check.stray += sorted(
                f"{TABLE_DIRS[kind]}/{p.name}"
                for p in folder.iterdir()
                if p.suffix == ".parquet"
                and not is_temporary(p.name)
                and f"{TABLE_DIRS[kind]}/{p.name}" not in listed
            )
    return check
