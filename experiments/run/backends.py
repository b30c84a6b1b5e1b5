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
  worker twice is reported as failed. Workers ignore Ctrl-C (the parent
  handles it and ends them) and end themselves when their parent dies, even
  by SIGKILL. One pool serves every part of a suite.
- `DaskBackend`: a `distributed.Client` on a scheduler address, or on a
  `LocalCluster` of single-threaded worker processes (`--scheduler local`).
  The address is probed first with a handshake under a deadline, so a
  server that accepts TCP but never answers, or speaks another protocol, is
  one error instead of a hang. An optional per-run timeout fails runs that
  take longer. Optional dependency `dask[distributed]`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from importlib.util import find_spec
from typing import Any, Protocol

DASK_MISSING = 'the dask backend needs dask[distributed]: pip install "downline[dask]"'
IN_FLIGHT_PER_WORKER = 2
CONNECT_TIMEOUT_S = 20.0
GRACE_S = 5.0  # beyond the connect timeout, for a handshake that never ends
PARENT_POLL_S = 0.5
PR_SET_PDEATHSIG = 1
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


def make_backend(
    workers: int, scheduler: str | None = None, run_timeout: float | None = None
) -> Backend:
    """The backend for `--workers`, `--scheduler` and `--run-timeout`.

    Args:
        workers: worker processes (1: in-process); for `--scheduler local`, the
            LocalCluster's workers; ignored for a remote scheduler.
        scheduler: None (local processes), "local" or a Dask scheduler address.
        run_timeout: Dask only: seconds after which a run is failed (None: no limit).

    Returns:
        A backend, not started yet (use it as a context manager).

    Raises:
        BackendError: when Dask is asked for but not installed.
    """
    if scheduler is not None:
        if find_spec("distributed") is None:
            raise BackendError(DASK_MISSING)
        return DaskBackend(scheduler, workers, run_timeout)
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
        """Yield `(item, fn(item) or the exception it raised)` in order."""
        for item in items:
            try:
                outcome = fn(item)
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as err:  # a run that escapes fn's own handling still fails alone
                outcome = err
            yield item, outcome


class ProcessBackend:
    """A spawn-based local process pool; replaces the pool when a worker dies."""

    def __init__(self, workers: int):
        self.workers = workers
        self.description = f"local processes ({workers} workers)"
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> ProcessBackend:
        self._pool = self._new_pool()
        return self

    def __exit__(self, exc_type: object = None, *exc: object) -> None:
        if self._pool is not None:
            if exc_type is None:
                self._pool.shutdown(wait=True, cancel_futures=True)
            else:  # interrupted or failed: end the workers now, not after their runs
                _terminate(self._pool)
            self._pool = None

    def _new_pool(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("spawn")
        with sigint_ignored():  # the workers start with Ctrl-C ignored: the parent handles it
            pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                initializer=_worker_setup,
                initargs=(os.getpid(),),
            )
            for _ in range(self.workers):  # start the workers now: they import while we set up
                pool.submit(_warm_up)
        return pool

    def imap_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Outcome]:
        """Yield `(item, fn(item) or exception)` in completion order.

        When a worker dies, every item in flight in the pool fails with it. Each is
        tried once more, alone, so an item that kills its worker twice is reported
        (as `BrokenProcessPool`) and the others complete. Once an item has
        completed, an item that killed its worker twice is a verdict on that item,
        and does not count towards the breaks in a row; before any has, it does
        (the model may not even import in a fresh process).

        Raises:
            BackendError: when pools break more than `MAX_BREAKS_IN_A_ROW` times in a
                row without completing any item.
        """
        todo = iter(items)
        fresh: deque[Any] = deque()  # handed out once but never started (pool broke first)
        retry: deque[Any] = deque()  # in flight when a worker died: tried again, alone
        running: dict[Future[Any], tuple[Any, bool]] = {}  # future -> (item, is a retry)
        limit = IN_FLIGHT_PER_WORKER * self.workers
        breaks_in_a_row = 0
        completed_any = False  # a run completed: the model works in a fresh process
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
                    if completed_any:  # that run's own fault: a verdict on it, not the pool
                        breaks_in_a_row = 0
                else:
                    breaks_in_a_row, completed_any = 0, True
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


@contextlib.contextmanager
def sigint_ignored() -> Iterator[None]:
    """Ignore SIGINT while child processes are started, so that they inherit it ignored.

    A spawned child keeps an ignored signal ignored through `exec`, and Python
    then installs no KeyboardInterrupt handler in it, so a Ctrl-C (sent to the
    whole process group) reaches only the parent, which ends the children.
    Does nothing outside the main thread.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _worker_setup(parent: int) -> None:
    """In each worker: ignore Ctrl-C (the parent ends the pool) and die with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):  # the kernel ends us with the parent
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    """End this process when its parent is gone (the portable fallback of PDEATHSIG)."""
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_S)
    os._exit(1)


