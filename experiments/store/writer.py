"""Writing a results folder: run tables as Parquet, the manifest as JSON, all atomically.

Layout: see `experiments.store.layout`. Every file is written to a temporary file
in the same folder, flushed and fsync'ed, then moved into place with
`os.replace`; the folders are fsync'ed with each manifest write.

The manifest records every stored run's files with their SHA-256 and row
count (`experiments.store.integrity`), and is the list `load_results`
trusts. It is rewritten at most once a second and at the end; a kill between
a Parquet write and a manifest update loses nothing, because the next start
adopts the files of runs the manifest does not list yet when they are
complete tables of that run, and reruns runs whose files are missing or do
not match their checksums.

Manifest fields: `format_version`, `kind`, `name`, `config` (resolved, with
defaults), `config_hash`, `config_file`, `design` (kind, parameters, point,
scenario and replication counts), `code_version`, `packages`, `python`,
`platform`, `created_at`, `started_at`, `finished_at` and `status` of the
latest session, `sessions` (one entry per `downline run` into the folder),
`counts` (runs, ok, failed, pending) and `runs` (per run id: `status` ok /
failed / pending, `seed`, `elapsed_s`, `files` when stored, and `error` and
`traceback` when failed).

Opening a folder: an empty or missing folder starts afresh; a folder with the
same config hash resumes (intact stored runs are skipped, failed, missing and
corrupt ones run); a different config hash is refused unless `force`, which
deletes the old results and the outputs made from them first (`force` with
the same config resumes). A non-empty folder without a manifest is never
touched; a damaged manifest is refused (see `repair_folder`) unless `force`.
Leftover temporary files of a killed run are deleted on opening; a lock file
keeps two runs from writing the same folder. A session that changes what
the folder holds deletes its analysis, charts and report (`DERIVED`).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from experiments.spec.designs import design_points
from experiments.spec.runspec import RunSpec, expand_runs
from experiments.spec.schema import ExperimentConfig, config_hash
from experiments.spec.suite import Suite
from experiments.store.integrity import check_file, file_record, inspect_file, kept_kinds, run_files
from experiments.store.layout import (
    DERIVED,
    FORMAT_VERSION,
    KIND,
    LOCK,
    MANIFEST,
    SUITE_KIND,
    TABLE_DIRS,
    TMP_SUFFIX,
    NotAResultsFolder,
    is_temporary,
    read_manifest,
)
from experiments.store.provenance import environment, now
from experiments.store.tables import RunResult

MANIFEST_INTERVAL_S = 1.0
MANIFEST_MAX_SHARE = 0.05  # of the parent's time spent rewriting the manifest, on huge sweeps


class StoreError(RuntimeError):
    """A results folder that cannot be used for this run (refused, locked)."""


def atomic_write(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write a file so that it either exists complete or not at all.

    Args:
        path: the final path.
        write: writes the content to the binary file object it is given.
    """
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}{TMP_SUFFIX}"
    # os.open with mode 0o666 honours the umask, unlike tempfile.mkstemp (always 0o600)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically."""
    text = json.dumps(data, indent=1, sort_keys=False, default=str)
    atomic_write(path, lambda handle: handle.write(text.encode("utf-8")))


def suite_manifest(suite: Suite, config_file: Path | None = None) -> dict[str, Any]:
    """The content of a suite folder's `suite.json`.

    Args:
        suite: the validated suite.
        config_file: the suite file's path.

    Returns:
        `kind`, `name`, `config_file` and `parts` (name, folder, config hash, in order).
    """
    return {
        "kind": SUITE_KIND,
        "name": suite.name,
        "config_file": str(config_file) if config_file is not None else None,
        "parts": [
            {"name": part, "folder": part, "config_hash": config_hash(cfg)}
            for part, cfg in suite.parts.items()
        ],
    }


