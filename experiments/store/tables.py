"""A run's result and stored tables: its id columns, then its data, encoded as Parquet.

Encoding happens in the worker that ran the model, so the parent process only
writes finished bytes: its cost per run stays near one file write and an
fsync per table, however many workers feed it.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments.spec.runspec import RunSpec


@dataclass
class RunResult:
    """What a run sends back to the parent process.

    Attributes:
        run_id: the run's id.
        ok: whether the run completed.
        elapsed_s: wall time of the run in its worker (seconds).
        metrics: the model's run metrics (flat dict of plain Python numbers).
        tables: Parquet bytes by table kind (metrics, and monthly and
            participants when kept), ready to be written.
        error: `ExceptionType: message` when the run failed.
        traceback: the formatted traceback when the run failed.
    """

    run_id: str
    ok: bool
    elapsed_s: float
    metrics: dict[str, Any] | None = None
    tables: dict[str, bytes] | None = None
    error: str | None = None
    traceback: str | None = None

    @classmethod
    def failure(cls, run_id: str, err: BaseException, elapsed_s: float = 0.0) -> RunResult:
        """A failed result describing `err`."""
        return cls(
            run_id=run_id,
            ok=False,
            elapsed_s=elapsed_s,
            error=f"{type(err).__name__}: {err}",
            traceback="".join(traceback.format_exception(err)),
        )


ID_COLUMNS = ("run_id", "scenario", "point", "replication", "seed")


def run_columns(spec: RunSpec) -> dict[str, Any]:
    """The columns that identify a run in every stored table, design values included."""
    return {
        "run_id": spec.run_id,
        "scenario": spec.scenario,
        "point": spec.point,
        "replication": spec.replication,
        "seed": spec.seed,
        **spec.design_values,
    }


def with_ids(frame: pd.DataFrame, ids: dict[str, Any]) -> pd.DataFrame:
    """The table with the run's id columns in front."""
    front = pd.DataFrame({name: [value] * len(frame) for name, value in ids.items()})
    return pd.concat([front, frame.reset_index(drop=True)], axis=1)


def encode_parquet(frame: pd.DataFrame) -> bytes:
    """A DataFrame as Parquet bytes (pyarrow, pandas metadata kept, no index)."""
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), sink)
    return sink.getvalue().to_pybytes()


def encode_run_tables(
    spec: RunSpec,
    metrics: dict[str, Any],
    monthly: pd.DataFrame | None,
    participants: pd.DataFrame | None,
) -> dict[str, bytes]:
    """The Parquet files of one run, by table kind, with `metrics` last.

    Args:
        spec: the run.
        metrics: its run metrics.
        monthly: its monthly table with `month` as a column, or None.
        participants: its participant table, or None.

    Returns:
        Parquet bytes for `monthly` and `participants` (when given) and `metrics`.

    Raises:
        ValueError: when a metric or table column has the name of an id column, or a
            metric the name of a design column. A design column that shares its name with
            a monthly or participant column (a whole-table parameter such as `hours`) is
            left out of that table: the runs table has it, joined by run id.
    """
    ids = run_columns(spec)
    core = {name: ids[name] for name in ID_COLUMNS}
    tables = {"monthly": monthly, "participants": participants}
    tables = {kind: table for kind, table in tables.items() if table is not None}
    columns = {"metrics": list(metrics), **{kind: list(t.columns) for kind, t in tables.items()}}
    for kind, names in columns.items():
        clashes = sorted(set(names) & set(ids if kind == "metrics" else core))
        if clashes:
            raise ValueError(f"{kind} columns clash with run columns: {', '.join(clashes)}")
    encoded = {
        kind: encode_parquet(
            with_ids(table, {k: v for k, v in ids.items() if k in core or k not in table.columns})
        )
        for kind, table in tables.items()
    }
    encoded["metrics"] = encode_parquet(pd.DataFrame([{**ids, **metrics}]))
    return encoded
