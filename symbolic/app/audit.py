r"""Audit a submission as written: each math line read, made a step, checked.

``stepcheck audit SUBMISSION [--context ASSIGNMENT.toml] [--json] [--report DIR] [--lang en|fr] [--seed N] [-j N]``.
Each question of the file becomes a :class:`~symbolic.Derivation`; each
line a step (a claim, a chain step, or a definition ``x = ...`` of a name
the question has not used yet), checked by the engine under the usual
honesty rules.  A line that cannot be read is UNREAD with its position and
the reason; it is never dropped and never passes.  Where a line has two
readings (an undeclared plain capital: scalar or matrix?) with different
verdicts, it is reported ambiguous (UNDECIDED, both readings in the reason).

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.md"
>>> _ = p.write_text("$$\\mathbf{A}\\mathbf{B} = \\mathbf{B}\\mathbf{A}$$\n", encoding="utf-8")
>>> audit(p)["questions"][0]["lines"][0]["verdict"]
'REFUTED'
"""


from __future__ import annotations

import hashlib
import math
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from .audit_question import ORDER, LineVerdict, _audit_question
from .audit_readings import placements, read_both
from ..read.context import SymbolTable, load_context, readings
from ..read.latex import ReadError, parse_tree, uses
from ..read.repairs import MAX_PLACES, unclosed
from ..read.source import Document, read_file
from ..verdicts.step_memo import StepMemo

__all__ = ["LineVerdict", "ORDER", "audit", "audit_lines", "document", "prepare_question", "question_json", "question_key",
           "render", "shown_rows"]

SHARED_MEMO: StepMemo | None = None  # set in a class audit's worker: one memo for all its submissions


def audit(path: str | Path, *, context: str | Path | None = None, seed: int = 0, budget: float = 10.0,
          jobs: int | None = None) -> dict:
    r"""Audit the submission at ``path``; the JSON document as a dict (see the module docstring).

    ``jobs > 1`` checks the questions in that many forked processes (the
    runner's pool, :func:`symbolic.app.runner.run_checks`): the same verdicts and
    counterexamples as one process, in the same order.  ``None`` (the default): one
    process per CPU when the file has several questions (:func:`symbolic.app.runner.default_jobs`).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.md"
    >>> _ = p.write_text("Question 1\n$$a + a = 2a$$\nQuestion 2\n$$a a = 2a$$\n", encoding="utf-8")
    >>> doc = audit(p, seed=3, jobs=2)
    >>> [x["verdict"] for q in doc["questions"] for x in q["lines"]], doc["summary"]["seed"]
    (['PROVED', 'REFUTED'], 3)
    """
    return audit_lines(path, context=context, seed=seed, budget=budget, jobs=jobs)[0]


def audit_lines(path: str | Path, *, context: str | Path | None = None, seed: int = 0, budget: float = 10.0,
                jobs: int | None = None) -> tuple[dict, list[list[str]]]:
    r"""The audit (as :func:`audit`) and, per question and line, the LaTeX to show: the row with the
    student's macros expanded and its label removed (the row as written when it could not be prepared).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.tex"
    >>> _ = p.write_text("\\newcommand{\\bx}{\\mathbf{x}}\n\\[ \\bx = \\bx \\tag{1} \\]\n", encoding="utf-8")
    >>> audit_lines(p)[1]
    [['\\mathbf{x} = \\mathbf{x}']]
    """
    from .runner import default_jobs, run_checks

    t0 = time.perf_counter()
    doc = read_file(path)
    table = load_context(context) if context is not None else SymbolTable()
    work = [prepare_question(doc, n, table, budget) for n in range(len(doc.questions))]
    questions = [question_json(w.q, [v.to_json() for v in verdicts])
                 for w, verdicts in zip(work, run_checks(work, seed=seed, cache=False, weights=[w.weight for w in work],
                                                         jobs=default_jobs(len(work)) if jobs is None else jobs))]
    return document(path, context, doc, questions, time.perf_counter() - t0, seed), shown_rows(doc)


