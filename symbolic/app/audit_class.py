r"""Audit a whole class: every submission of a folder against one context, in worker processes.

``stepcheck audit SUBMISSIONS_DIR/ [--context ASSIGNMENT.toml] [-j N] [--out DIR] [--csv] [--json]``.
Each submission is audited as :func:`symbolic.app.audit.audit` audits one file, in one of ``jobs`` worker
processes (forked once, so the engine is imported once per worker).  A worker keeps one step memo
(:class:`symbolic.verdicts.step_memo.StepMemo`) for all the submissions it audits: a step that is the
same computation in two submissions (the same step, declarations, definitions, seed and sampler state) is
checked once and its result shared; so is a whole question written alike at the same place (the same
rows at the same positions); the counts say how often.

A submission that crashes its worker, or runs past ``timeout`` seconds, is reported as such (the worker is
replaced) and the rest of the class goes on.  Each result is written to ``OUT/<file>.json`` as soon as it is
in (written whole, then renamed: never half a file), with the key of its run: the engine, the submission's
bytes, the context's bytes, the seed and the budget.  A second run keeps every finished result whose key
matches and audits the rest: an interrupted run resumes where it stopped.  Nothing in ``OUT`` is trusted
otherwise: an entry that does not parse, or whose key differs, is audited again.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "ana.md").write_text("Question 1\n$$a + a = 2a$$\n", encoding="utf-8")
>>> _ = (d / "bo.md").write_text("Question 1\n$$a + a = 3a$$\n", encoding="utf-8")
>>> got = audit_class(d, out=d / "out")
>>> [(s["file"], s["status"], s["first_wrong_lines"]) for s in got["submissions"]]
[('ana.md', 'ok', {'1': None}), ('bo.md', 'ok', {'1': 2})]
>>> audit_class(d, out=d / "out")["resumed"]
2
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import time
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path
from typing import Callable

from ..exceptions import InvalidInputError, StepcheckError

__all__ = ["SUFFIXES", "audit_class", "submissions", "run_key"]

SUFFIXES = (".tex", ".md", ".markdown", ".txt")
TIMEOUT = 600.0  # seconds one submission may take before its worker is replaced


def submissions(folder: str | Path) -> list[Path]:
    """The submissions of ``folder``: its regular files (never a link: it could lead out of the folder) ending
    in one of :data:`SUFFIXES`, by name; hidden files are left out.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for n in ("b.tex", "a.md", ".x.md", "notes.pdf"): _ = (d / n).write_text("x")
    >>> [p.name for p in submissions(d)]
    ['a.md', 'b.tex']
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InvalidInputError(f"{folder}: not a folder of submissions")
    return sorted((p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
                   and p.is_file() and not p.is_symlink()), key=lambda p: p.name)


def run_key(path: Path, context: Path | None, seed: int, budget: float) -> str:
    """What a result depends on: the engine, the submission's bytes, the context's bytes, the seed, the budget.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.md"; _ = p.write_text("$$a = a$$")
    >>> run_key(p, None, 0, 10.0) == run_key(p, None, 1, 10.0)
    False
    """
    from ..verdicts.cache import engine_fingerprint

    h = hashlib.sha256()
    for part in (engine_fingerprint(), str(seed), repr(float(budget))):
        h.update(part.encode() + b"\x1f")
    h.update(path.read_bytes() + b"\x1f")
    h.update(context.read_bytes() if context is not None else b"no context")
    return h.hexdigest()


@dataclass(frozen=True)
class _Job:
    path: Path
    key: str
    target: Path | None  # OUT/<file>.json, or None when nothing is written


def audit_class(folder: str | Path, *, context: str | Path | None = None, seed: int = 0, budget: float = 10.0,
                jobs: int = 1, out: str | Path | None = None, timeout: float = TIMEOUT,
                on_done: Callable[[dict], None] | None = None, _audit: Callable | None = None) -> dict:
    """Audit every submission of ``folder``; the class summary as a dict (see :mod:`symbolic.app.audit_class_summary`).

    ``out``: the folder of the results (one JSON per submission, then ``class.json``), resumed when it holds
    finished results of the same run; ``class-first-wrong.pdf`` there is the figure of the first wrong lines
    (:mod:`symbolic.emit.class_figure`).  ``on_done(entry)`` is called as each submission's result comes in.
    ``_audit`` replaces the audit of one file in the workers (tests: a crash, a hang).
    """
    from .audit_class_summary import summarize

    folder = Path(folder)
    ctx = Path(context) if context is not None else None
    if ctx is not None and not ctx.is_file():
        raise InvalidInputError(f"{ctx}: context file not found")
    files = submissions(folder)
    target = Path(out) if out is not None else None
    if target is not None:
        target.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    entries: dict[str, dict] = {}
    todo: list[_Job] = []
    for p in files:
        job = _Job(p, run_key(p, ctx, seed, budget), target / f"{p.name}.json" if target is not None else None)
        kept = _finished(job)
        if kept is not None:
            entries[p.name] = kept
        else:
            todo.append(job)
    resumed = len(entries)

    def done(job: _Job, entry: dict) -> None:
        entries[job.path.name] = entry
        if job.target is not None:
            _write_json(job.target, entry)
        if on_done is not None:
            on_done(entry)

    stats = _run(todo, ctx, seed, budget, max(1, jobs), timeout, done, _audit)
    summary = summarize([entries[p.name] for p in files if p.name in entries], context=ctx, seed=seed)
    summary.update(resumed=resumed, seconds=round(time.perf_counter() - t0, 3), memo_hits=stats["hits"],
                   steps_checked=stats["steps"], questions_reused=stats["reused"])
    if target is not None:
        _write_json(target / "class.json", summary)
        from ..emit.class_figure import draw_first_wrong

        draw_first_wrong(summary, target / "class-first-wrong.pdf")
    return summary