class ResultsStore:
    """An open results folder: knows what is stored, writes runs and the manifest."""

    def __init__(
        self,
        root: Path,
        specs: list[RunSpec],
        kinds: list[str],
        manifest: dict[str, Any],
        lock: int,
    ):
        self.root = root
        self.specs = specs
        self.kinds = kinds
        self.notes: list[str] = []
        self.changed = False
        self._manifest = manifest
        self._lock = lock
        self._last_flush = 0.0
        self._flush_interval = MANIFEST_INTERVAL_S
        self._dirs = [root / TABLE_DIRS[kind] for kind in kinds]

    # --- opening ------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        root: Path,
        cfg: ExperimentConfig,
        specs: list[RunSpec],
        *,
        force: bool = False,
        backend: str = "",
        config_file: Path | None = None,
    ) -> ResultsStore:
        """Open (create, resume or replace) the results folder of an experiment.

        Args:
            root: the results folder.
            cfg: the validated config.
            specs: all runs of the experiment (`expand_runs(cfg)`).
            force: replace results of a different config.
            backend: description of the backend, for the manifest.
            config_file: the config's path, for the manifest.

        Returns:
            The open store, its manifest written.

        Raises:
            StoreError: when the folder is refused or locked; nothing is written then.
        """
        digest = config_hash(cfg)
        previous = check_folder(root, cfg, force=force)
        notes = []
        if force and previous is not None and previous.get("config_hash") == digest:
            notes.append("--force: the results are of this same config; kept and resumed")
            force = False
        root.mkdir(parents=True, exist_ok=True)
        lock = _acquire_lock(root)
        if force and _holds_results(root):
            for name in [MANIFEST, *TABLE_DIRS.values(), *DERIVED]:
                _remove(root / name)
            previous = None
        for directory in [root, *(root / name for name in TABLE_DIRS.values())]:
            _remove_temporary(directory)
        manifest = _new_manifest(cfg, digest, config_file) if previous is None else previous
        store = cls(root, specs, kept_kinds(cfg.outputs.model_dump()), manifest, lock)
        store.notes += notes
        try:
            store._begin_session(backend)
        except BaseException:
            os.close(lock)
            raise
        return store

    def _begin_session(self, backend: str) -> None:
        for directory in self._dirs:
            directory.mkdir(exist_ok=True)
        env = environment()
        old_version = self._manifest.get("code_version")
        if old_version and old_version != env["code_version"]:
            self.notes.append(
                f"resuming results of code version {old_version} with {env['code_version']}"
            )
        previous_runs = self._manifest.get("runs", {})
        runs, bad = {}, []
        for spec in self.specs:
            old = previous_runs.get(spec.run_id, {})
            files = self._verified_files(spec.run_id, old)
            if files is not None:
                runs[spec.run_id] = {**old, "status": "ok", "files": files}
            else:
                if old.get("status") == "ok":
                    bad.append(spec.run_id)
                failed = old.get("status") == "failed"
                runs[spec.run_id] = old if failed else {"status": "pending"}
            runs[spec.run_id]["seed"] = spec.seed
        if bad:
            self.notes.append(
                f"{len(bad)} stored runs had missing or corrupt files (first: {bad[0]}); "
                "running them again"
            )
        if runs != previous_runs:
            self.changed = True
        started = now()
        self._manifest.update(env)
        self._manifest.update(started_at=started, finished_at=None, status="running", runs=runs)
        self._manifest.setdefault("sessions", []).append(
            {
                "started_at": started,
                "finished_at": None,
                "status": "running",
                "code_version": env["code_version"],
                "backend": backend,
                "ok": 0,
                "failed": 0,
            }
        )
        self.flush(force=True)

    # --- state --------------------------------------------------------------------------

    def _verified_files(self, run_id: str, entry: dict[str, Any]) -> dict[str, Any] | None:
        """The file records of a run whose files are complete and intact, else None.

        Files listed with checksums must match them; files of a run the manifest
        does not list as stored yet (stored just before a kill) must be complete
        tables of that run, and are then recorded.
        """
        expected = run_files(run_id, self.kinds)
        records = entry.get("files") if entry.get("status") == "ok" else None
        if isinstance(records, dict) and set(records) == set(expected):
            if all(check_file(self.root, record) is None for record in records.values()):
                return records
            return None
        found = {k: inspect_file(self.root, p, run_id, k) for k, p in expected.items()}
        return found if all(found.values()) else None

    def pending(self) -> list[RunSpec]:
        """Runs that are not stored yet, in experiment order."""
        runs = self._manifest["runs"]
        return [spec for spec in self.specs if runs[spec.run_id]["status"] != "ok"]

    # --- writing ------------------------------------------------------------------------

    def save(self, spec: RunSpec, result: RunResult) -> None:
        """Store one run's tables (when it succeeded) and record its status.

        Args:
            spec: the run.
            result: what the run sent back.
        """
        entry: dict[str, Any] = {"status": "ok" if result.ok else "failed", "seed": spec.seed}
        entry["elapsed_s"] = round(result.elapsed_s, 3)
        if result.ok:
            paths = run_files(spec.run_id, list(result.tables or {}))
            files = {}
            for kind, data in (result.tables or {}).items():  # metrics last: see store.tables
                atomic_write(self.root / paths[kind], lambda h, d=data: h.write(d))
                files[kind] = file_record(paths[kind], data)
            entry["files"] = files
        else:
            entry.update(error=result.error, traceback=result.traceback)
        self._manifest["runs"][spec.run_id] = entry
        self.changed = True
        session = self._manifest["sessions"][-1]
        session["ok" if result.ok else "failed"] += 1
        self.flush()

    def counts(self) -> dict[str, int]:
        """Runs by status: runs, ok, failed, pending."""
        counts = Counter(entry["status"] for entry in self._manifest["runs"].values())
        return {
            "runs": len(self._manifest["runs"]),
            **{status: counts.get(status, 0) for status in ("ok", "failed", "pending")},
        }

    def flush(self, force: bool = False) -> None:
        """Rewrite the manifest if a second has passed since the last write (or if `force`).

        On sweeps so large that writing the manifest takes a noticeable time, the
        interval grows so that rewriting it takes at most 5% of the time.
        """
        started = time.monotonic()
        if not force and started - self._last_flush < self._flush_interval:
            return
        self._manifest["counts"] = self.counts()
        self._manifest["runs"] = self._manifest.pop("runs")  # keep the long part last
        for directory in self._dirs:
            _fsync_dir(directory)
        write_json(self.root / MANIFEST, self._manifest)
        _fsync_dir(self.root)
        self._last_flush = time.monotonic()
        took = self._last_flush - started
        self._flush_interval = max(MANIFEST_INTERVAL_S, took / MANIFEST_MAX_SHARE)

    def close(self, status: str = "finished") -> None:
        """Write the final manifest and release the folder.

        Args:
            status: how the session ended: finished or interrupted.
        """
        ended = now()
        self._manifest.update(finished_at=ended, status=status)
        self._manifest["sessions"][-1].update(finished_at=ended, status=status)
        try:
            if self.changed:  # analysis, charts and report of other runs would mislead
                remove_derived(self.root)
            self.flush(force=True)
        finally:
            os.close(self._lock)