def shown_rows(doc: Document) -> list[list[str]]:
    r"""Per question and line of ``doc``, the LaTeX to show: the row with the student's macros expanded and its
    label removed (the row as written when it could not be prepared).

    >>> from symbolic.read.source import read_text
    >>> shown_rows(read_text("Question 1\n$$a = a \\tag{2}$$\n", "a.md"))
    [['a = a']]
    """
    return [[ln.text or ln.latex for ln in doc.lines if ln.question == q] for q in doc.questions]


def prepare_question(doc: Document, number: int, table: SymbolTable, budget: float = 10.0) -> "_Question":
    r"""Question ``number`` (0 the first) of ``doc``, its rows read, ready to check under ``table``: only its own
    rows are parsed, and only they decide how its names are read.

    >>> from symbolic.read.source import read_text
    >>> doc = read_text("Question 1\n$$a + a = 2a$$\nQuestion 2\n$$a a = 2a$$\n", "a.md")
    >>> [x.verdict for x in prepare_question(doc, 1, SymbolTable()).check()]
    ['REFUTED']
    """
    q = doc.questions[number]
    idx = tuple(i for i, ln in enumerate(doc.lines) if ln.question == q)
    trees, errors, repairs = {}, {}, {}
    for i in idx:
        ln = doc.lines[i]
        if ln.problem:
            errors[i] = ln.problem
            continue
        try:
            trees[i] = parse_tree(ln.text)
        except ReadError as err:
            u = unclosed(ln.text)
            if u is None or not u.places:
                errors[i] = err.message if u is None else f"{err.message} (an unclosed ( at character {u.at}: " \
                    + (f"{u.tried} places for its ), not tried)" if u.tried > MAX_PLACES else "no place for its ) reads)")
                continue
            repairs[i] = (u.at, list(u.places))  # checked under each placement (audit_readings.py)
            trees[i] = parse_tree(u.places[0][1])
    q_uses: dict[str, set] = {}
    for tree in trees.values():
        for name, feats in uses(tree).items():
            q_uses.setdefault(name, set()).update(feats)
    if math.prod(len(r[1]) for r in repairs.values()) > MAX_PLACES * 2:  # too many placements in all: not tried
        errors.update({i: f"an unclosed ( at character {repairs[i][0]}, in a question with too many such rows to "
                       "try every placement" for i in repairs})
        repairs = {}
    base = table.for_question(q).from_use(q_uses)
    return _Question(f"q{number + 1}", doc, q, idx, errors, tuple(readings(base, q_uses)), budget, number, repairs)


def question_key(doc: Document, number: int, seed: int, budget: float) -> str:
    r"""Everything the check of question ``number`` of ``doc`` reads but the context (the same for a whole
    class), the file's name left out: two submissions with this question written alike, at the same place, get
    the same verdicts (what its rows could not be read as, and how, follows from the rows).

    >>> from symbolic.read.source import read_text
    >>> a = read_text("$$x = x$$\n", "a.md"); b = read_text("$$x = x$$\n", "b.md")
    >>> question_key(a, 0, 0, 10.0) == question_key(b, 0, 0, 10.0), question_key(a, 0, 0, 10.0) == question_key(a, 0, 1, 10.0)
    (True, False)
    """
    q = doc.questions[number]
    rows = [repr(replace(ln, file="")) for ln in doc.lines if ln.question == q]
    parts = [q, str(number), str(seed), repr(float(budget)), *rows]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def question_json(q: str, lines: list[dict]) -> dict:
    """The JSON entry of a question from its lines' entries (:meth:`LineVerdict.to_json`), with its first
    REFUTED line (None when there is none).

    >>> question_json("1", [{"line": 4, "verdict": "REFUTED"}])["first_wrong_line"]
    4
    """
    first = next((x["line"] for x in lines if x["verdict"] == "REFUTED"), None)
    return {"question": q, "first_wrong_line": first, "lines": lines}


def document(path: str | Path, context: str | Path | None, doc: Document, questions: list[dict], seconds: float,
             seed: int) -> dict:
    """The audit's JSON document of ``doc`` from its questions' entries (:func:`question_json`).

    >>> from symbolic.read.source import read_text
    >>> document("a.md", None, read_text("", "a.md"), [], 0.5, 0)["summary"]["seed"]
    0
    """
    summary = _summary(doc, questions, seconds)
    summary["seed"] = seed
    return {"file": str(path), "context": None if context is None else str(context),
            "questions": questions, "summary": summary}


