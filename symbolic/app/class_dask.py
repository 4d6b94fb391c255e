"""A class audit on a Dask cluster: the units of :mod:`symbolic.app.audit_class` as tasks of a
``distributed.Client``, instead of forked workers.

``stepcheck audit DIR --scheduler tcp://host:8786`` connects to a running scheduler; ``--scheduler local``
starts a ``LocalCluster`` of ``-j`` worker processes, one thread each, on loopback.  Each task checks one unit,
in an engine process of the worker thread's own (:mod:`symbolic.app.class_engine`: a Dask task runs in a thread,
where the engine's time budgets could not interrupt a runaway step), which keeps its context, documents and step
store across the tasks, like a forked worker: the same verdicts as the forked workers.  Workers on the machine of ``OUT`` share the
class's step store (``OUT/steps.sqlite``); a worker that cannot open it (another machine, no shared disk) keeps
its steps in memory and sends only verdicts back.  SQLite's write-ahead log needs one machine's shared memory:
put ``OUT`` on a local disk, never on NFS (see README, "A class on a cluster").

Only as many tasks are in flight as the cluster has threads, so a unit's time is its own: one that runs past
``timeout`` seconds is reported ``timeout``, its engine process killed (the next task starts another); one whose
engine process dies is ``crashed``.  A task that kills its Dask worker itself (Dask tries it again on another, up
to its ``allowed-failures``) is reported ``crashed`` too.

>>> import tempfile, pathlib
>>> from symbolic.app.class_worker import Settings, Unit
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.md"
>>> _ = p.write_text("$$x = x$$", encoding="utf-8")
>>> todo, got = [("k", Unit(str(p), 0))], []
>>> run_dask(lambda: todo.pop() if todo else None, Settings(None, 0, 10.0, None, "r"), "local", 1, 120.0,
...          lambda key, status, result, reason, seconds: got.append((key, status, result["lines"][0]["verdict"])))
>>> got
[('k', 'ok', 'PROVED')]
"""

from __future__ import annotations

import threading
import time
from contextlib import ExitStack
from typing import Callable

from ..exceptions import InvalidInputError
from .class_worker import Settings, Unit

_ENGINES: dict = {}  # in a Dask worker: its threads' engine processes (symbolic.app.class_engine)

__all__ = ["run_dask"]


def run_dask(next_unit: Callable[[], "tuple[str, Unit] | None"], settings: Settings, scheduler, jobs: int,
             timeout: float, finished: Callable, background: Callable[[], bool] | None = None) -> None:
    """Check every unit ``next_unit()`` gives on the Dask cluster ``scheduler`` (an address, a
    ``distributed.Client``, or ``"local"`` for a ``LocalCluster`` of ``jobs`` processes);
    ``finished(key, status, result, reason, seconds)`` as each ends, as :func:`symbolic.app.class_pool.run_pool`.
    """
    try:
        import distributed
    except ImportError:
        raise InvalidInputError("--scheduler needs Dask's distributed package: pip install 'stepcheck[cluster]'") \
            from None
    with ExitStack() as stack:
        client = _client(distributed, scheduler, jobs, stack)
        slots = max(1, sum(client.nthreads().values()))
        running: dict = {}  # future -> (unit key, when it was handed out)

        def feed() -> None:
            while len(running) < slots:
                item = next_unit()
                if item is None:
                    return
                future = client.submit(_remote, item[1], settings, timeout, pure=False)  # a fresh key each time
                running[future] = (item[0], time.perf_counter())

        feed()
        while running:
            more = background is not None and background()
            try:
                distributed.wait(list(running), timeout=0.01 if more else 1.0, return_when="FIRST_COMPLETED")
            except (TimeoutError, distributed.TimeoutError):
                pass
            for future in list(running):
                key, started = running[future]
                took = time.perf_counter() - started
                if future.done():
                    del running[future]
                    finished(key, *_outcome(future), took)
                elif took > timeout + 120:  # the engine process stops a unit at its timeout: this is the cluster
                    del running[future]
                    future.cancel()
                    finished(key, "timeout", None, f"not finished within {timeout:g} s: its task was cancelled", took)
            feed()


def _remote(unit: Unit, settings: Settings, timeout: float) -> tuple[str, dict | None, str | None]:
    """A Dask task: ``unit`` checked in this worker thread's engine process (started on first use)."""
    from .class_engine import EngineProcess

    me = threading.get_ident()
    engine = _ENGINES.get(me)
    if engine is None or not engine.alive:
        engine = _ENGINES[me] = EngineProcess()
    return engine.ask(unit, settings, timeout)


def _client(distributed, scheduler, jobs: int, stack: ExitStack):
    if isinstance(scheduler, distributed.Client):
        return scheduler
    if scheduler == "local":
        cluster = stack.enter_context(distributed.LocalCluster(
            n_workers=jobs, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None))
        return stack.enter_context(distributed.Client(cluster))
    try:
        return stack.enter_context(distributed.Client(scheduler, timeout=30))
    except (OSError, TimeoutError, ValueError) as err:
        raise InvalidInputError(f"--scheduler {scheduler}: cannot reach the Dask scheduler ({err})") from None


def _outcome(future) -> tuple[str, dict | None, str | None]:
    """(status, result, reason) of a finished task: ``guarded``'s own, or what Dask says went wrong."""
    if future.status == "finished":
        return future.result()
    if future.cancelled():
        return "crashed", None, "its task was cancelled by the cluster"
    exc = future.exception()
    if type(exc).__name__ == "KilledWorker":
        return "crashed", None, f"the workers checking it died ({exc})"
    return "error", None, f"the cluster could not run it ({type(exc).__name__}: {exc})"
