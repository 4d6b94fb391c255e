r"""Audit a whole class: every submission of a folder against one context, its distinct questions checked once.

``stepcheck audit SUBMISSIONS_DIR/ [--context ASSIGNMENT.toml] [-j N] [--scheduler ADDRESS] [--out DIR] [--csv]
[--gradescope] [--json]``.  Each submission is read (:mod:`symbolic.read.source`) and cut into its questions; a
question written alike by several submissions, at the same place (:func:`symbolic.app.audit.question_key`), is
one unit of work, checked once and its verdicts given to each of them: the same verdicts as the audit of each
file alone (:func:`symbolic.app.audit.audit`).  The units go to ``jobs`` forked workers
(:mod:`symbolic.app.class_pool`), or to the workers of a Dask cluster (``scheduler``,
:mod:`symbolic.app.class_dask`).  Every worker checks with one step store shared by the whole class (the SQLite
file ``OUT/steps.sqlite``, :mod:`symbolic.verdicts.shared_store`): a step written alike in two questions is
checked once, by whichever worker meets it first.  The most common form of each question goes first; its other
forms wait for it, so they find its steps in the store.

A unit that crashes its worker, or runs past ``timeout`` seconds, is reported as such for every submission that
wrote it (the worker is replaced) and the rest of the class goes on.  Each submission's result is written to
``OUT/<file>.json`` as soon as its last question is in (written whole, then renamed: never half a file), with the
key of its run: the engine, the submission's bytes, the context's bytes, the seed and the budget.  A second run
keeps every finished result whose key matches and audits the rest: an interrupted run resumes where it stopped.
Nothing in ``OUT`` is trusted otherwise: an entry that does not parse, or whose key differs, is audited again,
and a step in the store is used only when its signature is this user's (see the store).

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
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..exceptions import InvalidInputError

__all__ = ["SUFFIXES", "audit_class", "submissions", "run_key"]

SUFFIXES = (".tex", ".md", ".markdown", ".txt")
TIMEOUT = 600.0  # seconds one unit (a question of a submission) may take before its worker is replaced


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
                jobs: int = 1, out: str | Path | None = None, timeout: float = TIMEOUT, scheduler=None,
                gradescope: bool = False, pdf: bool = False, lang: str = "en",
                on_done: Callable[[dict], None] | None = None, progress: Callable[[dict], None] | None = None,
                _check: Callable | None = None) -> dict:
    """Audit every submission of ``folder``; the class summary as a dict (see :mod:`symbolic.app.audit_class_summary`).

    ``out``: the folder of the results (one JSON per submission, then ``class.json``, ``steps.sqlite``), resumed
    when it holds finished results of the same run; ``class-first-wrong.pdf`` there is the figure of the first
    wrong lines (:mod:`symbolic.emit.class_figure`); with ``gradescope``, ``OUT/gradescope/<file>/results.json``
    scored by the context's ``[rubric]`` (:mod:`symbolic.app.gradescope`); with ``pdf``, each submission's
    report (LaTeX and PDF, in ``lang``) in ``OUT/reports/<file>/``.  ``scheduler``: a Dask scheduler's address, a
    ``distributed.Client``, or ``"local"`` (a ``LocalCluster`` of ``jobs`` workers) instead of forked workers.
    ``on_done(entry)`` is called as each submission's result comes in, ``progress(counts)`` as each unit does.
    ``_check`` replaces :func:`symbolic.app.class_worker.check_unit` in the forked workers (tests: a crash, a hang).
    """
    from .audit_class_summary import summarize, write_json
    from .class_plan import Plan
    from .class_worker import Settings

    folder = Path(folder)
    ctx = Path(context) if context is not None else None
    if ctx is not None and not ctx.is_file():
        raise InvalidInputError(f"{ctx}: context file not found")
    files = submissions(folder)
    target = Path(out) if out is not None else None
    if (gradescope or pdf) and target is None:
        raise InvalidInputError("Gradescope's results and the reports are written into the output folder: give out")
    rubric = None
    if gradescope:
        from .gradescope import load_rubric

        rubric = load_rubric(ctx)
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

    def done(job: _Job, status: str, report: dict | None, reason: str | None, seconds: float) -> None:
        entry = {"file": job.path.name, "run": job.key, "status": status, "reason": reason,
                 "seconds": round(seconds, 3), "report": report}
        entries[job.path.name] = entry
        if job.target is not None:
            write_json(job.target, entry)
        if on_done is not None:
            on_done(entry)

    plan = Plan(todo, ctx, seed, budget, done, progress, total=len(files), resumed=resumed)
    warm = [target is not None]  # the figure's plotting library, imported while the workers are busy

    def background() -> bool:
        if plan.background():
            return True
        if warm[0]:
            warm[0] = False
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot  # noqa: F401
            return True
        return False

    with tempfile.TemporaryDirectory(prefix="stepcheck-class-") as scratch:
        store = (target if target is not None else Path(scratch)) / "steps.sqlite"
        settings = Settings(str(ctx) if ctx is not None else None, seed, budget, str(store), secrets.token_hex(8))
        if plan.pending() and scheduler is not None:
            from .class_dask import run_dask

            run_dask(plan.next_unit, settings, scheduler, max(1, jobs), timeout, plan.finished, background)
        elif plan.pending():
            from .class_pool import run_pool

            run_pool(plan.next_unit, settings, max(1, jobs), timeout, plan.finished, _check, background)
    audited = [(p, entries[p.name]) for p in files if p.name in entries]  # in the folder's order
    summary = summarize([entry for _p, entry in audited], context=ctx, seed=seed)
    n = plan.counts
    summary.update(resumed=resumed, seconds=round(time.perf_counter() - t0, 3), memo_hits=n["hits"],
                   steps_checked=n["checked"], questions_reused=n["reused"], questions_checked=n["units_done"])
    if target is not None:
        write_json(target / "class.json", summary)
        from ..emit.class_figure import draw_first_wrong

        draw_first_wrong(summary, target / "class-first-wrong.pdf")
    if rubric is not None:
        from .gradescope import write_results

        write_results([entry for _p, entry in audited], rubric, target / "gradescope")
    if pdf:
        summary["reports"] = _write_reports(audited, target / "reports", lang)
    return summary


def _write_reports(done: list[tuple[Path, dict]], folder: Path, lang: str) -> dict:
    """Each audited submission's LaTeX report and PDF in ``folder/<file>/``; how many were built, and the
    first problem met (a missing TeX, a LaTeX error)."""
    from .audit import shown_rows
    from ..emit.audit_report import AUDIT_MAIN, write_report
    from ..read.source import read_file

    built, problem = 0, None
    for path, entry in done:
        if entry["status"] != "ok":
            continue
        status, line = write_report(entry["report"], folder / path.name, lang=lang, shown=shown_rows(read_file(path)))
        if status == 0 and (folder / path.name / f"{AUDIT_MAIN}.pdf").is_file():
            built += 1
        elif problem is None:
            problem = line
    return {"built": built, "problem": problem}


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
