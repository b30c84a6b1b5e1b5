"""Sweeps of the fake model: stored once, resumable, refusing other configs, recording failures."""

from __future__ import annotations

import json
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from types import SimpleNamespace

import pandas as pd
import pytest

from experiments import load_results, run_experiment
from experiments.cli import main
from experiments.run import backends
from experiments.spec.loader import load_config
from experiments.spec.schema import config_hash
from experiments.store.layout import NotAResultsFolder
from experiments.store.writer import atomic_write
from tests.experiments.conftest import FAKE_CONFIG

N_RUNS = 2 * 2 * 3


def _run(path, out, *extra):
    return main(["run", str(path), "--out", str(out), "--quiet", *extra])


def _files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_sweep_stores_every_run_once_with_ids_and_design_columns(
    fake_model, write_config, tmp_path
):
    out = tmp_path / "out"
    assert _run(write_config(FAKE_CONFIG), out, "--workers", "1") == 0
    results = load_results(out)
    runs = results.runs
    assert len(runs) == N_RUNS and runs.run_id.is_unique
    assert list(runs.columns[:6]) == [
        "run_id",
        "scenario",
        "point",
        "replication",
        "seed",
        "plan_params.starter_fee",
    ]
    assert {"participants_ever", "success_rate", "mean_net"} <= set(runs.columns)
    assert runs.participants_ever.dtype == "int64"
    assert sorted(runs["plan_params.starter_fee"].unique()) == [0.0, 100.0]
    assert len(results.monthly) == N_RUNS * 12
    assert (
        results.monthly.groupby("run_id")
        .month.apply(list)
        .map(lambda m: m == list(range(1, 13)))
        .all()
    )
    assert set(results.participants.run_id) <= set(runs.run_id)
    assert results.participants.quit_month.dtype == "Int64"
    assert len(_files(out / "runs")) == len(_files(out / "monthly")) == N_RUNS


def test_manifest_records_provenance_and_status(fake_model, write_config, tmp_path):
    path = write_config(FAKE_CONFIG)
    out = tmp_path / "out"
    _run(path, out, "--workers", "1")
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["format_version"] == 1
    assert manifest["name"] == "fake"
    assert manifest["config_hash"] == config_hash(load_config(path))
    assert manifest["config"]["replications"]["count"] == 3
    assert manifest["code_version"] == "test-version"
    assert set(manifest["packages"]) == {"mesa", "numpy", "pandas", "scipy", "pyarrow", "pydantic"}
    assert manifest["python"] and manifest["platform"]
    assert manifest["started_at"] <= manifest["finished_at"]
    assert manifest["status"] == "finished"
    assert manifest["counts"] == {"runs": N_RUNS, "ok": N_RUNS, "failed": 0, "pending": 0}
    assert manifest["design"] == {
        "kind": "grid",
        "parameters": ["plan_params.starter_fee"],
        "points": 2,
        "scenarios": ["mlm", "referral"],
        "replications": 3,
    }
    entry = manifest["runs"]["s=mlm/p=0001/r=002"]
    assert entry["status"] == "ok" and entry["elapsed_s"] >= 0 and entry["seed"] > 0


@pytest.mark.slow
def test_one_worker_two_workers_and_dask_store_identical_results(
    fake_model, write_config, tmp_path
):
    path = write_config(FAKE_CONFIG)
    loaded = []
    for name, extra in [
        ("one", ["--workers", "1"]),
        ("two", ["--workers", "2"]),
        ("dask", ["--workers", "2", "--scheduler", "local"]),
    ]:
        assert _run(path, tmp_path / name, *extra) == 0
        loaded.append(load_results(tmp_path / name))
    first = loaded[0]
    for other in loaded[1:]:
        pd.testing.assert_frame_equal(first.runs, other.runs)
        pd.testing.assert_frame_equal(first.monthly, other.monthly)
        pd.testing.assert_frame_equal(first.participants, other.participants)
    backends = [r.manifest["sessions"][-1]["backend"] for r in loaded]
    assert backends == [
        "in-process (1 worker)",
        "local processes (2 workers)",
        "dask (2 local workers)",
    ]