def _warm_up() -> None:
    """Import the model in a new worker, before its first run."""
    try:
        from experiments.spec.modelref import load_model_class

        load_model_class()
    except ImportError:
        pass  # the run reports it


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Stop a pool at once: cancel queued runs and terminate its worker processes."""
    workers = list((getattr(pool, "_processes", None) or {}).values())  # no public handle
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        process.terminate()
    for process in workers:
        process.join(timeout=5)


class DaskBackend:
    """A Dask distributed client on a remote scheduler or a LocalCluster."""

    def __init__(self, scheduler: str, workers: int, run_timeout: float | None = None):
        self.scheduler = scheduler
        self.workers = workers
        self.run_timeout = run_timeout
        where = f"{workers} local workers" if scheduler == "local" else scheduler
        self.description = f"dask ({where})"
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> DaskBackend:
        from distributed import Client, LocalCluster

        try:
            if self.scheduler == "local":
                with sigint_ignored():  # no worker tracebacks on Ctrl-C: the parent handles it
                    self._cluster = LocalCluster(
                        n_workers=self.workers,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                        silence_logs=logging.ERROR,
                    )
                self._client = Client(self._cluster)
            else:
                probe_scheduler(self.scheduler, CONNECT_TIMEOUT_S)
                self._client = Client(self.scheduler, timeout=f"{CONNECT_TIMEOUT_S}s")
        except BackendError:
            self.__exit__()
            raise
        except Exception as err:
            self.__exit__()
            raise BackendError(f"--scheduler {self.scheduler}: cannot connect: {err}") from None
        return self

    def __exit__(self, *exc: object) -> None:
        quiet = logging.getLogger("distributed")
        level = quiet.level
        quiet.setLevel(logging.CRITICAL)  # no wall of tracebacks when closing after Ctrl-C
        try:
            if self._client is not None:
                self._client.close()
                self._client = None
            if self._cluster is not None:
                self._cluster.close()
                self._cluster = None
        finally:
            quiet.setLevel(level)

    def imap_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Outcome]:
        """Yield `(item, fn(item) or exception)` in completion order.

        With a run timeout, at most one run per worker thread is in flight (so a
        run's clock starts when it starts), and a run still going after the
        timeout is cancelled, its worker restarted, and yielded as a `TimeoutError`.
        """
        from distributed import wait as dask_wait

        client = self._client
        threads = max(1, sum(client.nthreads().values()))
        limit = threads if self.run_timeout else IN_FLIGHT_PER_WORKER * threads
        todo = iter(items)
        running: dict[Any, tuple[Any, float]] = {}
        while True:
            while len(running) < limit and (item := next(todo, _END)) is not _END:
                running[client.submit(fn, item, pure=False)] = (item, time.monotonic())
            if not running:
                return
            timeout = None
            if self.run_timeout:
                oldest = min(started for _, started in running.values())
                timeout = max(0.0, oldest + self.run_timeout - time.monotonic())
            try:
                done = dask_wait(list(running), timeout=timeout, return_when="FIRST_COMPLETED").done
            except TimeoutError:  # nothing finished before the oldest run's deadline
                done = set()
            for future in done:
                item, _ = running.pop(future)
                ok = future.status == "finished"
                yield item, future.result() if ok else future.exception()
                future.release()
            if self.run_timeout:
                now = time.monotonic()
                late = [
                    f for f, (_, started) in running.items() if now - started >= self.run_timeout
                ]
                if late:
                    self._stop(late)
                    restarted = time.monotonic()  # runs queued behind a restart start afresh
                    for future, (item, _) in running.items():
                        if future not in late:
                            running[future] = (item, restarted)
                for future in late:
                    item, _ = running.pop(future)
                    yield item, TimeoutError(f"the run took over {self.run_timeout:g}s")

    def _stop(self, futures: list[Any]) -> None:
        """Cancel runs and restart the workers computing them (a Dask task cannot be interrupted).

        Workers without a nanny cannot be restarted; they finish the run and it is discarded.
        """
        keys = {future.key for future in futures}
        busy = [w for w, tasks in self._client.processing().items() if keys & set(tasks)]
        for future in futures:
            future.cancel()
        if busy:
            with contextlib.suppress(Exception):
                self._client.restart_workers(busy, raise_for_error=False)


def probe_scheduler(address: str, timeout: float) -> None:
    """Connect to a Dask scheduler and complete the handshake, within `timeout` seconds.

    Raises:
        BackendError: when nothing answers in time or the answer is not Dask's.
    """
    from distributed.comm import connect

    async def handshake() -> None:
        comm = await asyncio.wait_for(connect(address, timeout=timeout), timeout + GRACE_S)
        await comm.close()

    try:
        asyncio.run(handshake())
    except TimeoutError:
        raise BackendError(
            f"--scheduler {address}: no Dask handshake within {timeout:g}s "
            "(is it a Dask scheduler, and reachable?)"
        ) from None
    except OSError as err:
        raise BackendError(f"--scheduler {address}: cannot connect: {err}") from None
    except Exception as err:  # e.g. MemoryError decoding another protocol's bytes as Dask's
        raise BackendError(
            f"--scheduler {address}: the server does not speak the Dask protocol "
            f"({type(err).__name__})"
        ) from None
