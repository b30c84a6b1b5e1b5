"""Run files are written atomically where results are stored (`ResultsStore.save`).

A write that fails inside the store, at any point before the file is in
place, must leave the run's previous bytes as they were and no partial or
temporary file behind.
"""

from __future__ import annotations

import io
import os

import pandas as pd
import pytest

from experiments.spec.loader import load_config
from experiments.spec.runspec import expand_runs
from experiments.store import writer
from experiments.store.integrity import run_files
from experiments.store.tables import RunResult
from experiments.store.writer import ResultsStore
from tests.experiments.conftest import FAKE_CONFIG


def _parquet(values: list[float]) -> bytes:
    buffer = io.BytesIO()
    pd.DataFrame({"x": values}).to_parquet(buffer)
    return buffer.getvalue()


OLD, NEW = _parquet([1.0]), _parquet([2.0, 3.0, 4.0])


@pytest.fixture
def store(fake_model, write_config, tmp_path):
    cfg = load_config(write_config(FAKE_CONFIG))
    specs = expand_runs(cfg)
    opened = ResultsStore.open(tmp_path / "out", cfg, specs)
    yield opened, specs[0]
    opened.close()


def _result(spec, data: bytes) -> RunResult:
    return RunResult(run_id=spec.run_id, ok=True, elapsed_s=0.1, tables={"metrics": data})


def _files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_save_writes_the_tables_bytes(store):
    results, spec = store
    results.save(spec, _result(spec, OLD))
    path = results.root / run_files(spec.run_id, ["metrics"])["metrics"]
    assert path.read_bytes() == OLD


def _fail_in_replace(monkeypatch):
    def replace(src, dst):
        raise OSError("disk gone at rename")

    monkeypatch.setattr(writer.os, "replace", replace)


def _fail_in_fsync(monkeypatch):
    def fsync(fd):
        raise OSError("disk gone at fsync")

    monkeypatch.setattr(writer.os, "fsync", fsync)


def _fail_in_fdopen(monkeypatch):
    real = os.fdopen

    class Half:
        """A file that writes half of what it is given, then fails."""

        def __init__(self, handle):
            self.handle = handle

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            raise OSError("disk full mid-write")

        def __getattr__(self, name):
            return getattr(self.handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

    monkeypatch.setattr(writer.os, "fdopen", lambda fd, mode: Half(real(fd, mode)))


@pytest.mark.parametrize("fail", [_fail_in_replace, _fail_in_fsync, _fail_in_fdopen])
def test_a_failed_write_keeps_the_old_bytes_and_leaves_no_partial_file(store, monkeypatch, fail):
    results, spec = store
    results.save(spec, _result(spec, OLD))
    path = results.root / run_files(spec.run_id, ["metrics"])["metrics"]
    before = _files(results.root)
    fail(monkeypatch)
    with pytest.raises(OSError, match="disk"):
        results.save(spec, _result(spec, NEW))
    monkeypatch.undo()
    assert path.read_bytes() == OLD
    assert _files(results.root) == before  # no temporary or partial file