def check_folder(
    root: Path, cfg: ExperimentConfig, *, force: bool = False
) -> dict[str, Any] | None:
    """Check that a run of `cfg` may write into `root`, writing nothing.

    Args:
        root: the results folder.
        cfg: the validated config.
        force: results of a different config (or a damaged manifest) may be replaced.

    Returns:
        The folder's manifest; None for a missing or empty folder, or one `force` replaces.

    Raises:
        StoreError: when the folder is refused.
    """
    previous = _existing_manifest(root, force)
    digest = config_hash(cfg)
    if previous is not None and previous.get("config_hash") != digest and not force:
        old = str(previous.get("config_hash"))[:12]
        raise StoreError(
            f"{root}: holds results of a different config (hash {old}, this config "
            f"{digest[:12]}); use --force to replace them or --out for another folder"
        )
    return previous


def _new_manifest(cfg: ExperimentConfig, digest: str, config_file: Path | None) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "kind": KIND,
        "name": cfg.name,
        "config_hash": digest,
        "config_file": str(config_file) if config_file else None,
        "config": cfg.model_dump(mode="json"),
        "design": {
            "kind": cfg.design.kind,
            "parameters": list(cfg.design.parameters),
            "points": len(design_points(cfg.design)),
            "scenarios": cfg.scenario_names,
            "replications": cfg.replications.n,
        },
        "created_at": now(),
    }


