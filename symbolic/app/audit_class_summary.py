r"""The picture of a class: per submission, per question, and per line as the students wrote it.

:func:`summarize` turns the results of :func:`symbolic.app.audit_class.audit_class` (one entry per
submission: its status and its audit) into the class summary: each submission's counts and the first wrong
line of each of its questions; per question, how many students have no refuted line, a refuted one, or only
unread or undecided lines in the way; per line (its LaTeX with the spaces squeezed out, within its
question), how many students wrote it and with which verdicts; and the most common wrong lines, each with
the counterexample of its first occurrence.  :func:`write_csv` writes one row per submission and question.

>>> ok = {"file": "a.md", "status": "ok", "reason": None, "seconds": 1.0, "report": {"summary": {"lines": 1},
...       "questions": [{"question": "1", "first_wrong_line": 3, "lines": [{"line": 3, "latex": "a = b",
...       "verdict": "REFUTED", "counterexample": {"values": {"a": 0, "b": 1}}}]}]}}
>>> s = summarize([ok, dict(ok, file="b.md")])
>>> s["questions"][0]["wrong"], s["common_wrong_lines"][0]["students"]
(2, 2)
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

__all__ = ["summarize", "write_csv", "write_json"]

COMMON = 10  # wrong lines listed


def summarize(entries: list[dict], *, context: Path | None = None, seed: int = 0) -> dict:
    """The class summary of ``entries`` (in the order of the submissions).

    >>> s = summarize([{"file": "a.md", "status": "timeout", "reason": "not finished", "seconds": 600.0}])
    >>> s["counts"]["timeout"], s["submissions"][0]["first_wrong_lines"], s["questions"]
    (1, {}, [])
    """
    subs, per_q, per_line = [], {}, {}
    counts = {"submissions": len(entries), "ok": 0, "crashed": 0, "timeout": 0, "error": 0}
    for e in entries:
        counts[e["status"]] = counts.get(e["status"], 0) + 1
        report = e.get("report") or {}
        questions = report.get("questions", [])
        subs.append({"file": e["file"], "status": e["status"], "reason": e.get("reason"), "seconds": e.get("seconds"),
                     "summary": report.get("summary"),
                     "first_wrong_lines": {q["question"]: q["first_wrong_line"] for q in questions}})
        for q in questions:
            verdicts = [x["verdict"] for x in q["lines"]]
            row = per_q.setdefault(q["question"], {"question": q["question"], "students": 0, "right": 0, "wrong": 0,
                                                   "unsettled": 0})
            row["students"] += 1
            row["wrong" if "REFUTED" in verdicts else "unsettled" if {"UNREAD", "UNDECIDED"} & set(verdicts)
                else "right"] += 1
            for x in q["lines"]:
                key = (q["question"], " ".join(str(x["latex"]).split()))
                line = per_line.setdefault(key, {"question": key[0], "latex": key[1], "students": 0, "verdicts": {},
                                                 "counterexample": None, "first": e["file"]})
                line["students"] += 1
                line["verdicts"][x["verdict"]] = line["verdicts"].get(x["verdict"], 0) + 1
                if x["verdict"] == "REFUTED" and line["counterexample"] is None:
                    line["counterexample"], line["first"] = x.get("counterexample"), e["file"]
    lines = sorted(per_line.values(), key=lambda r: (-r["students"], r["question"], r["latex"]))
    wrong = sorted((r for r in lines if r["verdicts"].get("REFUTED")),
                   key=lambda r: (-r["verdicts"]["REFUTED"], r["question"], r["latex"]))
    common = [{"question": r["question"], "latex": r["latex"], "students": r["verdicts"]["REFUTED"],
               "first": r["first"], "counterexample": r["counterexample"]} for r in wrong[:COMMON]]
    return {"context": None if context is None else str(context), "seed": seed, "counts": counts,
            "submissions": subs, "questions": list(per_q.values()), "lines": lines, "common_wrong_lines": common}


def write_csv(summary: dict, path: str | Path) -> None:
    """One row per submission and question: file, status, question, first wrong line, and the counts of the
    submission (a submission with no question, or not audited, has one row).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "c.csv"
    >>> write_csv({"submissions": [{"file": "a.md", "status": "timeout", "summary": None,
    ...            "first_wrong_lines": {}}]}, p)
    >>> p.read_text().splitlines()[1]
    'a.md,timeout,,,,,,,,'
    """
    keys = ("lines", "read", "checked", "refuted", "unread")
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["file", "status", "question", "first_wrong_line", *keys, "seconds"])
        for s in summary["submissions"]:
            counts = [(s["summary"] or {}).get(k, "") for k in keys]
            firsts = s["first_wrong_lines"] or {"": ""}
            for q, first in firsts.items():
                w.writerow([s["file"], s["status"], q, "" if first is None else first, *counts,
                            s.get("seconds") if s["summary"] else ""])


def write_json(path: str | Path, value) -> None:
    """``value`` as JSON at ``path``: written whole to a hidden file beside it, then renamed (a reader, or a run
    killed meanwhile, never sees half a file).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.json"; write_json(p, {"a": 1}); json.loads(p.read_text())
    {'a': 1}
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(value, indent=1, default=str), encoding="utf-8")
    os.replace(tmp, path)
