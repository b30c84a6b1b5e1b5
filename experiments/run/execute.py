"""One run, in whatever process a backend puts it: build the model, run it, collect its tables.

`execute_run` is a top-level function of plain picklable inputs and outputs,
so every backend (in-process, process pool with spawn, Dask workers) can
call it. It sends back the run's metrics and its tables already encoded as
Parquet (see `experiments.store.tables`), so the parent only writes bytes. It never
raises for a problem in the model: the exception and its traceback come back
in the result, and the sweep goes on.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd

from experiments.spec.modelref import load_model_class
from experiments.spec.runspec import RunSpec
from experiments.store.tables import RunResult, encode_run_tables


def execute_run(spec: RunSpec, model_factory: Any = None) -> RunResult:
    """Run one model and collect what the experiment keeps.

    Args:
        spec: the run.
        model_factory: the model class (default: `experiments.spec.modelref.load_model_class()`,
            i.e. `model.MarketModel`).

    Returns:
        The result; failures (including a broken accounting identity, checked
        with the model's `check_invariants` after the run) are returned, not raised.
    """
    start = time.perf_counter()
    try:
        factory = model_factory if model_factory is not None else load_model_class()
        model = factory(rng=spec.seed, **spec.params)
        model.run(spec.months)
        check = getattr(model, "check_invariants", None)
        if check is not None:
            check()  # a broken accounting identity fails the run, with its message
        metrics = {name: _plain(value) for name, value in model.run_metrics().items()}
        monthly = _flat(model.monthly_table()) if spec.keep_monthly else None
        participants = _flat(model.participant_table()) if spec.keep_participants else None
        tables = encode_run_tables(spec, metrics, monthly, participants)
        return RunResult(
            run_id=spec.run_id,
            ok=True,
            elapsed_s=time.perf_counter() - start,
            metrics=metrics,
            tables=tables,
        )
    except Exception as err:
        return RunResult.failure(spec.run_id, err, time.perf_counter() - start)


def _plain(value: Any) -> Any:
    """Numpy scalars as Python numbers, so metrics pickle small and store with plain types."""
    return value.item() if isinstance(value, np.generic) else value


def _flat(table: pd.DataFrame) -> pd.DataFrame:
    """The table with a named index (such as `month`) turned into a column."""
    named = [name for name in table.index.names if name is not None]
    if named and not set(named) & set(table.columns):
        return table.reset_index()
    return table.reset_index(drop=True)
