"""An engine process of its own for a thread that cannot check in its main thread (a Dask worker's task).

The engine's time budgets interrupt a runaway computation with ``SIGALRM``, which only the main thread of a
process receives; in another thread they are cooperative only (:mod:`symbolic.budget`), so a step that a forked
worker stops at its budget could run on there for minutes, and end with another verdict.  A Dask task
therefore hands its unit to an :class:`EngineProcess`: a child Python started once per worker thread
(``subprocess``, never ``multiprocessing``, whose children a daemonic Dask worker may not have), checking
each unit in its main thread with :func:`symbolic.app.class_worker.guarded`, and keeping its step store and
documents between units like a forked worker.  A unit past its time is stopped by killing the child (a new
one starts for the next unit); a child that dies is a crash.  The two ends speak length-prefixed pickles over
the child's standard input and output; the child's own ``print`` goes to its standard error.

>>> import tempfile, pathlib
>>> from symbolic.app.class_worker import Settings, Unit
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.md"
>>> _ = p.write_text("$$x = x$$", encoding="utf-8")
>>> engine = EngineProcess()
>>> status, result, reason = engine.ask(Unit(str(p), 0), Settings(None, 0, 10.0, None, "r"), 120.0)
>>> status, result["lines"][0]["verdict"]
('ok', 'PROVED')
>>> engine.close()
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import subprocess
import sys
import time

__all__ = ["EngineProcess", "main"]

_HEADER = struct.Struct("!Q")


def _send(stream, value) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read_exactly(stream, n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise EOFError("the other end closed the stream")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _receive(stream):
    (n,) = _HEADER.unpack(_read_exactly(stream, _HEADER.size))
    return pickle.loads(_read_exactly(stream, n))  # only ever from our own parent or child


class EngineProcess:
    """A child Python checking the units it is asked, one at a time, in its main thread."""

    def __init__(self) -> None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        self.process = subprocess.Popen([sys.executable, "-c", "from symbolic.app.class_engine import main; main()"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)

    @property
    def alive(self) -> bool:
        """Whether the child still runs.

        >>> e = EngineProcess(); e.close(); e.alive
        False
        """
        return self.process.poll() is None

    def ask(self, unit, settings, timeout: float) -> tuple[str, dict | None, str | None]:
        """``(status, result, reason)`` of ``unit``, as :func:`~symbolic.app.class_worker.guarded` gives it;
        ``timeout`` (the child killed past ``timeout`` seconds) or ``crashed`` (the child died)."""
        started = time.perf_counter()
        try:
            _send(self.process.stdin, (unit, settings))
            ready, _, _ = select.select([self.process.stdout], [], [], timeout)
            if not ready:
                self.close()
                return "timeout", None, f"not finished within {timeout:g} s: its engine process was stopped"
            return _receive(self.process.stdout)
        except (EOFError, OSError, pickle.UnpicklingError, struct.error):
            self.close()
            return "crashed", None, (f"the process checking it died (exit code {self.process.returncode}, "
                                     f"after {time.perf_counter() - started:.1f} s)")

    def close(self) -> None:
        """Stop the child (at once: nothing it holds is lost but its memory of steps, which the store keeps)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass


def main() -> None:
    """The child's loop: a unit and its settings in, ``guarded``'s answer out, until the input ends."""
    from .class_worker import guarded

    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print never reaches the protocol's stream
    inp = sys.stdin.buffer
    while True:
        try:
            unit, settings = _receive(inp)
        except EOFError:
            return
        _send(out, guarded(unit, settings))
