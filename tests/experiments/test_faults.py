"""Fault injection: bad inputs and faults through the CLI and the Python API (issue 12).

Each case asserts the exit code, that the message is one line naming the
problem (never a traceback), that nothing was written or what was there is
intact, and, where a sweep is resumed, that its results equal those of an
uninterrupted sweep. `test_there_are_at_least_60_cases` counts the cases
(each test or parametrisation here is one).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from experiments import load_results, run_experiment
from experiments.cli import main
from experiments.spec.loader import load_config
from experiments.store import writer
from experiments.store.layout import NotAResultsFolder
from tests.experiments.conftest import FAKE_CONFIG
from tests.experiments.fake_model import TARGET

ROOT = Path(__file__).resolve().parents[2]
N_RUNS = 12
CLI = (
    "import sys, experiments.store.provenance as p; p.code_version = lambda: 'test-version'; "
    "from experiments.cli import main; sys.exit(main(sys.argv[1:]))"
)
# --- helpers ----------------------------------------------------------------------------


def cli(capsys, *argv: str) -> tuple[int, str, list[str]]:
    """Run the CLI in-process: exit code, stdout, stderr lines."""
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, [line for line in captured.err.splitlines() if line.strip()]


def one_error(err: list[str], *words: str) -> str:
    """The single error line, checked to name the problem and carry no traceback."""
    errors = [line for line in err if line.startswith("error:")]
    assert len(errors) == 1, err
    assert not any("Traceback" in line for line in err), err
    for word in words:
        assert word in errors[0], errors[0]
    return errors[0]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def config(tmp_path: Path, text: str, name: str = "exp.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def fake(**model: object) -> str:
    """FAKE_CONFIG with extra [model] keys."""
    extra = "".join(f"{k} = {json.dumps(v)}\n" for k, v in model.items())
    return FAKE_CONFIG.replace("[model]\n", f"[model]\n{extra}", 1)


def assert_same_results(a: Path, b: Path) -> None:
    ra, rb = load_results(a), load_results(b)
    pd.testing.assert_frame_equal(ra.runs, rb.runs)
    pd.testing.assert_frame_equal(ra.monthly, rb.monthly)
    pd.testing.assert_frame_equal(ra.participants, rb.participants)


@pytest.fixture
def reference(fake_model, tmp_path, capsys) -> Path:
    """An uninterrupted sweep of FAKE_CONFIG."""
    out = tmp_path / "reference"
    assert (
        cli(
            capsys,
            "run",
            config(tmp_path, FAKE_CONFIG, "ref.toml"),
            "--out",
            out,
            "--workers",
            "1",
            "--quiet",
        )[0]
        == 0
    )
    return out


@pytest.fixture
def stored(fake_model, tmp_path, capsys) -> tuple[Path, Path]:
    """(config path, results folder) of a finished sweep of FAKE_CONFIG."""
    path = config(tmp_path, FAKE_CONFIG)
    out = tmp_path / "out"
    assert cli(capsys, "run", path, "--out", out, "--workers", "1", "--quiet")[0] == 0
    return path, out


def resume(capsys, path: Path, out: Path) -> tuple[int, str, list[str]]:
    return cli(capsys, "run", path, "--out", out, "--workers", "1")


# --- bad configs: exit 2, one line naming the key, nothing written ----------------------


def _sampled(kind: str, n: int, low: float, high: float) -> str:
    """FAKE_CONFIG with a sampled design of n points over [low, high] instead of its grid."""
    return FAKE_CONFIG.replace('kind = "grid"', f'kind = "{kind}"\nn = {n}').replace(
        "values = [0.0, 100.0]", f"low = {low}\nhigh = {high}"
    )


BAD_CONFIGS = {
    "toml-syntax": ("name = \n", "not valid TOML"),
    "unknown-top-key": ("bogus = 1\n" + FAKE_CONFIG, "bogus: unknown key; allowed: name"),
    "unknown-model-parameter": (fake(colour=1), "model.colour: unknown parameter; allowed:"),
    "months-string": (FAKE_CONFIG.replace("months = 12", 'months = "12"'), "months"),
    "n-people-string": (
        FAKE_CONFIG.replace("n_people = 200", 'n_people = "500"'),
        "model.n_people",
    ),
    "n-people-bool": (FAKE_CONFIG.replace("n_people = 200", "n_people = true"), "model.n_people"),
    "name-trailing-newline": ('name = "x\\n"\n' + FAKE_CONFIG.split("\n", 2)[2], "name: must be"),
    "name-parent-folder": ('name = ".."\n' + FAKE_CONFIG.split("\n", 2)[2], "name: must be"),
    "scenario-name-space": (
        FAKE_CONFIG.replace("[scenarios.mlm]", '[scenarios."m l"]'),
        "scenarios.m l",
    ),
    "seed-over-64-bits": (
        FAKE_CONFIG.replace("count = 3\nbase_seed = 7", "seeds = [18446744073709551616]"),
        "replications.seeds: must be integers in [0, 9223372036854775807]",
    ),
    "seed-2-to-the-63": (
        FAKE_CONFIG.replace("count = 3\nbase_seed = 7", "seeds = [9223372036854775808]"),
        "replications.seeds",
    ),
    "seeds-duplicate": (
        FAKE_CONFIG.replace("count = 3\nbase_seed = 7", "seeds = [1, 1]"),
        "replications.seeds: must be distinct",
    ),
    "count-zero": (FAKE_CONFIG.replace("count = 3", "count = 0"), "replications.count"),
    "count-and-seeds": (
        FAKE_CONFIG.replace("count = 3", "count = 3\nseeds = [1, 2, 3]"),
        "either count or seeds",
    ),
    "design-kind-unknown": (FAKE_CONFIG.replace('kind = "grid"', 'kind = "magic"'), "design.kind"),
    "sobol-not-power-of-two": (
        _sampled("sobol", 3, 0.0, 1.0),
        "design.n: sobol needs a power of two",
    ),
    "lhs-low-above-high": (
        _sampled("lhs", 4, 5.0, 1.0),
        "high: must be > low",
    ),
    "sobol-2-to-the-30": (
        _sampled("sobol", 1073741824, 0.0, 1.0),
        "over the cap of 100,000; pass --max-runs",
    ),
    "lhs-1e8": (
        _sampled("lhs", 100000000, 0.0, 1.0),
        "over the cap",
    ),
    "grid-100-to-the-5": (
        FAKE_CONFIG.replace(
            '[design.parameters."plan_params.starter_fee"]\nvalues = [0.0, 100.0]',
            "\n".join(
                f'[design.parameters."plan_params.p{i}"]\nvalues = {list(range(100))}'
                for i in range(5)
            ),
        ),
        "10,000,000,000 points",
    ),
    "growth-out-of-range": (fake(growth=2.0), "model.growth"),
}


@pytest.mark.parametrize("text, words", list(BAD_CONFIGS.values()), ids=list(BAD_CONFIGS))
def test_bad_config_is_one_line_and_writes_nothing(
    fake_model, tmp_path, capsys, monkeypatch, text, words
):
    monkeypatch.chdir(tmp_path)
    path = config(tmp_path, text)
    for command in ("check", "run"):
        code, _out, err = (
            cli(capsys, command, path, "--workers", "1")
            if command == "run"
            else cli(capsys, command, path)
        )
        assert code == 2, (command, err)
        one_error(err, words)
    assert not (tmp_path / "results").exists()


def test_a_config_over_the_cap_runs_with_max_runs(fake_model, tmp_path, capsys):
    path = config(tmp_path, FAKE_CONFIG)
    code, _, err = cli(capsys, "check", path, "--max-runs", "5")
    assert code == 2
    one_error(err, "12 runs", "over the cap of 5")
    code, out, _ = cli(capsys, "check", path, "--max-runs", "12")
    assert code == 0 and "ok: 12 runs" in out


def test_missing_config_file(fake_model, tmp_path, capsys):
    code, _, err = cli(capsys, "run", tmp_path / "nope.toml")
    assert code == 2
    one_error(err, "file not found", "nope.toml")


def test_config_that_is_a_folder(fake_model, tmp_path, capsys):
    code, _, err = cli(capsys, "check", tmp_path)
    assert code == 2
    one_error(err, "file not found")


def test_unreadable_config(fake_model, tmp_path, capsys, monkeypatch):
    path = config(tmp_path, FAKE_CONFIG)
    real = Path.read_text

    def denied(self, *args, **kwargs):
        if self == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", denied)
    code, _, err = cli(capsys, "run", path, "--out", tmp_path / "out")
    assert code == 2
    one_error(err, "cannot read", "Permission denied")
    assert not (tmp_path / "out").exists()


def test_config_not_utf8(fake_model, tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_bytes(b'name = "\xff\xfe"\n')
    code, _, err = cli(capsys, "check", path)
    assert code == 2
    one_error(err, "not valid TOML")


def test_unknown_plan_parameter_lists_the_plan_parameters(tmp_path, capsys):
    path = config(
        tmp_path,
        'name = "x"\nmonths = 3\n[model]\nn_people = 50\nplan = "unilevel"\n'
        "plan_params = { bogus = 1 }\n",
    )
    code, _, err = cli(capsys, "check", path)
    assert code == 2
    line = one_error(err, "model.plan_params.bogus: unknown key; allowed:")
    assert "rates" in line and "starter_fee" in line


# --- suites ----------------------------------------------------------------------------

SUITE = """
name = "suite"
months = 6
[model]
n_people = 100
[parts.a.scenarios.mlm]
plan = "unilevel"
[parts.a.replications]
count = 2
[parts.b.scenarios.referral]
plan = "referral"
[parts.b.replications]
count = 2
"""


@pytest.mark.parametrize(
    "text, words",
    [
        (SUITE.replace("[parts.a.", '[parts."..".'), "parts...: part names must be"),
        (
            SUITE.replace(
                "[parts.a.replications]", '[parts.a]\nname = "x"\n[parts.a.replications]'
            ),
            "parts.a.name: not allowed",
        ),
        ("bogus = 1\n" + SUITE, "bogus: unknown key in a suite"),
        (SUITE.replace("[parts.a.", "[parts.a.b.", 1), "parts.a"),
    ],
    ids=["suite-part-dotdot", "suite-part-name-key", "suite-unknown-key", "suite-bad-part-table"],
)
def test_bad_suite_is_refused(fake_model, tmp_path, capsys, text, words):
    path = config(tmp_path, text, "suite.toml")
    code, _, err = cli(capsys, "run", path, "--out", tmp_path / "out", "--workers", "1")
    assert code == 2
    assert any(words in line for line in err), err
    assert not any("Traceback" in line for line in err)
    assert not (tmp_path / "out").exists() and not (tmp_path.parent / "results").exists()


def test_refused_suite_changes_nothing(fake_model, tmp_path, capsys):
    path = config(tmp_path, SUITE, "suite.toml")
    out = tmp_path / "out"
    assert cli(capsys, "run", path, "--out", out, "--workers", "1", "--quiet")[0] == 0
    changed = config(
        tmp_path,
        SUITE.replace("[parts.b.replications]\ncount = 2", "[parts.b.replications]\ncount = 3"),
        "suite.toml",
    )
    before = snapshot(out)
    code, _, err = cli(capsys, "run", changed, "--out", out, "--workers", "1")
    assert code == 2
    one_error(err, "b: holds results of a different config")
    assert snapshot(out) == before


def test_suite_shares_one_backend_between_parts(fake_model, tmp_path, capsys, monkeypatch):
    import experiments.run.suite as suite_module

    made = []
    real = suite_module.make_backend

    def counting(*args, **kwargs):
        made.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(suite_module, "make_backend", counting)
    path = config(tmp_path, SUITE, "suite.toml")
    assert cli(capsys, "run", path, "--out", tmp_path / "out", "--workers", "2", "--quiet")[0] == 0
    assert len(made) == 1


# --- command-line usage ---------------------------------------------------------------


@pytest.mark.parametrize(
    "argv, words",
    [
        (["frobnicate"], "invalid choice"),
        (["run", "x.toml", "--workers", "0"], "--workers: must be an integer >= 1"),
        (["run", "x.toml", "--workers", "many"], "--workers: must be an integer >= 1"),
        (["run", "x.toml", "--scheduler", "nowhere"], "--scheduler: must be 'local' or an address"),
        (["run", "x.toml", "--scheduler", "tcp://host:1\n"], "--scheduler"),
        (["run", "x.toml", "--resume", "--force"], "not allowed with argument"),
        (
            ["run", "x.toml", "--run-timeout", "-1"],
            "--run-timeout: must be a number of seconds > 0",
        ),
        (["app", "--port", "0"], "--port: must be an integer >= 1"),
        (["report"], "required"),
    ],
    ids=[
        "unknown-command",
        "workers-zero",
        "workers-not-a-number",
        "scheduler-not-an-address",
        "scheduler-trailing-newline",
        "resume-and-force",
        "run-timeout-negative",
        "app-port-zero",
        "report-without-folder",
    ],
)
def test_usage_errors(capsys, argv, words):
    code, out, err = cli(capsys, *argv)
    assert code == 2
    one_error(err, words)
    assert out == ""


def test_version(capsys):
    code, out, _ = cli(capsys, "--version")
    assert code == 0 and out.startswith("downline ")


def test_help_documents_the_exit_codes(capsys):
    code, out, _ = cli(capsys, "--help")
    assert code == 0
    for line in (
        "0    ok",
        "1    some runs failed",
        "2    bad input",
        "3    environment",
        "130  interrupted",
    ):
        assert line in out


def test_plans_lists_every_plan_with_its_parameters(capsys):
    from model.plans.registry import available_plans, plan_class

    code, out, _ = cli(capsys, "plans")
    assert code == 0
    for name in available_plans():
        assert f'plan = "{name}"' in out
        for param in plan_class(name).model_fields:
            assert f"  {param} = " in out


def test_default_output_is_under_the_working_directory(fake_model, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = config(tmp_path, FAKE_CONFIG)
    code, _out, _ = cli(capsys, "run", path, "--workers", "1", "--quiet")
    assert code == 0
    assert (tmp_path / "results" / "fake" / "manifest.json").is_file()
    assert len(load_results("results/fake").runs) == N_RUNS


def test_log_lines_when_not_on_a_terminal(fake_model, tmp_path, capsys, monkeypatch):
    import experiments.run.runner as runner

    monkeypatch.setattr(runner, "LOG_INTERVAL_S", 0.0)
    code, _, err = cli(
        capsys, "run", config(tmp_path, FAKE_CONFIG), "--out", tmp_path / "o", "--workers", "1"
    )
    assert code == 0
    progress = [line for line in err if line.startswith("fake: ") and "runs (" in line]
    assert progress and progress[-1].startswith(f"fake: {N_RUNS}/{N_RUNS} runs (100%), 0 failed")


# --- results folders -------------------------------------------------------------------


def test_out_is_a_file(fake_model, tmp_path, capsys):
    target = tmp_path / "file"
    target.write_text("keep")
    code, _, err = cli(
        capsys, "run", config(tmp_path, FAKE_CONFIG), "--out", target, "--workers", "1"
    )
    assert code == 2
    one_error(err, "exists and is not a folder")
    assert target.read_text() == "keep"


def test_out_is_someone_elses_folder(fake_model, tmp_path, capsys):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep")
    code, _, err = cli(
        capsys, "run", config(tmp_path, FAKE_CONFIG), "--out", target, "--workers", "1"
    )
    assert code == 2
    one_error(err, "not a downline results folder")
    assert snapshot(target) == {"notes.txt": b"keep"}


def test_different_config_is_refused(stored, tmp_path, capsys):
    _, out = stored
    before = snapshot(out)
    other = config(tmp_path, FAKE_CONFIG.replace("count = 3", "count = 2"), "other.toml")
    code, _, err = cli(capsys, "run", other, "--out", out, "--workers", "1")
    assert code == 2
    one_error(err, "different config", "--force")
    assert snapshot(out) == before


def test_force_with_the_same_config_keeps_the_results(stored, capsys):
    path, out = stored
    before = snapshot(out / "runs")
    code, out_text, err = cli(capsys, "run", path, "--out", out, "--workers", "1", "--force")
    assert code == 0
    assert any("same config; kept and resumed" in line for line in err)
    assert f"0 ok, 0 failed, {N_RUNS} skipped" in out_text
    assert snapshot(out / "runs") == before


def test_force_removes_the_old_analysis_charts_and_report(stored, tmp_path, capsys):
    _, out = stored
    assert cli(capsys, "report", out, "--resamples", "99")[0] == 0
    assert (out / "report.md").is_file() and (out / "charts").is_dir()
    other = config(tmp_path, FAKE_CONFIG.replace("count = 3", "count = 2"), "other.toml")
    assert cli(capsys, "run", other, "--out", out, "--workers", "1", "--force", "--quiet")[0] == 0
    for name in ("analysis", "charts", "report.md", "report.html"):
        assert not (out / name).exists(), name
    assert len(load_results(out).runs) == 8


def test_new_runs_remove_the_stale_report(stored, capsys):
    path, out = stored
    assert cli(capsys, "report", out, "--resamples", "99")[0] == 0
    (out / "runs" / "s=mlm__p=0000__r=000.parquet").unlink()
    assert cli(capsys, "run", path, "--out", out, "--workers", "1", "--quiet")[0] == 0
    assert not (out / "report.md").exists() and not (out / "analysis").exists()


def _damage(folder: Path, how: str) -> None:
    target = folder / "runs" / "s=mlm__p=0001__r=002.parquet"
    if how == "truncated":
        target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
    elif how == "zero-bytes":
        target.write_bytes(b"")
    elif how == "deleted":
        target.unlink()
    elif how == "bit-flip":
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 0xFF
        target.write_bytes(bytes(data))
    elif how == "participants-truncated":
        other = folder / "participants" / "s=referral__p=0000__r=001.parquet"
        other.write_bytes(other.read_bytes()[:-10])
    elif how == "monthly-deleted":
        (folder / "monthly" / "s=referral__p=0000__r=001.parquet").unlink()
    elif how == "swapped":
        a = folder / "runs" / "s=mlm__p=0000__r=000.parquet"
        b = folder / "runs" / "s=mlm__p=0000__r=001.parquet"
        data = a.read_bytes()
        a.write_bytes(b.read_bytes())
        b.write_bytes(data)


DAMAGE = [
    "truncated",
    "zero-bytes",
    "deleted",
    "bit-flip",
    "participants-truncated",
    "monthly-deleted",
    "swapped",
]


@pytest.mark.parametrize("how", DAMAGE, ids=[f"damaged-{how}" for how in DAMAGE])
def test_damaged_files_are_detected_everywhere_and_resume_repairs_them(
    stored, reference, capsys, how
):
    path, out = stored
    _damage(out, how)
    with pytest.raises(NotAResultsFolder, match="rerun the same config"):
        load_results(out)
    code, _, err = cli(capsys, "verify", out)
    assert code == 1
    assert any(line.startswith(f"error: {out}: run s=") for line in err), err
    assert "downline repair" in err[-1] and not any("Traceback" in line for line in err)
    code, text, err = resume(capsys, path, out)
    assert code == 0
    assert any(
        "missing or corrupt files" in line and "running them again" in line for line in err
    ), err
    assert "skipped" in text
    assert_same_results(out, reference)
    assert cli(capsys, "verify", out)[0] == 0


def test_stray_file_is_ignored_and_reported(stored, reference, capsys):
    _, out = stored
    shutil.copy(out / "runs" / "s=mlm__p=0000__r=000.parquet", out / "runs" / "copy.parquet")
    assert load_results(out).runs.run_id.is_unique
    assert_same_results(out, reference)
    code, _, err = cli(capsys, "verify", out)
    assert code == 1
    assert any("runs/copy.parquet: not listed in the manifest (stray)" in line for line in err)


def test_verify_clean_folder(stored, capsys):
    _, out = stored
    code, text, err = cli(capsys, "verify", out)
    assert code == 0 and f"ok: {out}: {N_RUNS} runs verified" in text and err == []


def test_manifest_records_checksums_and_rows(stored):
    import hashlib

    _, out = stored
    manifest = json.loads((out / "manifest.json").read_text())
    for _run_id, entry in manifest["runs"].items():
        assert set(entry["files"]) == {"metrics", "monthly", "participants"}
        for _kind, record in entry["files"].items():
            data = (out / record["path"]).read_bytes()
            assert record["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["files"]["metrics"]["rows"] == 1
        assert entry["files"]["monthly"]["rows"] == 12


@pytest.mark.parametrize(
    "damage",
    ["truncated", "runs-list", "not-json", "wrong-kind"],
    ids=["manifest-truncated", "manifest-runs-list", "manifest-not-json", "manifest-wrong-kind"],
)
def test_damaged_manifest_is_refused_then_repaired(stored, reference, capsys, damage):
    path, out = stored
    manifest = out / "manifest.json"
    text = manifest.read_text()
    if damage == "truncated":
        manifest.write_text(text[: len(text) // 2])
    elif damage == "runs-list":
        data = json.loads(text)
        data["runs"] = []
        manifest.write_text(json.dumps(data))
    elif damage == "not-json":
        manifest.write_text("\x00\x01")
    else:
        manifest.write_text(json.dumps({"kind": "something-else"}))
    before = snapshot(out)
    code, _, err = resume(capsys, path, out)
    assert code == 2
    one_error(err, "repair")
    assert snapshot(out) == before
    if damage == "runs-list":
        code, text_out, _ = cli(capsys, "repair", out)
    else:
        code, _, err = cli(capsys, "repair", out)
        assert code == 2
        one_error(err, "--config")
        code, text_out, _ = cli(capsys, "repair", out, "--config", path)
    assert code == 0 and f"{N_RUNS} runs intact" in text_out
    assert cli(capsys, "verify", out)[0] == 0
    code, text_out, _ = resume(capsys, path, out)
    assert code == 0 and f"{N_RUNS} skipped" in text_out
    assert_same_results(out, reference)


def test_force_replaces_a_damaged_manifest(stored, reference, capsys):
    path, out = stored
    (out / "manifest.json").write_text("{")
    assert cli(capsys, "run", path, "--out", out, "--workers", "1", "--force", "--quiet")[0] == 0
    assert_same_results(out, reference)


def test_repair_keeps_intact_runs_and_drops_corrupt_ones(stored, reference, capsys):
    path, out = stored
    _damage(out, "bit-flip")
    code, text, _ = cli(capsys, "repair", out)
    assert code == 0 and f"{N_RUNS - 1} runs intact, 1 to run again" in text
    assert not (out / "runs" / "s=mlm__p=0001__r=002.parquet").exists()
    assert len(load_results(out).runs) == N_RUNS - 1
    assert resume(capsys, path, out)[0] == 0
    assert_same_results(out, reference)


def test_repair_of_a_config_that_is_not_the_folders(stored, tmp_path, capsys):
    _, out = stored
    before = snapshot(out)
    other = config(tmp_path, FAKE_CONFIG.replace("count = 3", "count = 2"), "other.toml")
    code, _, err = cli(capsys, "repair", out, "--config", other)
    assert code == 2
    one_error(err, "different config")
    assert snapshot(out) == before


@pytest.mark.parametrize(
    "command",
    ["verify", "repair", "report", "charts"],
    ids=[f"{c}-not-results" for c in ("verify", "repair", "report", "charts")],
)
def test_commands_on_a_folder_that_is_not_results(tmp_path, capsys, command):
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "x.txt").write_text("keep")
    code, _, err = cli(capsys, command, folder)
    assert code == 2
    one_error(err, "not a downline results")
    assert snapshot(folder) == {"x.txt": b"keep"}


def test_locked_folder(stored, capsys):
    import fcntl

    path, out = stored
    fd = os.open(out / ".lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        code, _, err = resume(capsys, path, out)
    finally:
        os.close(fd)
    assert code == 2
    one_error(err, "another downline run is writing")


def test_full_disk_mid_sweep_is_exit_3_and_resumes(
    fake_model, reference, tmp_path, capsys, monkeypatch
):
    real = writer.atomic_write
    writes = []

    def filling(path, write):
        writes.append(path)
        if len(writes) > 10 and path.suffix == ".parquet":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, write)

    monkeypatch.setattr(writer, "atomic_write", filling)
    path = config(tmp_path, FAKE_CONFIG)
    out = tmp_path / "out"
    code, _, err = cli(capsys, "run", path, "--out", out, "--workers", "1", "--quiet")
    assert code == 3
    one_error(err, "No space left on device")
    assert not [p for p in out.rglob("*.tmp")]
    monkeypatch.setattr(writer, "atomic_write", real)
    assert resume(capsys, path, out)[0] == 0
    assert_same_results(out, reference)


def test_read_only_folder_is_exit_3(fake_model, tmp_path, capsys, monkeypatch):

    def read_only(self, *args, **kwargs):
        raise PermissionError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "mkdir", read_only)
    code, _, err = cli(
        capsys, "run", config(tmp_path, FAKE_CONFIG), "--out", tmp_path / "ro", "--workers", "1"
    )
    assert code == 3
    one_error(err, "Read-only file system")


def test_debug_shows_the_traceback(fake_model, tmp_path, capsys, monkeypatch):

    def read_only(self, *args, **kwargs):
        raise PermissionError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "mkdir", read_only)
    code = main(
        [
            "--debug",
            "run",
            str(config(tmp_path, FAKE_CONFIG)),
            "--out",
            str(tmp_path / "ro"),
            "--workers",
            "1",
        ]
    )
    err = capsys.readouterr().err
    assert code == 3 and "Traceback" in err and "error: " in err


# --- runs that fail ----------------------------------------------------------------------


def test_failing_runs_are_exit_1_and_rerun(fake_model, tmp_path, capsys):
    path = config(tmp_path, fake(fail=True))
    code, _, err = cli(capsys, "run", path, "--out", tmp_path / "out", "--workers", "1", "--quiet")
    assert code == 1
    failed = [line for line in err if line.startswith("failed ")]
    assert len(failed) == N_RUNS and all(
        "RuntimeError: fake model failure" in line for line in failed
    )
    assert not any("Traceback" in line for line in err)


def test_crashing_worker_is_a_failed_run(fake_model, tmp_path, capsys):
    text = FAKE_CONFIG.replace("[scenarios.mlm]\n", "[scenarios.mlm]\ncrash = true\n")
    text = text.replace("count = 3", "count = 1")
    code, _, err = cli(
        capsys,
        "run",
        config(tmp_path, text),
        "--out",
        tmp_path / "out",
        "--workers",
        "2",
        "--quiet",
    )
    assert code == 1
    assert any("worker process died" in line for line in err)
    assert list(load_results(tmp_path / "out").runs.scenario.unique()) == ["referral"]


def test_run_that_raises_a_base_exception_in_process(fake_model, tmp_path, capsys, monkeypatch):
    import experiments.run.runner as runner

    def explode(spec):
        raise RecursionError("deep") if spec.point else GeneratorExit("odd")

    monkeypatch.setattr(runner, "execute_run", explode)
    code, _, err = cli(
        capsys,
        "run",
        config(tmp_path, FAKE_CONFIG),
        "--out",
        tmp_path / "out",
        "--workers",
        "1",
        "--quiet",
    )
    assert code == 1
    assert not any("Traceback" in line for line in err)


def test_model_not_importable_is_exit_3(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DOWNLINE_MODEL", "no_such_module:Model")
    code, _, err = cli(
        capsys, "run", config(tmp_path, FAKE_CONFIG), "--out", tmp_path / "out", "--workers", "1"
    )
    assert code == 3
    one_error(err, "cannot import the model")
    assert not (tmp_path / "out").exists()


def test_whole_table_design_parameter_with_participants(fake_model, tmp_path, capsys):
    text = FAKE_CONFIG.replace(
        '[design.parameters."plan_params.starter_fee"]\nvalues = [0.0, 100.0]',
        "[design.parameters.hours]\nvalues = [{ mean = 5.0 }, { mean = 20.0 }]",
    )
    assert cli(capsys, "check", config(tmp_path, text))[0] == 0
    code, _, err = cli(
        capsys,
        "run",
        config(tmp_path, text),
        "--out",
        tmp_path / "out",
        "--workers",
        "1",
        "--quiet",
    )
    assert code == 0, err
    results = load_results(tmp_path / "out")
    assert len(results.runs) == N_RUNS
    by_point = results.participants.groupby("point").hours.unique()
    assert [list(v) for v in by_point] == [[5.0], [20.0]]


def test_python_api_refuses_a_bad_config_before_running(fake_model, tmp_path):
    from experiments import ConfigError

    path = config(tmp_path, FAKE_CONFIG.replace("count = 3", "count = -1"))
    with pytest.raises(ConfigError, match=r"replications\.count"):
        load_config(path)


def test_python_api_run_and_load(fake_model, reference, tmp_path):
    cfg = load_config(config(tmp_path, FAKE_CONFIG))
    summary = run_experiment(cfg, tmp_path / "api", workers=1, quiet=True)
    assert summary.ok == N_RUNS and summary.failed == 0
    assert_same_results(tmp_path / "api", reference)


# --- reports of any folder --------------------------------------------------------------


def test_report_of_a_users_grid(stored, capsys):
    _, out = stored
    code, _text, err = cli(capsys, "report", out, "--resamples", "99")
    assert code == 0, err
    report = (out / "report.md").read_text()
    assert "Income disclosure" in report and "over $100k" in report
    assert "Response to the design parameters" in report
    assert (out / "report.html").read_text().count("<img") >= 4
    disclosure = pd.read_csv(out / "analysis" / "disclosure.csv")
    participants = load_results(out).participants
    for scenario, group in disclosure.groupby("scenario"):
        assert group.participants.sum() == (participants.scenario == scenario).sum()
        assert group.share.sum() == pytest.approx(1.0)
    sources = json.loads((out / "analysis" / "sources.json").read_text())
    assert sources["results"]["runs"] == N_RUNS


def test_charts_of_a_users_grid(stored, capsys):
    _, out = stored
    code, _text, _ = cli(capsys, "charts", out, "--format", "svg")
    assert code == 0
    assert (out / "charts" / "success_and_loss_rates.svg").is_file()
    assert (out / "charts" / "sources.json").is_file()


def test_report_with_pending_runs_warns(stored, capsys):
    _, out = stored
    data = json.loads((out / "manifest.json").read_text())
    first = next(iter(data["runs"]))
    data["runs"][first] = {"status": "pending", "seed": 1}
    data["counts"]["pending"] = 1
    (out / "manifest.json").write_text(json.dumps(data))
    code, _, err = cli(capsys, "report", out, "--resamples", "99")
    assert code == 0
    assert any(line.startswith("warning:") and "1 not run" in line for line in err)
    assert "not every run is stored" in (out / "report.md").read_text()


def test_report_of_an_empty_results_folder(fake_model, tmp_path, capsys):
    path = config(tmp_path, fake(fail=True))
    out = tmp_path / "out"
    cli(capsys, "run", path, "--out", out, "--workers", "1", "--quiet")
    code, _, err = cli(capsys, "report", out)
    assert code == 2
    one_error(err, "no stored runs")
    assert not (out / "report.md").exists()


# --- Dask -------------------------------------------------------------------------------


def _server(mode: str) -> tuple[socket.socket, str]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)

    def serve() -> None:
        held = []
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            held.append(conn)
            if mode == "garbage":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello" * 10)

    threading.Thread(target=serve, daemon=True).start()
    return server, f"tcp://127.0.0.1:{server.getsockname()[1]}"


@pytest.mark.parametrize(
    "mode, words",
    [("silent", "no Dask handshake within"), ("garbage", "does not speak the Dask protocol")],
    ids=["dask-silent-server", "dask-other-protocol"],
)
def test_dask_scheduler_that_does_not_answer(
    fake_model, tmp_path, capsys, monkeypatch, mode, words
):
    pytest.importorskip("distributed")
    monkeypatch.setattr("experiments.run.backends.CONNECT_TIMEOUT_S", 2.0)
    server, address = _server(mode)
    try:
        start = time.monotonic()
        code, _, err = cli(
            capsys,
            "run",
            config(tmp_path, FAKE_CONFIG),
            "--out",
            tmp_path / "out",
            "--scheduler",
            address,
        )
    finally:
        server.close()
    assert time.monotonic() - start < 30
    assert code == 3
    one_error(err, words)
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_dask_run_timeout_fails_slow_runs(fake_model, tmp_path, capsys):
    pytest.importorskip("distributed")
    text = FAKE_CONFIG.replace("count = 3", "count = 1").replace(
        "[scenarios.mlm]\n", "[scenarios.mlm]\nsleep = 60.0\n"
    )
    code, _, err = cli(
        capsys,
        "run",
        config(tmp_path, text),
        "--out",
        tmp_path / "out",
        "--scheduler",
        "local",
        "--workers",
        "2",
        "--run-timeout",
        "5",
        "--quiet",
    )
    assert code == 1, err
    failed = [line for line in err if line.startswith("failed ")]
    assert len(failed) == 2 and all("TimeoutError: the run took over 5s" in line for line in failed)


# --- signals ----------------------------------------------------------------------------

SLOW = FAKE_CONFIG.replace("[model]\n", "[model]\nsleep = 0.3\n", 1)


def _start(path: Path, out: Path, tmp_path: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DOWNLINE_MODEL": TARGET}
    return subprocess.Popen(
        [sys.executable, "-c", CLI, "run", str(path), "--out", str(out), "--workers", "2"],
        env=env,
        cwd=tmp_path,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True)
    return not state.stdout.strip().startswith("Z")


def _wait_for_runs(out: Path, proc: subprocess.Popen, count: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        runs = out / "runs"
        if runs.is_dir() and len(list(runs.glob("*.parquet"))) >= count:
            return
        time.sleep(0.02)
    raise AssertionError("the sweep did not store runs in time")


def _still_alive(pids: list[int], seconds: float = 10.0) -> list[int]:
    """The pids still alive after up to `seconds` (a loaded machine reaps them slowly)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and [pid for pid in pids if _alive(pid)]:
        time.sleep(0.1)
    return [pid for pid in pids if _alive(pid)]


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="uses ps and Linux process handling")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "sigint"])
def test_signal_marks_interrupted_ends_workers_and_resumes(fake_model, tmp_path, capsys, sig):
    path = config(tmp_path, SLOW)
    out = tmp_path / "out"
    proc = _start(path, out, tmp_path)
    _wait_for_runs(out, proc, 2)
    workers = _children(proc.pid)
    os.kill(proc.pid, sig)
    assert proc.wait(timeout=30) == 130
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert "Traceback" not in err and "interrupted: rerun the same command to resume" in err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    assert not _still_alive(workers)
    assert cli(capsys, "run", path, "--out", out, "--workers", "2", "--quiet")[0] == 0
    clean = tmp_path / "clean"
    assert cli(capsys, "run", path, "--out", clean, "--workers", "2", "--quiet")[0] == 0
    assert_same_results(out, clean)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="uses ps and Linux process handling")
