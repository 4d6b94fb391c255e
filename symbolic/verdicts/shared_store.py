"""A step memo shared by processes: the memo of :mod:`symbolic.verdicts.step_memo`, backed by one SQLite file.

A class audit (:mod:`symbolic.app.audit_class`) checks its submissions in several worker processes; a step
written alike in two submissions is the same computation (the same :func:`~symbolic.verdicts.step_memo.memo_key`)
wherever it is checked.  :class:`SharedStepStore` answers it from memory, then from the file, and writes every
step it checks to the file, where the other workers (and a later run, resuming) find it.

Many writers at once: the file is in SQLite's write-ahead-log mode (readers never block the writer), each
write is one ``INSERT OR IGNORE`` in its own transaction (the first writer of a key wins; the same key is the
same computation, so the loser held the same result), and a busy database is waited for.  A disk or a
database that refuses only costs speed: the step is then checked again.

Nothing in the file is trusted for being there.  Each entry carries the HMAC of its key and payload, made with
this user's secret (:mod:`symbolic.verdicts.signed`): an entry forged, edited, moved to another key, or written
by another user is ignored (and counted).  A result a time limit touched is kept for the run that made it only
(its ``run``): within one class run it is the same computation, as in the in-memory memo; a later run checks
it again, as the engine's disk cache would.

>>> import os, tempfile
>>> os.environ["STEPCHECK_SECRET_FILE"] = os.path.join(tempfile.mkdtemp(), "secret")
>>> from symbolic import Derivation, check
>>> path = os.path.join(tempfile.mkdtemp(), "steps.sqlite")
>>> d = Derivation("demo"); x = d.scalar("x"); _ = d.start(x + x).eq(3*x, "1")
>>> check(d, cache=False, memo=SharedStepStore(path, "run-1")).verdicts()
{'1': 'REFUTED'}
>>> other = SharedStepStore(path, "run-1")  # another worker: the step comes from the file
>>> check(d, cache=False, memo=other).verdicts(), other.hits, other.checked
({'1': 'REFUTED'}, 1, 0)
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from .step_memo import StepMemo

__all__ = ["SharedStepStore"]

KIND = "memo"  # the signed kind of an entry: never read as an entry of another cache


class SharedStepStore(StepMemo):
    """A :class:`~symbolic.verdicts.step_memo.StepMemo` whose entries are shared through the SQLite file
    ``path``; ``run`` names this run (results a time limit touched are read back by the same run only).

    ``hits`` counts the steps answered (from memory or the file), ``checked`` the steps this process checked
    and stored, ``ignored`` the entries of the file that did not verify.
    """

    def __init__(self, path: str | os.PathLike, run: str) -> None:
        super().__init__()
        self.path = Path(path)
        self.run = run
        self.ignored = 0
        self._conn: sqlite3.Connection | None = None
        self._pid = -1

    def _db(self) -> sqlite3.Connection | None:
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        self._conn, self._pid = None, os.getpid()  # a forked child opens its own connection
        try:
            conn = sqlite3.connect(self.path, timeout=60.0, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("CREATE TABLE IF NOT EXISTS steps (key TEXT PRIMARY KEY, payload TEXT NOT NULL, "
                         "mac TEXT NOT NULL)")
        except sqlite3.Error:
            return None  # no shared file: this process keeps its memo in memory only
        self._conn = conn
        return conn

    def get(self, key: str):
        """The ``(result, instances_found, failed_draws)`` of ``key`` from memory or the file, or None.

        >>> import tempfile, os
        >>> SharedStepStore(os.path.join(tempfile.mkdtemp(), "s.sqlite"), "r").get("nothing") is None
        True
        """
        hit = super().get(key)
        if hit is not None:
            return hit
        db = self._db()
        if db is None:
            return None
        try:
            row = db.execute("SELECT payload, mac FROM steps WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        value = self._decode(key, row)
        if value is None:
            self.ignored += 1
            return None
        self._store[key] = value
        self.hits += 1
        return value

    def _decode(self, key: str, row) -> tuple | None:
        from .cache import _from_json
        from .signed import verified

        try:
            payload = json.loads(row[0])
            if not verified(KIND, key, payload, row[1]):
                return None
            if payload["timed"] and payload["run"] != self.run:
                return None  # touched by a time limit in another run: checked again
            return _from_json(payload["result"]), int(payload["found"]), int(payload["failed"])
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return None

    def put(self, key: str, result, found: int, failed: int, timed: bool = False) -> None:
        """Remember ``result`` and its sampler's change under ``key``, in memory and in the file (signed).

        >>> import tempfile, os
        >>> from symbolic.model.results import StepResult, Verdict
        >>> s = SharedStepStore(os.path.join(tempfile.mkdtemp(), "s.sqlite"), "r")
        >>> s.put("k", StepResult("1", "=", Verdict.PROVED), 0, 0); s.checked
        1
        """
        super().put(key, result, found, failed, timed)
        from .cache import _to_json
        from .signed import sign

        payload = {"result": _to_json(result), "found": found, "failed": failed, "timed": bool(timed),
                   "run": self.run}
        try:
            text, mac = json.dumps(payload, sort_keys=True), sign(KIND, key, payload)
        except (TypeError, ValueError):  # a value JSON cannot hold: kept in memory only
            return
        db = self._db()
        if mac is None or db is None:
            return
        try:
            db.execute("INSERT OR IGNORE INTO steps (key, payload, mac) VALUES (?, ?, ?)", (key, text, mac))
        except sqlite3.Error:
            pass  # a database that refuses only costs speed

    def close(self) -> None:
        """Close this process's connection (a later use opens it again).

        >>> import tempfile, os
        >>> SharedStepStore(os.path.join(tempfile.mkdtemp(), "s.sqlite"), "r").close()
        """
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None