def test_failing_runs_are_recorded_and_the_rest_stored(fake_model, write_config, tmp_path, capsys):
    text = FAKE_CONFIG.replace(
        '[scenarios.referral]\nplan = "referral"',
        '[scenarios.referral]\nplan = "referral"\nfail = true',
    )
    out = tmp_path / "out"
    assert _run(write_config(text), out, "--workers", "2") == 1
    captured = capsys.readouterr()
    assert captured.out.startswith(f"{N_RUNS} runs: 6 ok, 6 failed, 0 skipped in ")
    assert captured.out.rstrip().endswith(f"-> {out}")
    assert "failed s=referral/p=0000/r=000: RuntimeError: fake model failure" in captured.err
    results = load_results(out)
    assert set(results.runs.scenario) == {"mlm"} and len(results.runs) == 6
    failed = results.failed
    assert len(failed) == 6
    entry = failed["s=referral/p=0001/r=002"]
    assert entry["error"] == "RuntimeError: fake model failure"
    assert "Traceback" in entry["traceback"] and "fake_model.py" in entry["traceback"]
    assert results.manifest["counts"]["failed"] == 6


CRASH_CONFIG = """
name = "crash"
months = 6
[model]
n_people = 100
[scenarios.mlm]
plan = "unilevel"
[scenarios.crash]
crash = true
[scenarios.referral]
plan = "referral"
[replications]
count = 3
"""


@pytest.mark.slow
def test_a_dying_worker_fails_only_its_own_run(fake_model, write_config, tmp_path, capsys):
    out = tmp_path / "out"
    assert _run(write_config(CRASH_CONFIG), out, "--workers", "2") == 1
    assert capsys.readouterr().out.startswith("9 runs: 6 ok, 3 failed, 0 skipped")
    results = load_results(out)
    assert set(results.runs.scenario) == {"mlm", "referral"} and len(results.runs) == 6
    assert set(results.failed) == {f"s=crash/p=0000/r={r:03d}" for r in range(3)}
    assert all("worker process died" in e["error"] for e in results.failed.values())


@pytest.mark.slow
def test_workers_that_always_die_stop_the_sweep(fake_model, write_config, tmp_path, capsys):
    text = "name = 'doomed'\nmonths = 3\n[model]\ncrash = true\n[replications]\ncount = 20\n"
    out = tmp_path / "out"
    assert _run(write_config(text), out, "--workers", "2") == 3
    assert "worker processes died 4 times in a row" in capsys.readouterr().err
    manifest = load_results(out).manifest
    assert manifest["status"] == "interrupted"
    assert manifest["counts"]["ok"] == 0 and manifest["counts"]["pending"] > 0


def test_rerun_resumes_missing_and_failed_runs_only(fake_model, write_config, tmp_path, capsys):
    path = write_config(FAKE_CONFIG)
    out = tmp_path / "out"
    assert _run(path, out, "--workers", "1") == 0
    before = load_results(out)
    (out / "runs" / "s=mlm__p=0001__r=002.parquet").unlink()
    (out / "monthly" / "s=referral__p=0000__r=000.parquet").unlink()
    capsys.readouterr()
    assert _run(path, out, "--workers", "1", "--resume") == 0
    assert capsys.readouterr().out.startswith(f"{N_RUNS} runs: 2 ok, 0 failed, 10 skipped")
    after = load_results(out)
    pd.testing.assert_frame_equal(before.runs, after.runs)
    pd.testing.assert_frame_equal(before.monthly, after.monthly)
    assert len(after.manifest["sessions"]) == 2