def test_sigkill_of_the_parent_ends_its_workers(fake_model, tmp_path, capsys):
    path = config(tmp_path, SLOW)
    out = tmp_path / "out"
    proc = _start(path, out, tmp_path)
    _wait_for_runs(out, proc, 2)
    workers = _children(proc.pid)
    assert workers
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stderr.close()
    assert not _still_alive(workers)


def test_there_are_at_least_60_cases(request):
    here = request.node.path
    cases = {item.name for item in request.session.items if item.path == here}
    cases.discard(request.node.name)
    assert len(cases) >= 60, len(cases)


def test_claims_charts_refuse_an_analysis_of_runs_that_changed(tmp_path, capsys):
    from experiments.paths import SAMPLES_DIR

    suite = tmp_path / "claims_small"
    shutil.copytree(SAMPLES_DIR / "claims_small", suite)
    manifest = suite / "depth" / "manifest.json"
    data = json.loads(manifest.read_text())
    first = next(r for r, e in data["runs"].items() if e["status"] == "ok")
    data["runs"][first] = {"status": "pending", "seed": data["runs"][first]["seed"]}
    data["counts"] = {**data["counts"], "ok": data["counts"]["ok"] - 1, "pending": 1}
    manifest.write_text(json.dumps(data))
    before = snapshot(suite / "charts")
    code, _, err = cli(capsys, "charts", suite)
    assert code == 2
    one_error(err, "part depth is not finished", first)
    assert snapshot(suite / "charts") == before