@dataclass(frozen=True, eq=False)
class _Question:
    """One question to check, under each of its readings: a unit of work of the runner's pool."""

    name: str
    doc: Document
    q: str
    idx: tuple[int, ...]
    errors: dict
    tables: tuple
    budget: float
    number: int
    repairs: dict = field(default_factory=dict)  # line index -> (its unclosed ( , [(where, row), ...])

    @property
    def weight(self) -> int:
        """A rough cost, to start the heaviest questions first: lines x readings x placements."""
        return len(self.idx) * max(1, len(self.tables)) * math.prod(len(r[1]) for r in self.repairs.values())

    def check(self, *, seed: int = 0, cache: bool = False) -> list[LineVerdict]:
        """The verdict of each line (the runner calls this for an object checked its own way)."""
        # a step checked unchanged under another reading (or in another submission of a class: audit_class.py)
        # is answered from the first run
        memo = SHARED_MEMO if SHARED_MEMO is not None else StepMemo()

        def run(doc: Document) -> list[LineVerdict]:
            results = [(label, read_both(lambda fixed: _audit_definitions(
                doc, self.q, list(self.idx), self.errors, t, seed, self.budget, self.number, memo, fixed)))
                for label, t in self.tables]
            return results[0][1] if len(results) == 1 else _combine(results)

        return placements(self.doc, self.repairs, run) if self.repairs else run(self.doc)


def _combine(results) -> list[LineVerdict]:
    (la, a), (lb, b) = results[0], results[1]
    out = []
    for x, y in zip(a, b):
        if x.verdict != y.verdict and "UNREAD" in (x.verdict, y.verdict):  # only one reading can be read
            out.append(x if y.verdict == "UNREAD" else y)
        elif x.verdict == y.verdict:
            note = f" (the same under both readings: {la}; {lb})" if x.verdict != "UNREAD" else ""
            out.append(LineVerdict(x.line, x.relation, x.verdict, (x.reason or "") + note if note else x.reason,
                                   x.counterexample))
        else:
            out.append(LineVerdict(x.line, x.relation, "UNDECIDED",
                                   f"ambiguous: read with {la} it is {x.verdict}, with {lb} it is {y.verdict}; "
                                   "declare them in the context file", None))
    return out


def _audit_definitions(doc: Document, q: str, idx: list[int], errors: dict, table: SymbolTable, seed: int,
                       budget: float, number: int, memo: StepMemo | None = None,
                       fixed: dict | None = None) -> tuple[list[LineVerdict], set]:
    """The verdicts of a question where a name is defined twice (two update rules both written ``v_t = ...``):
    the question is read once per definition; a line holds if it holds with one of them, and says which.  With
    them, the readings lines left open (tuple keys, read/unlabelled.py), ``fixed`` holding those in force."""
    fixed = fixed or {}
    first, counts = _audit_question(doc, q, idx, errors, table, seed, budget, number, dict(fixed), memo)
    open_ = {k for k in counts if isinstance(k, tuple)}
    counts = {k: v for k, v in counts.items() if not isinstance(k, tuple)}
    if not counts:
        return first, open_
    rules = [k for k in counts if k.startswith("the update rules of ")]  # declared by the context
    texts = [k for k in counts if k not in rules]  # defined twice in the text
    # every pairing of a text definition with a context rule is a reading (the text may write them in any order)
    combos = [(r, u) for r in range(max([counts[k] for k in texts] or [1]))
              for u in range(max([counts[k] for k in rules] or [1]))]
    runs = [first] + [_audit_question(doc, q, idx, errors, table, seed, budget, number,
                                      {**fixed, **{k: min(r, counts[k] - 1) for k in texts},
                                       **{k: min(u, counts[k] - 1) for k in rules}}, memo)[0] for r, u in combos[1:]]
    names = [f"definition {r + 1} and update rule {u + 1}" if texts and rules else f"definition {max(r, u) + 1}"
             for r, u in combos]
    lines = {k: ", ".join(map(str, v)) for k, v in _definition_lines(doc, idx, runs[0]).items()}
    out = []
    for k, xs in enumerate(zip(*runs)):
        read = [(j, x) for j, x in enumerate(xs) if x.verdict != "UNREAD"] or list(enumerate(xs))
        if len({x.verdict for _, x in read}) == 1:
            out.append(read[0][1])
            continue
        at, x = max(read, key=lambda jx: ORDER.get(jx[1].verdict, -1))
        others = "; ".join(f"with {names[j]} it is {y.verdict}" for j, y in read if j != at)
        which = "; ".join([f"{name} has definitions at lines {at}" for name, at in sorted(lines.items())]
                          + [f"{k} in the context" for k in rules])
        out.append(LineVerdict(x.line, x.relation, x.verdict, f"{x.reason or ''} (read with {names[at]} "
                               f"of the names defined twice: {which}; {others})", x.counterexample))
    return out, open_


