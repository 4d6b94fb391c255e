r"""The worker processes of a class audit on one machine: forked once each, fed one unit at a time.

:func:`run_pool` hands the units that :mod:`symbolic.app.audit_class` says are ready to ``jobs`` forked
processes (the engine imported once, before the fork), each checking with
:func:`symbolic.app.class_worker.check_unit`.  A unit that kills its worker (a crash, the kernel's OOM
killer) is reported ``crashed``; one that runs past ``timeout`` seconds ``timeout``, its worker killed; either
way the worker is replaced and the class goes on.

>>> import tempfile, pathlib
>>> from symbolic.app.class_worker import Settings, Unit
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.md"
>>> _ = p.write_text("$$x = x$$\n", encoding="utf-8")
>>> todo, got = [("k", Unit(str(p), 0))], []
>>> run_pool(lambda: todo.pop() if todo else None, Settings(None, 0, 10.0, None, "r"), 1, 60.0,
...          lambda key, status, result, reason, seconds: got.append((key, status, result["lines"][0]["verdict"])))
>>> got
[('k', 'ok', 'PROVED')]
"""

from __future__ import annotations

import multiprocessing
import time
from multiprocessing.connection import wait
from typing import Callable

from .class_worker import Settings, Unit, guarded

__all__ = ["run_pool"]

Finished = Callable[[str, str, "dict | None", "str | None", float], None]


def run_pool(next_unit: Callable[[], "tuple[str, Unit] | None"], settings: Settings, jobs: int, timeout: float,
             finished: Finished, check: Callable | None = None, background: Callable[[], bool] | None = None) -> None:
    """Check every unit ``next_unit()`` gives (``(key, unit)``; None: none is ready now) in ``jobs`` workers;
    ``finished(key, status, result, reason, seconds)`` as each ends (status ok, error, crashed or timeout).

    ``next_unit`` is asked again whenever a worker is free, so units may become ready as others finish.
    ``check`` replaces :func:`~symbolic.app.class_worker.check_unit` in the workers (tests: a crash, a hang).
    ``background()`` does a little work while every worker is busy (reading the next submission), False when
    it has none left.
    """
    fork = multiprocessing.get_context("fork")
    workers: list[_Worker] = []
    try:
        while True:
            while True:  # every idle worker gets a ready unit; a worker is started while fewer than jobs run
                idle = next((w for w in workers if w.alive and w.task is None), None)
                if idle is None and sum(w.alive for w in workers) < jobs:
                    idle = _Worker(fork, settings, check)
                    workers.append(idle)
                if idle is None:
                    break
                item = next_unit()
                if item is None:
                    break
                idle.give(item)
            busy = [w for w in workers if w.task is not None]
            if not busy:
                return
            more = background is not None and background()
            ready = wait([w.conn for w in busy], timeout=0.0 if more else 1.0)
            for w in busy:
                key, started = w.task[0], w.started
                if w.conn in ready:
                    try:
                        status, result, reason = w.conn.recv()
                    except (EOFError, OSError):
                        w.stop()
                        finished(key, "crashed", None, f"the worker checking it died (exit code {w.process.exitcode})",
                                 time.perf_counter() - started)
                        continue
                    w.task = None
                    finished(key, status, result, reason, time.perf_counter() - started)
                elif time.perf_counter() - started > timeout:
                    w.stop()
                    finished(key, "timeout", None, f"not finished within {timeout:g} s: its worker was stopped",
                             time.perf_counter() - started)
    finally:
        for w in workers:
            w.close()


class _Worker:
    """One forked process checking the units it is sent, one at a time, with one step store for all of them."""

    def __init__(self, fork, settings: Settings, check) -> None:
        self.conn, child = fork.Pipe()
        self.process = fork.Process(target=_serve, args=(child, settings, check), daemon=True)
        self.process.start()
        child.close()
        self.task: tuple[str, Unit] | None = None
        self.started = 0.0
        self.alive = True

    def give(self, task: tuple[str, Unit]) -> None:
        self.task, self.started = task, time.perf_counter()
        self.conn.send(task[1])

    def stop(self) -> None:
        self.task, self.alive = None, False
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def close(self) -> None:
        if self.alive:
            try:
                self.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
            self.process.join(5)
            if self.process.is_alive():
                self.process.kill()
            self.alive = False


def _serve(conn, settings: Settings, check) -> None:
    while True:
        try:
            unit = conn.recv()
        except (EOFError, OSError):  # the parent is gone: nothing more to do
            return
        if unit is None:
            return
        conn.send(guarded(unit, settings, check))