def test_unknown_key_of_a_nested_model_table_lists_its_keys(tmp_path, capsys):
    path = config(
        tmp_path,
        'name = "x"\nmonths = 3\n[model]\nn_people = 50\n'
        'hours = { kind = "constant", mean = 5.0, bogus = 1 }\n',
    )
    from model.params import ModelParams

    keys = ", ".join(ModelParams.model_fields["hours"].annotation.model_fields)
    code, _, err = cli(capsys, "check", path)
    assert code == 2
    one_error(err, f"model.hours.bogus: unknown key; allowed: {keys}")


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX process groups")
def test_ctrl_c_of_a_dask_sweep_is_one_line(fake_model, tmp_path):
    pytest.importorskip("distributed")
    path = config(tmp_path, FAKE_CONFIG.replace("[model]\n", "[model]\nsleep = 2.0\n", 1))
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DOWNLINE_MODEL": TARGET}
    argv = ["run", str(path), "--out", str(out), "--scheduler", "local", "--workers", "2"]
    proc = subprocess.Popen(
        [sys.executable, "-c", CLI, *argv],
        env=env,
        cwd=tmp_path,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _wait_for_runs(out, proc, 1)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    text = err.decode()
    assert "Traceback" not in text, text
    assert text.splitlines()[-1].startswith("interrupted: rerun the same command to resume")
    assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted"


def test_report_of_a_suite_that_is_not_the_claims_suite(fake_model, tmp_path, capsys):
    path = config(tmp_path, SUITE, "suite.toml")
    out = tmp_path / "out"
    assert cli(capsys, "run", path, "--out", out, "--workers", "1", "--quiet")[0] == 0
    code, _, err = cli(capsys, "report", out, "--resamples", "99")
    assert code == 0, err
    text = (out / "report.md").read_text()
    assert "## suite.a" in text and "## suite.b" in text
    assert (out / "analysis" / "a_summary.csv").is_file()
    assert (out / "analysis" / "b_summary.csv").is_file()
    assert not (out / "analysis" / "b_disclosure.csv").exists()  # participants not kept
    assert sorted(json.loads((out / "analysis" / "sources.json").read_text())) == ["a", "b"]


def test_a_folder_written_before_checksums_loads_and_repair_adds_them(tmp_path, capsys):
    from experiments.paths import SAMPLES_DIR

    part = tmp_path / "depth"
    shutil.copytree(SAMPLES_DIR / "claims_small" / "depth", part)
    manifest = json.loads((part / "manifest.json").read_text())
    for entry in manifest["runs"].values():  # as written before checksums were recorded
        entry.pop("files", None)
    (part / "manifest.json").write_text(json.dumps(manifest))
    before = load_results(part)
    code, text, _ = cli(capsys, "verify", part)
    assert code == 0 and f"{len(before.runs)} without checksums" in text
    assert cli(capsys, "repair", part)[0] == 0
    code, text, _ = cli(capsys, "verify", part)
    assert code == 0 and f"{len(before.runs)} runs verified" in text
    after = load_results(part)
    pd.testing.assert_frame_equal(before.runs, after.runs)
    pd.testing.assert_frame_equal(before.participants, after.participants)


def test_claims_report_warns_about_failed_runs(tmp_path, capsys):
    from experiments.paths import SAMPLES_DIR

    suite = tmp_path / "claims_small"
    shutil.copytree(SAMPLES_DIR / "claims_small", suite)
    manifest = suite / "training" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["counts"]["failed"] = 2
    manifest.write_text(json.dumps(data))
    code, _, err = cli(capsys, "report", suite, "--resamples", "99")
    assert code == 0
    assert any(line.startswith("warning: part training: 2 runs failed") for line in err), err