def _finished(job: _Job) -> dict | None:
    """The result kept from an earlier run: a finished audit of the same run key, else None."""
    if job.target is None or not job.target.is_file():
        return None
    try:
        entry = json.loads(job.target.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(entry, dict) or entry.get("run") != job.key or entry.get("status") != "ok" \
            or not isinstance(entry.get("report"), dict):
        return None
    return entry


def _write_json(path: Path, value: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(value, indent=1, default=str), encoding="utf-8")
    os.replace(tmp, path)  # whole or not at all


def _entry(job: _Job, status: str, report: dict | None, reason: str | None, seconds: float) -> dict:
    return {"file": job.path.name, "run": job.key, "status": status, "reason": reason,
            "seconds": round(seconds, 3), "report": report}


def _run(todo: list[_Job], ctx, seed, budget, jobs, timeout, done, audit_one) -> dict:
    """Hand the jobs to ``jobs`` workers, one at a time each; replace a worker that dies or overruns."""
    stats = {"hits": 0, "steps": 0, "reused": 0}
    if not todo:
        return stats
    fork = multiprocessing.get_context("fork")
    queue = list(reversed(todo))
    workers: list[_Worker] = []
    try:
        while queue or any(w.job is not None for w in workers):
            while queue:  # every idle worker gets a submission; a worker is started while fewer than jobs run
                idle = next((w for w in workers if w.alive and w.job is None), None)
                if idle is None:
                    if sum(w.alive for w in workers) >= jobs:
                        break
                    idle = _Worker(fork, ctx, seed, budget, audit_one)
                    workers.append(idle)
                idle.give(queue.pop())
            busy = [w for w in workers if w.job is not None]
            ready = wait([w.conn for w in busy], timeout=1.0)
            for w in busy:
                job, started = w.job, w.started
                if w.conn in ready:
                    try:
                        status, report, reason, hits, steps, reused = w.conn.recv()
                    except (EOFError, OSError):
                        w.stop()
                        done(job, _entry(job, "crashed", None, "the worker auditing it died "
                                         f"(exit code {w.process.exitcode})", time.perf_counter() - started))
                        continue
                    stats["hits"] += hits
                    stats["steps"] += steps
                    stats["reused"] += reused
                    w.job = None
                    done(job, _entry(job, status, report, reason, time.perf_counter() - started))
                elif time.perf_counter() - started > timeout:
                    w.stop()
                    done(job, _entry(job, "timeout", None, f"not finished within {timeout:g} s: its worker was "
                                     "stopped", time.perf_counter() - started))
    finally:
        for w in workers:
            w.close()
    return stats


class _Worker:
    """One forked process auditing the files it is sent, one at a time, with one step memo for all of them."""

    def __init__(self, fork, ctx, seed, budget, audit_one) -> None:
        self.conn, child = fork.Pipe()
        self.process = fork.Process(target=_serve, args=(child, ctx, seed, budget, audit_one), daemon=True)
        self.process.start()
        child.close()
        self.job: _Job | None = None
        self.started = 0.0
        self.alive = True

    def give(self, job: _Job) -> None:
        self.job, self.started = job, time.perf_counter()
        self.conn.send(str(job.path))

    def stop(self) -> None:
        self.job, self.alive = None, False
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


def _serve(conn, ctx, seed, budget, audit_one) -> None:
    from ..verdicts.step_memo import StepMemo
    from . import audit as audit_module

    memo = StepMemo()
    audit_module.SHARED_MEMO = memo  # this worker's submissions share their identical steps,
    questions = audit_module.SHARED_QUESTIONS = audit_module.QuestionMemo()  # and their questions written
    # alike at the same place
    while True:
        try:
            path = conn.recv()
        except (EOFError, OSError):  # the parent is gone: nothing more to do
            return
        if path is None:
            return
        hits, steps, reused = memo.hits, len(memo), questions.hits
        try:
            fn = audit_one or audit_module.audit
            report = fn(path, context=ctx, seed=seed, budget=budget, jobs=1)
            result = ("ok", report, None)
        except StepcheckError as err:
            result = ("error", None, str(err))
        except Exception as exc:  # noqa: BLE001 - one line naming the file, never a traceback
            result = ("error", None, f"internal error while auditing ({type(exc).__name__}: {exc})")
        conn.send((*result, memo.hits - hits, len(memo) - steps, questions.hits - reused))
