"""A sweep killed with SIGKILL mid-way resumes to exactly the results of an uninterrupted sweep."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from experiments import load_results
from experiments.cli import main
from experiments.store.layout import is_temporary
from tests.experiments.fake_model import TARGET

ROOT = Path(__file__).resolve().parents[2]
# the CLI, with the code version fixed so that the test never calls git
CLI = (
    "import sys, experiments.store.provenance as p; p.code_version = lambda: 'test-version'; "
    "from experiments.cli import main; sys.exit(main(sys.argv[1:]))"
)
CONFIG = """
name = "kill"
months = 6
[model]
n_people = 100
sleep = 0.05
[scenarios.mlm]
plan = "unilevel"
[scenarios.referral]
plan = "referral"
[design]
kind = "grid"
[design.parameters.growth]
values = [0.1, 0.2, 0.3, 0.4, 0.5]
[replications]
count = 8
base_seed = 11
[outputs]
participants = true
"""
N_RUNS = 2 * 5 * 8


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX process groups")
def test_killed_sweep_resumes_to_the_uninterrupted_result(fake_model, write_config, tmp_path):
    path = write_config(CONFIG)
    out = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DOWNLINE_MODEL": TARGET}
    argv = [sys.executable, "-c", CLI, "run", str(path), "--out", str(out), "--workers", "2"]
    proc = subprocess.Popen(
        [*argv, "--quiet"],
        env=env,
        cwd=tmp_path,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    stored = 0
    while stored < 10 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
        runs = out / "runs"
        stored = len(list(runs.glob("*.parquet"))) if runs.is_dir() else 0
    os.killpg(proc.pid, signal.SIGKILL)  # the sweep and its worker processes
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()
    proc.stderr.close()
    stored_before = len(list((out / "runs").glob("*.parquet")))
    assert 10 <= stored_before < N_RUNS

    (out / "participants" / ".s=mlm__p=0000__r=000.parquet.dead.tmp").write_bytes(b"PAR1")
    assert main(["run", str(path), "--out", str(out), "--resume", "--workers", "2", "--quiet"]) == 0

    assert not [p for p in out.rglob("*") if is_temporary(p.name)]
    killed = load_results(out)
    assert len(killed.runs) == N_RUNS and killed.runs.run_id.is_unique
    assert killed.manifest["counts"]["ok"] == N_RUNS
    for folder in ("runs", "monthly", "participants"):
        assert len(list((out / folder).glob("*.parquet"))) == N_RUNS

    reference = tmp_path / "reference"
    assert main(["run", str(path), "--out", str(reference), "--workers", "2", "--quiet"]) == 0
    clean = load_results(reference)
    pd.testing.assert_frame_equal(killed.runs, clean.runs)
    pd.testing.assert_frame_equal(killed.monthly, clean.monthly)
    pd.testing.assert_frame_equal(killed.participants, clean.participants)
