r"""The plan of a class audit: its submissions cut into units (questions written alike), their order, and each
submission's result put together as its last unit comes in.

Each submission is read once here (:func:`symbolic.read.source.read_file`, no parsing) and each question keyed by
:func:`symbolic.app.audit.question_key`: the submissions that wrote a question alike share one unit.  A question's
units form a group (its heading and place); the first unit met is the group's base, the others wait for it: they
differ from it by a line or two, and find its steps in the class's store once it is done.  The submissions are
read as the workers need units, and in the time they leave the parent idle (:meth:`Plan.background`): the first
submission's questions start at once, the heaviest first.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> for name, rhs in (("a.md", "2a"), ("b.md", "2a"), ("c.md", "3a")):
...     _ = (d / name).write_text(f"Question 1\n$$a + a = {rhs}$$\n", encoding="utf-8")
>>> from types import SimpleNamespace as Job
>>> got = []
>>> plan = Plan([Job(path=d / n, key="k") for n in ("a.md", "b.md", "c.md")], None, 0, 10.0,
...             lambda job, status, report, reason, seconds: got.append((job.path.name, status)))
>>> plan.next_unit()[1].path.endswith("a.md"), plan.next_unit()  # c waits for the base
(True, None)
>>> len(plan.units), plan.pending()
(2, True)
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..exceptions import StepcheckError
from .class_worker import Unit

__all__ = ["Plan"]


@dataclass
class _UnitPlan:
    unit: Unit
    group: tuple[str, int]
    rows: int
    users: list = field(default_factory=list)  # (job, question number) of each submission that wrote it


class Plan:
    """The units of the submissions ``jobs`` (each with ``path``), handed out by :meth:`next_unit` and taken
    back by :meth:`finished`; ``done(job, status, report, reason, seconds)`` as each submission is complete,
    ``progress(counts)`` after each unit (a copy of :attr:`counts`)."""

    def __init__(self, jobs: list, context: Path | None, seed: int, budget: float, done: Callable,
                 progress: Callable[[dict], None] | None = None, *, total: int | None = None, resumed: int = 0) -> None:
        from .audit import question_key
        from ..read.source import read_file

        self.context, self.seed, self.done, self.progress = context, seed, done, progress
        self.units: dict[str, _UnitPlan] = {}
        self.results: dict[str, tuple] = {}
        # submissions (all, done), units (met, done), lines of the submissions done, steps answered from the store
        # (hits), checked, and questions answered from another submission's (reused)
        self.counts = {"submissions": total if total is not None else len(jobs), "done": resumed,
                       "units": 0, "units_done": 0, "lines": 0, "hits": 0, "checked": 0, "reused": 0}
        self._open: dict[int, tuple] = {}  # id(job) -> (job, doc, keys still to come)
        self._base: dict[tuple, str] = {}  # group (the question's heading and place) -> its base unit
        self._waiting: dict[tuple, list[str]] = {}  # group -> units waiting for its base
        self._ready: deque[str] = deque()
        self._unread = deque(jobs)
        self._key = lambda doc, n: question_key(doc, n, seed, budget)
        self._read = read_file

    def _read_one(self) -> None:
        job = self._unread.popleft()
        try:
            doc = self._read(job.path)
        except (StepcheckError, OSError, UnicodeDecodeError) as err:
            self._complete(job, "error", None, f"cannot read it: {err}", 0.0)
            return
        keys, new = [], []
        for n, q in enumerate(doc.questions):
            key = self._key(doc, n)
            plan = self.units.get(key)
            if plan is None:
                rows = sum(1 for ln in doc.lines if ln.question == q)
                plan = self.units[key] = _UnitPlan(Unit(str(job.path), n), (q, n), rows)
                new.append(key)
            plan.users.append((job, n))
            keys.append(key)
        self._open[id(job)] = (job, doc, keys)
        self.counts["units"] = len(self.units)
        for key in sorted(new, key=lambda k: -self.units[k].rows):  # the heaviest first
            group = self.units[key].group
            if group not in self._base:  # the first form of this question: its base
                self._base[group] = key
                self._waiting[group] = []  # until the base is done
                self._ready.append(key)
            elif group in self._waiting:
                self._waiting[group].append(key)
            else:
                self._ready.append(key)
        self._complete_if_done(job)  # every question already checked (or none)

    def pending(self) -> bool:
        """Whether anything is left to read or check.

        >>> Plan([], None, 0, 10.0, print).pending()
        False
        """
        return bool(self._unread or len(self.results) < len(self.units))

    def background(self) -> bool:
        """Read one more submission while the workers are busy; False when every one is read.

        >>> Plan([], None, 0, 10.0, print).background()
        False
        """
        if not self._unread:
            return False
        self._read_one()
        return True

    def next_unit(self) -> tuple[str, Unit] | None:
        """The next unit ready to check, ``(key, unit)``, reading submissions until one is; None when every
        unit left waits for one running."""
        while not self._ready and self._unread:
            self._read_one()
        return (self._ready[0], self.units[self._ready.popleft()].unit) if self._ready else None

    def finished(self, key: str, status: str, result: dict | None, reason: str | None, seconds: float) -> None:
        """Take back unit ``key`` (status ok, error, crashed or timeout); complete the submissions it ends."""
        plan = self.units[key]
        self.results[key] = (status, result, reason, seconds)
        if self._base[plan.group] == key:
            self._ready.extend(self._waiting.pop(plan.group, []))  # later forms of the group go straight to ready
        self.counts["units_done"] += 1
        if result is not None:
            self.counts["checked"] += result["checked"]
            self.counts["hits"] += result["hits"]
            self.counts["reused"] += len(plan.users) - 1
        for job, _n in plan.users:
            self._complete_if_done(job)
        if self.progress is not None:
            self.progress(dict(self.counts))

    def _complete_if_done(self, job) -> None:
        held = self._open.get(id(job))
        if held is None or any(k not in self.results for k in held[2]):
            return
        del self._open[id(job)]
        from .audit import document, question_json

        _job, doc, keys = held
        questions, seconds = [], 0.0
        for n, key in enumerate(keys):
            status, result, reason, took = self.results[key]
            seconds += took
            if status != "ok":
                self._complete(job, status, None, f"question {doc.questions[n] or n + 1}: {reason}", seconds)
                return
            questions.append(question_json(doc.questions[n], result["lines"]))
        self.counts["lines"] += sum(len(q["lines"]) for q in questions)
        self._complete(job, "ok", document(job.path, self.context, doc, questions, seconds, self.seed), None,
                       seconds)

    def _complete(self, job, status, report, reason, seconds) -> None:
        self.counts["done"] += 1
        self.done(job, status, report, reason, seconds)