def test_a_stale_manifest_loses_nothing(fake_model, write_config, tmp_path, capsys):
    """A kill after the Parquet writes but before the manifest update: the files are the truth."""
    path = write_config(FAKE_CONFIG)
    out = tmp_path / "out"
    _run(path, out, "--workers", "1")
    manifest = json.loads((out / "manifest.json").read_text())
    for entry in manifest["runs"].values():
        entry["status"] = "pending"
    (out / "manifest.json").write_text(json.dumps(manifest))
    capsys.readouterr()
    assert _run(path, out, "--workers", "1") == 0
    assert capsys.readouterr().out.startswith(f"{N_RUNS} runs: 0 ok, 0 failed, 12 skipped")
    assert load_results(out).manifest["counts"]["ok"] == N_RUNS


def test_leftover_temporary_files_are_removed_on_start(fake_model, write_config, tmp_path):
    path = write_config(FAKE_CONFIG)
    out = tmp_path / "out"
    _run(path, out, "--workers", "1")
    leftovers = [
        out / "runs" / ".s=mlm__p=0000__r=000.parquet.x1.tmp",
        out / ".manifest.json.x2.tmp",
    ]
    for leftover in leftovers:
        leftover.write_bytes(b"half a file")
    assert _run(path, out, "--workers", "1") == 0
    assert not any(p.exists() for p in leftovers)


def test_a_different_config_is_refused_and_force_replaces(
    fake_model, write_config, tmp_path, capsys
):
    out = tmp_path / "out"
    _run(write_config(FAKE_CONFIG), out, "--workers", "1")
    before = _files(out)
    changed = write_config(FAKE_CONFIG.replace("count = 3", "count = 1"), name="changed.toml")
    capsys.readouterr()
    assert _run(changed, out, "--workers", "1") == 2
    err = capsys.readouterr().err
    assert "holds results of a different config" in err and "--force" in err
    assert len(err.splitlines()) == 1
    assert _files(out) == before
    assert _run(changed, out, "--workers", "1", "--force") == 0
    results = load_results(out)
    assert len(results.runs) == 4
    assert len(_files(out / "runs")) == 4
    assert results.manifest["config"]["replications"]["count"] == 1


def test_a_non_empty_folder_without_results_is_never_touched(
    fake_model, write_config, tmp_path, capsys
):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("precious")
    assert _run(write_config(FAKE_CONFIG), out, "--workers", "1", "--force") == 2
    assert "not a downline results folder" in capsys.readouterr().err
    assert _files(out) == ["notes.txt"]


def test_load_results_refuses_folders_that_are_not_results(tmp_path):
    with pytest.raises(NotAResultsFolder, match="not a downline results folder"):
        load_results(tmp_path)
    (tmp_path / "manifest.json").write_text('{"something": "else"}')
    with pytest.raises(NotAResultsFolder, match="not a downline results manifest"):
        load_results(tmp_path)
    (tmp_path / "manifest.json").write_text('{"kind": "downline-results", "format_version": 99}')
    with pytest.raises(NotAResultsFolder, match="format version 99"):
        load_results(tmp_path)


def test_atomic_write_leaves_nothing_behind_on_failure(tmp_path):
    def explode(handle):
        handle.write(b"partial")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(tmp_path / "x.parquet", explode)
    assert list(tmp_path.iterdir()) == []


def test_run_experiment_returns_a_summary(fake_model, write_config, tmp_path):
    cfg = load_config(write_config(FAKE_CONFIG))
    summary = run_experiment(cfg, tmp_path / "out", workers=1, quiet=True)
    assert (summary.total, summary.ok, summary.failed, summary.skipped) == (N_RUNS, N_RUNS, 0, 0)
    again = run_experiment(cfg, tmp_path / "out", workers=1, quiet=True)
    assert (again.ok, again.skipped) == (0, N_RUNS)
    assert again.line().startswith(f"{N_RUNS} runs: 0 ok, 0 failed, {N_RUNS} skipped in ")


