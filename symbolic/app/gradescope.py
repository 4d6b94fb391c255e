r"""Gradescope's ``results.json`` for each submission of a class audit, scored by the context's rubric.

The rubric is the ``[rubric]`` table of the context file: the points of each question, by its heading, and
whether a question with a wrong line earns partial credit::

    [rubric]
    partial = true          # the default: credit up to the first wrong line
    [rubric.points]
    "1" = 4
    "2" = 6

A question with no REFUTED line gets its full points.  One with a REFUTED line gets, with ``partial``, its
points times the share of its lines written before the first wrong one (``partial = false``: nothing).  A
question the rubric does not name is listed with no points (``max_score`` 0).  A submission that could not be
audited (crashed, timeout, error) scores 0, and its output says why.  Each test's output names the first wrong
line and its counterexample, so the student sees what to look at.

>>> entry = {"file": "a.md", "status": "ok", "reason": None, "report": {"questions": [{"question": "1",
...     "first_wrong_line": 4, "lines": [{"line": 2, "latex": "a = a", "verdict": "PROVED", "counterexample": None},
...     {"line": 4, "latex": "a a = 2a", "verdict": "REFUTED", "counterexample": {"values": {"a": 1},
...     "gap": "lhs - rhs = -1"}}]}]}}
>>> got = results_json(entry, Rubric({"1": 4.0}))
>>> got["score"], got["tests"][0]["max_score"], got["tests"][0]["status"]
(2.0, 4.0, 'failed')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..exceptions import InvalidInputError

__all__ = ["Rubric", "load_rubric", "results_json", "write_results"]


@dataclass(frozen=True)
class Rubric:
    """Points per question heading, and whether a question with a wrong line earns partial credit."""

    points: dict = field(default_factory=dict)
    partial: bool = True


def load_rubric(context: str | Path | None) -> Rubric:
    r"""The ``[rubric]`` of the context file (no file, or no rubric: every question listed with no points).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.toml"
    >>> _ = p.write_text('[rubric]\npartial = false\n[rubric.points]\n"1" = 3\n', encoding="utf-8")
    >>> load_rubric(p)
    Rubric(points={'1': 3.0}, partial=False)
    """
    if context is None:
        return Rubric()
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    path = Path(context)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise InvalidInputError(f"cannot read the rubric: {err}", symbol=str(path)) from None
    spec = data.get("rubric", {})
    if not isinstance(spec, dict) or set(spec) - {"points", "partial"}:
        raise InvalidInputError("[rubric] holds 'points' (a table: question heading = points) and 'partial' "
                                f"(true or false); got {sorted(spec) if isinstance(spec, dict) else spec!r}",
                                symbol=str(path))
    points = spec.get("points", {})
    partial = spec.get("partial", True)
    if not isinstance(points, dict) or not isinstance(partial, bool) or any(
            isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0 for v in points.values()):
        raise InvalidInputError("[rubric.points] maps each question's heading to its points (a number >= 0), and "
                                "[rubric] partial is true or false", symbol=str(path))
    return Rubric({str(k): float(v) for k, v in points.items()}, partial)


def results_json(entry: dict, rubric: Rubric) -> dict:
    """Gradescope's results of one submission's class entry (:mod:`symbolic.app.audit_class`): one test per
    question, scored by ``rubric`` (see the module docstring)."""
    if entry["status"] != "ok" or entry.get("report") is None:
        tests = [{"name": f"Question {q}", "score": 0.0, "max_score": p, "status": "failed",
                  "output": f"not audited: {entry['status']} ({entry.get('reason')})"} for q, p in rubric.points.items()]
        return {"score": 0.0, "tests": tests, "output": f"{entry['file']}: {entry['status']}: {entry.get('reason')}"}
    tests = []
    for q in entry["report"]["questions"]:
        name = q["question"] or ""
        full = rubric.points.get(name, 0.0)
        lines = q["lines"]
        wrong = next((k for k, x in enumerate(lines) if x["verdict"] == "REFUTED"), None)
        if wrong is None:
            score, output = full, "no wrong line found"
        else:
            score = full * wrong / len(lines) if rubric.partial else 0.0
            x = lines[wrong]
            ce = x.get("counterexample") or {}
            values = ", ".join(f"{k} = {v}" for k, v in (ce.get("values") or {}).items())
            output = f"first wrong line {x['line']}: {x['latex']}\ncounterexample: {values}" + (
                f" ({ce['gap']})" if ce.get("gap") else "")
        unsettled = sum(1 for x in lines if x["verdict"] in ("UNDECIDED", "UNREAD"))
        if unsettled:
            output += f"\n{unsettled} line(s) not settled (UNDECIDED or UNREAD): left to the grader"
        tests.append({"name": f"Question {name}" if name else "Before the first question", "score": round(score, 4),
                      "max_score": full, "status": "passed" if wrong is None else "failed", "output": output})
    return {"score": round(sum(t["score"] for t in tests), 4), "tests": tests}


def write_results(entries: list[dict], rubric: Rubric, folder: Path) -> list[Path]:
    """``folder/<file>/results.json`` for each entry (written whole, then renamed); the paths written.

    >>> import tempfile, pathlib
    >>> entry = {"file": "a.md", "status": "crashed", "reason": "exit code 3", "report": None}
    >>> [p.name for p in write_results([entry], Rubric({"1": 2.0}), pathlib.Path(tempfile.mkdtemp()))]
    ['results.json']
    """
    from .audit_class_summary import write_json

    paths = []
    for entry in entries:
        path = folder / entry["file"] / "results.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_json(path, results_json(entry, rubric))
        paths.append(path)
    return paths