def _definition_lines(doc: Document, idx: list[int], verdicts: list[LineVerdict]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for x in verdicts:
        m = re.match(r"(?:read as (?:the|one of the) definitions? of) (\S+)", x.reason or "")
        if m and x.verdict == "UNDECIDED":
            out.setdefault(m.group(1).rstrip(","), []).append(x.line.line)
    return {k: v for k, v in out.items() if len(v) > 1}


def _summary(doc: Document, questions: list[dict], seconds: float) -> dict:
    lines = [x for q in questions for x in q["lines"]]
    count = {v: sum(1 for x in lines if x["verdict"] == v) for v in ("PROVED", "CONFIRMED", "REFUTED", "UNDECIDED", "UNREAD")}
    return {"lines": len(lines), "read": len(lines) - count["UNREAD"],
            "checked": count["PROVED"] + count["CONFIRMED"] + count["REFUTED"],
            "proved": count["PROVED"], "confirmed": count["CONFIRMED"], "refuted": count["REFUTED"],
            "undecided": count["UNDECIDED"], "unread": count["UNREAD"],
            "problems": [str(p) for p in doc.problems], "seconds": round(seconds, 3)}


def render(report: dict, width: int = 60, *, lang: str = "en") -> str:
    """The terminal text of an audit: a table per question, then the summary, in ``lang`` (en or fr).

    >>> print(render({"file": "a.md", "context": None, "questions": [], "summary": {"lines": 0, "read": 0,
    ...     "checked": 0, "refuted": 0, "unread": 0, "problems": ["a.md:1:1: the file is empty"]}}))
    audit of a.md (no context file: default conventions)
    a.md:1:1: the file is empty
    lines 0, read 0, checked 0, refuted 0, unread 0
    """
    from ..emit.audit_text import words

    W = words(lang, "terminal")
    ctx = W("context", file=report["context"]) if report["context"] else W("no_context")
    out = [W("audit_of", file=report["file"], context=ctx)]
    out += report["summary"]["problems"]
    for q in report["questions"]:
        first = W("first_wrong", n=q["first_wrong_line"]) if q["first_wrong_line"] else ""
        out.append(f"\n{W('question', q=q['question'] or W('before_heading'))}{first}")
        out.append(f"  {W('col_label'):<8} {W('col_line'):>5}  {W('col_the_line'):<{width}}  "
                   f"{W('col_verdict'):<10} {W('col_why')}")
        for x in q["lines"]:
            latex = " ".join(x["latex"].split())
            latex = latex if len(latex) <= width else latex[:width - 3] + "..."
            why = x["counterexample"]["gap"] if x["counterexample"] else (x["reason"] or "")
            if x["counterexample"]:
                why += f" {W('at')} " + ", ".join(f"{k}={_short(v)}"
                                                  for k, v in list(x["counterexample"]["values"].items())[:4])
            out.append(f"  {str(x['label'] or ''):<8} {x['line']:>5}  {latex:<{width}}  "
                       f"{W('verdict_' + x['verdict']):<10} {why[:120]}")
    s = report["summary"]
    out.append(W("summary", lines=s["lines"], read=s["read"], checked=s["checked"], refuted=s["refuted"],
                 unread=s["unread"]))
    return "\n".join(out)


def _short(v) -> str:
    text = str(v)
    return text if len(text) <= 30 else text[:27] + "..."