def test_dask_backend_without_dask_is_refused_before_writing(
    fake_model, write_config, tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr("experiments.run.backends.find_spec", lambda name: None)
    out = tmp_path / "out"
    assert _run(write_config(FAKE_CONFIG), out, "--scheduler", "local") == 3
    assert (
        'the dask backend needs dask[distributed]: pip install "downline[dask]"'
        in capsys.readouterr().err
    )
    assert not out.exists()


def test_demo_prints_one_column_per_regime(fake_model, capsys):
    assert main(["demo", "--n-people", "100", "--months", "6", "--seed", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["metric", "unilevel", "referral"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[2:]}
    assert rows["gini_net"] == ["n/a", "n/a"]
    assert len(rows["success_rate"]) == 2
    assert len({len(line) for line in lines}) == 1


def test_demo_reports_a_bad_parameter(fake_model, capsys):
    assert main(["demo", "--n-people", "5"]) == 2
    assert "n_people" in capsys.readouterr().err


@pytest.mark.slow
def test_dask_scheduler_address(fake_model, write_config, tmp_path):
    distributed = pytest.importorskip("distributed")
    path = write_config(FAKE_CONFIG)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        address = cluster.scheduler_address
        assert _run(path, tmp_path / "remote", "--scheduler", address) == 0
    assert _run(path, tmp_path / "local", "--workers", "1") == 0
    remote, local = load_results(tmp_path / "remote"), load_results(tmp_path / "local")
    pd.testing.assert_frame_equal(remote.runs, local.runs)
    assert remote.manifest["sessions"][-1]["backend"] == f"dask ({address})"


def test_unreachable_scheduler_is_refused_before_writing(
    fake_model, write_config, tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr("experiments.run.backends.CONNECT_TIMEOUT_S", 1.0)
    out = tmp_path / "out"
    code = _run(write_config(FAKE_CONFIG), out, "--scheduler", "tcp://127.0.0.1:9")
    assert code == 3
    assert "--scheduler tcp://127.0.0.1:9: cannot connect" in capsys.readouterr().err
    assert not out.exists()


class _FakePool:
    """A pool whose in-flight items all finish at the next `wait`: the items before the
    first crashing one complete, the crashing one and those after it break the pool."""

    def __init__(self):
        self.pending = []
        self.broken = False

    def submit(self, fn, item):
        if self.broken:
            raise BrokenProcessPool("broken")
        future = Future()
        self.pending.append((future, item))
        return future

    def finish(self):
        for future, item in self.pending:
            self.broken |= item.startswith("crash")
            if self.broken:
                future.set_exception(BrokenProcessPool("a worker died"))
            else:
                future.set_result(item)
        self.pending.clear()

    def shutdown(self, wait=True, cancel_futures=False):
        pass


@pytest.fixture
def fake_pools(monkeypatch):
    """The process backend on `_FakePool`s, each wait finishing every pending item in order."""
    pools = []

    def new_pool(self):
        pools.append(_FakePool())
        return pools[-1]

    def finish(futures, return_when):
        pools[-1].finish()
        return SimpleNamespace(done=[f for f in futures if f.done()])

    monkeypatch.setattr(backends.ProcessBackend, "_new_pool", new_pool)
    monkeypatch.setattr(backends, "wait", finish)
    return pools


def test_runs_that_kill_their_worker_alone_do_not_stop_a_working_sweep(fake_pools):
    """The cause of the old intermittent failure of the dying-worker test: when the three
    crashing runs were in flight together, the pool broke once and each of their retries
    broke it again (4 breaks in a row), although a run had completed: the sweep stopped or
    not depending on the order of the retries. Here that order is forced."""
    items = ["ok-0", "crash-0", "crash-1", "crash-2", "ok-1", "ok-2"]
    with backends.ProcessBackend(workers=2) as backend:
        outcomes = dict(backend.imap_unordered(str, items))
    assert {k for k, v in outcomes.items() if v == k} == {"ok-0", "ok-1", "ok-2"}
    assert all(isinstance(outcomes[f"crash-{i}"], BrokenProcessPool) for i in range(3))


def test_a_sweep_where_no_run_completes_stops_after_four_breaks(fake_pools):
    with (
        pytest.raises(backends.BackendError, match="died 4 times in a row"),
        backends.ProcessBackend(workers=2) as backend,
    ):
        list(backend.imap_unordered(str, [f"crash-{i}" for i in range(20)]))