def _existing_manifest(root: Path, force: bool = False) -> dict[str, Any] | None:
    """The manifest of an existing results folder; None for a missing or empty folder.

    A damaged manifest (unreadable, or without the per-run table) is refused,
    except with `force` in a folder that holds our tables (then it is replaced).
    """
    if not root.exists():
        return None
    if not root.is_dir():
        raise StoreError(f"{root}: exists and is not a folder")
    if not [p for p in root.iterdir() if p.name != LOCK and not is_temporary(p.name)]:
        return None
    try:
        manifest = read_manifest(root)
    except NotAResultsFolder as err:
        if (root / MANIFEST).is_file() or _holds_results(root):
            if force:
                return None
            raise StoreError(
                f"{err}; run `downline repair {root}` to rebuild it, or --force to start over"
            ) from None
        raise StoreError(f"{err}; it is not empty, so choose another --out") from None
    if not isinstance(manifest.get("runs", {}), dict):
        if force:
            return None
        raise StoreError(
            f"{root}: {MANIFEST} has no valid table of runs; run `downline repair {root}` "
            "to rebuild it, or --force to start over"
        )
    return manifest


def _stored_config(root: Path, manifest: dict[str, Any]) -> ExperimentConfig:
    """The config a manifest records (validated when the folder was written), checked by hash."""
    try:
        cfg = ExperimentConfig.model_validate(_without_none(manifest.get("config", {})))
    except ValueError:
        cfg = None
    if cfg is None or config_hash(cfg) != manifest.get("config_hash"):
        raise StoreError(
            f"{root}: the manifest's config is damaged; give it: "
            f"downline repair {root} --config FILE"
        )
    return cfg


def _without_none(table: Any) -> Any:
    """A stored config without its unset (null) keys, so that it validates again."""
    if isinstance(table, dict):
        return {k: _without_none(v) for k, v in table.items() if v is not None}
    return table


def remove_derived(root: Path) -> None:
    """Delete the outputs made from a folder's runs (analysis, charts, report)."""
    for name in DERIVED:
        _remove(root / name)


def _holds_results(root: Path) -> bool:
    """Whether a folder has a manifest or any of our table folders."""
    names = [MANIFEST, *TABLE_DIRS.values()]
    return any((root / name).exists() for name in names)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _acquire_lock(root: Path) -> int:
    fd = os.open(root / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks, one writer is up to the user
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise StoreError(f"{root}: another downline run is writing to this folder") from None
    return fd


def _remove_temporary(directory: Path) -> None:
    if directory.is_dir():
        for path in directory.iterdir():
            if is_temporary(path.name):
                path.unlink(missing_ok=True)


def _fsync_dir(directory: Path) -> None:
    """Make renames in `directory` durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def repair_folder(root: Path, cfg: ExperimentConfig | None = None) -> ResultsStore:
    """Rebuild the manifest of a results folder from its verified run files.

    Runs whose files are complete and intact (matching their checksums, or
    complete tables of that run where none is recorded) are kept as stored;
    the files of other runs are deleted, so that the next `downline run`
    reruns them. Stray files are left alone (no run lists them).

    Args:
        root: the results folder.
        cfg: its config; needed only when the manifest is unreadable, and
            then must be the config the folder was run with.

    Returns:
        The store, closed, with the repaired manifest written.

    Raises:
        StoreError: when the folder is not a results folder, no config is
            known, the config differs from the manifest's, or the folder is locked.
    """
    if not root.is_dir() or not _holds_results(root):
        raise StoreError(f"{root}: not a downline results folder (no manifest.json or runs/)")
    try:
        previous: dict[str, Any] | None = read_manifest(root)
    except NotAResultsFolder as err:
        if cfg is None:
            raise StoreError(
                f"{err}; give its config: downline repair {root} --config FILE"
            ) from None
        previous = None
    if previous is not None:
        if cfg is not None and config_hash(cfg) != previous.get("config_hash"):
            raise StoreError(f"{root}: holds results of a different config than the one given")
        if not isinstance(previous.get("runs"), dict):
            previous["runs"] = {}
        cfg = _stored_config(root, previous)
    if cfg is None:
        raise StoreError(f"{root}: no config known; give it with --config FILE")
    specs = expand_runs(cfg)
    lock = _acquire_lock(root)
    manifest = previous if previous is not None else _new_manifest(cfg, config_hash(cfg), None)
    store = ResultsStore(root, specs, kept_kinds(cfg.outputs.model_dump()), manifest, lock)
    try:
        store._begin_session("repair")
        runs = store._manifest["runs"]
        for spec in specs:
            if runs[spec.run_id]["status"] != "ok":
                for path in run_files(spec.run_id, store.kinds).values():
                    (root / path).unlink(missing_ok=True)
    except BaseException:
        os.close(lock)
        raise
    store.changed = True
    store.close("repaired")
    return store
