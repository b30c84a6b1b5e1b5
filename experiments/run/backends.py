"""Where runs execute: in-process, a local process pool, or a Dask cluster.

Every backend is a context manager with one method, `imap_unordered(fn, items)`,
which yields `(item, outcome)` pairs in completion order: `outcome` is
`fn(item)` or the exception that kept the backend from computing it (a
worker process that died, for instance). The parent hands out items one at a
time and keeps at most two per worker in flight, so results stream back as
they complete and memory stays flat on long sweeps.

- `SerialBackend`: in the calling process (`--workers 1`), no pool.
- `ProcessBackend`: `concurrent.futures.ProcessPoolExecutor` with the spawn
  start method (the same behaviour on every platform; workers import
  `experiments` afresh). If a worker dies, a new pool takes over and the runs
  that were in flight are tried once more, one at a time; a run that kills its
  worker twice is reported as failed.
- `DaskBackend`: a `distributed.Client` on a scheduler address, or on a
  `LocalCluster` of single-threaded worker processes (`--scheduler local`).
  Optional dependency `dask[distributed]`.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from importlib.util import find_spec
from typing import Any, Protocol

DASK_MISSING = 'the dask backend needs dask[distributed]: pip install "downline[dask]"'
IN_FLIGHT_PER_WORKER = 2
CONNECT_TIMEOUT = "30s"
WORKER_DIED = "the worker process died running this run, twice (killed, out of memory or crashed)"
MAX_BREAKS_IN_A_ROW = 3
_END = object()

Outcome = tuple[Any, Any]


class BackendError(RuntimeError):
    """A backend that cannot be used (missing dependency, unreachable scheduler)."""


class Backend(Protocol):
    """What the runner needs from a backend."""

    description: str

    def __enter__(self) -> Backend: ...

    def __exit__(self, *exc: object) -> None: ...

    def imap_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Outcome]:
        """Yield `(item, fn(item) or exception)` in completion order."""
        ...


def make_backend(workers: int, scheduler: str | None = None) -> Backend:
    """The backend for `--workers` and `--scheduler`.

    Args:
        workers: worker processes (1: in-process); for `--scheduler local`, the
            LocalCluster's workers; ignored for a remote scheduler.
        scheduler: None (local processes), "local" or a Dask scheduler address.

    Returns:
        A backend, not started yet (use it as a context manager).

    Raises:
        BackendError: when Dask is asked for but not installed.
    """
    if scheduler is not None:
        if find_spec("distributed") is None:
            raise BackendError(DASK_MISSING)
        return DaskBackend(scheduler, workers)
    if workers == 1:
        return SerialBackend()
    return ProcessBackend(workers)


class SerialBackend:
    """Runs items one after the other in the calling process."""

    description = "in-process (1 worker)"

    def __enter__(self) -> SerialBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def imap_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Outcome]:
        """Yield `(item, fn(item))` in order."""
        for item in items:
            yield item, fn(item)


class ProcessBackend:
    """A spawn-based local process pool; replaces the pool when a worker dies."""

    def __init__(self, workers: int):
        self.workers = workers
        self.description = f"local processes ({workers} workers)"
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> ProcessBackend:
        self._pool = self._new_pool()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _new_pool(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=context)

    def imap_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Outcome]:
        """Yield `(item, fn(item) or exception)` in completion order.

        When a worker dies, every item in flight in the pool fails with it. Each is
        tried once more, alone, so an item that kills its worker twice is reported
        (as `BrokenProcessPool`) and the others complete.

        Raises:
            BackendError: when pools keep breaking without completing any item.
        """
        todo = iter(items)
        fresh: deque[Any] = deque()  # handed out once but never started (pool broke first)
        retry: deque[Any] = deque()  # in flight when a worker died: tried again, alone
        running: dict[Future[Any], tuple[Any, bool]] = {}  # future -> (item, is a retry)
        limit = IN_FLIGHT_PER_WORKER * self.workers
        breaks_in_a_row = 0
        while True:
            broken = False
            while not broken and not any(again for _, again in running.values()):
                if retry and running:
                    break
                if retry:
                    item, again = retry.popleft(), True
                elif len(running) < limit and (item := _next(fresh, todo)) is not _END:
                    again = False
                else:
                    break
                try:
                    running[self._pool_or_fail().submit(fn, item)] = (item, again)
                except BrokenProcessPool:
                    (retry if again else fresh).appendleft(item)
                    broken = True
            if not running and not broken:
                return
            done = wait(running, return_when=FIRST_COMPLETED).done if running else set()
            for future in done:
                item, again = running.pop(future)
                err = future.exception()
                if isinstance(err, BrokenProcessPool):
                    broken = True
                    if not again:
                        retry.append(item)
                        continue
                    err = BrokenProcessPool(WORKER_DIED)
                else:
                    breaks_in_a_row = 0
                yield item, err if err is not None else future.result()
            if broken:
                breaks_in_a_row += 1
                if breaks_in_a_row > MAX_BREAKS_IN_A_ROW:
                    raise BackendError(
                        f"worker processes died {breaks_in_a_row} times in a row without "
                        "completing a run; is the model importable in a fresh process?"
                    )
                for item, again in running.values():
                    if again:
                        yield item, BrokenProcessPool(WORKER_DIED)
                    else:
                        retry.append(item)
                running.clear()
                self._pool_or_fail().shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()

    def _pool_or_fail(self) -> ProcessPoolExecutor:
        if self._pool is None:
            raise RuntimeError("use the backend as a context manager")
        return self._pool


def _next(fresh: deque[Any], todo: Iterator[Any]) -> Any:
    return fresh.popleft() if fresh else next(todo, _END)


class DaskBackend:
    """A Dask distributed client on a remote scheduler or a LocalCluster."""

    def __init__(self, scheduler: str, workers: int):
        self.scheduler = scheduler
        self.workers = workers
        where = f"{workers} local workers" if scheduler == "local" else scheduler
        self.description = f"dask ({where})"
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> DaskBackend:
        from distributed import Client, LocalCluster

        try:
            if self.scheduler == "local":
                self._cluster = LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self._client = Client(self._cluster)
            else:
                self._client = Client(self.scheduler, timeout=CONNECT_TIMEOUT)
        except OSError as err:
            self.__exit__()
            raise BackendError(f"--scheduler {self.scheduler}: cannot connect: {err}") from err
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def imap_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Outcome]:
        """Yield `(item, fn(item) or exception)` in completion order."""
        from distributed import as_completed

        client = self._client
        limit = IN_FLIGHT_PER_WORKER * max(1, sum(client.nthreads().values()))
        todo = iter(items)
        running: dict[Any, Any] = {}
        completed = as_completed()
        for item in todo:
            future = client.submit(fn, item, pure=False)
            running[future] = item
            completed.add(future)
            if len(running) >= limit:
                break
        for future in completed:
            item = running.pop(future)
            if future.status == "finished":
                yield item, future.result()
            else:
                yield item, future.exception()
            future.release()
            next_item = next(todo, None)
            if next_item is not None:
                new = client.submit(fn, next_item, pure=False)
                running[new] = next_item
                completed.add(new)
