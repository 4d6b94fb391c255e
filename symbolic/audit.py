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

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .algebra import MatrixExpr, sp
from .derivation import Derivation
from .engine import check
from .exceptions import StepcheckError
from .model import Source
from .read.build import UNCHECKED
from .read.notation import undefined_derivative
from .read.context import SymbolTable, canonical, load_context, readings
from .read.latex import ReadError, parse_tree, read_chain, uses
from .read.premises import CUE, REL, antecedents, condition, declared_already, join, redefines
from .read.scope import premises_unread, recurrent
from .read.source import Document, Line, read_file

_BARE = (sp.Symbol, sp.MatrixSymbol)
_WHOLE = ("an implication", "an equivalence", "a limit", "a map", "an assignment")  # a line holding one is not checked at all
_REL, _CUE = REL, CUE
_DEFINING = re.compile(r"\s*(?:\\[a-zA-Z]+\s*)?\{?\\?[A-Za-z]+\}?(?:[_^]\{[^{}=]*\}|[_^]\\?[A-Za-z0-9]+){0,2}\s*(?::=|=)")
ORDER = {"REFUTED": 0, "UNDECIDED": 1, "CONFIRMED": 2, "PROVED": 3}


@dataclass(frozen=True)
class LineVerdict:
    """The verdict on one line of the file (the ``lines`` entries of the JSON)."""

    line: Line
    relation: str | None
    verdict: str
    reason: str | None = None
    counterexample: dict | None = None

    def to_json(self) -> dict:
        """The JSON entry, with the issue's key names.

        >>> LineVerdict(Line("a.md", 3, 1, "x", None, ""), None, "UNREAD", "why").to_json()["line"]
        3
        """
        return {"label": self.line.label, "line": self.line.line, "latex": self.line.latex,
                "relation": self.relation, "verdict": self.verdict, "reason": self.reason,
                "counterexample": self.counterexample}


def audit(path: str | Path, *, context: str | Path | None = None, seed: int = 0, budget: float = 10.0,
          jobs: int = 1) -> dict:
    r"""Audit the submission at ``path``; the JSON document as a dict (see the module docstring).

    ``jobs > 1`` checks the questions in that many forked processes (the
    runner's pool, :func:`symbolic.runner.run_checks`): the same verdicts and
    counterexamples as one process, in the same order.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.md"
    >>> _ = p.write_text("Question 1\n$$a + a = 2a$$\nQuestion 2\n$$a a = 2a$$\n", encoding="utf-8")
    >>> doc = audit(p, seed=3, jobs=2)
    >>> [x["verdict"] for q in doc["questions"] for x in q["lines"]], doc["summary"]["seed"]
    (['PROVED', 'REFUTED'], 3)
    """
    return audit_lines(path, context=context, seed=seed, budget=budget, jobs=jobs)[0]


def audit_lines(path: str | Path, *, context: str | Path | None = None, seed: int = 0, budget: float = 10.0,
                jobs: int = 1) -> tuple[dict, list[list[str]]]:
    r"""The audit (as :func:`audit`) and, per question and line, the LaTeX to show: the row with the
    student's macros expanded and its label removed (the row as written when it could not be prepared).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.tex"
    >>> _ = p.write_text("\\newcommand{\\bx}{\\mathbf{x}}\n\\[ \\bx = \\bx \\tag{1} \\]\n", encoding="utf-8")
    >>> audit_lines(p)[1]
    [['\\mathbf{x} = \\mathbf{x}']]
    """
    from .runner import run_checks

    t0 = time.perf_counter()
    doc = read_file(path)
    table = load_context(context) if context is not None else SymbolTable()
    trees, errors = {}, {}
    all_uses: dict[str, set] = {}
    for i, ln in enumerate(doc.lines):
        if ln.problem:
            errors[i] = ln.problem
            continue
        try:
            trees[i] = parse_tree(ln.text)
        except ReadError as err:
            errors[i] = err.message
            continue
        for name, feats in uses(trees[i]).items():
            all_uses.setdefault(name, set()).update(feats)
    work, shown = [], []
    for number, q in enumerate(doc.questions):
        idx = [i for i, ln in enumerate(doc.lines) if ln.question == q]
        q_uses: dict[str, set] = {}
        for i in idx:
            if i in trees:
                for name, feats in uses(trees[i]).items():
                    q_uses.setdefault(name, set()).update(feats)
        base = table.for_question(q).from_use(q_uses)
        work.append(_Question(f"q{number + 1}", doc, q, tuple(idx), errors, tuple(readings(base, q_uses)),
                              budget, number))
        shown.append([doc.lines[i].text or doc.lines[i].latex for i in idx])
    questions = []
    for w, verdicts in zip(work, run_checks(work, seed=seed, cache=False, jobs=jobs)):
        first = next((v.line.line for v in verdicts if v.verdict == "REFUTED"), None)
        questions.append({"question": w.q, "first_wrong_line": first, "lines": [v.to_json() for v in verdicts]})
    summary = _summary(doc, questions, time.perf_counter() - t0)
    summary["seed"] = seed
    return ({"file": str(path), "context": None if context is None else str(context),
             "questions": questions, "summary": summary}, shown)


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

    def check(self, *, seed: int = 0, cache: bool = False) -> list[LineVerdict]:
        """The verdict of each line (the runner calls this for an object checked its own way)."""
        results = [(label, _audit_definitions(self.doc, self.q, list(self.idx), self.errors, t, seed, self.budget,
                                              self.number)) for label, t in self.tables]
        return results[0][1] if len(results) == 1 else _combine(results)


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
                       budget: float, number: int) -> list[LineVerdict]:
    """The verdicts of a question where a name is defined twice (two update rules both written ``v_t = ...``):
    the question is read once per definition; a line holds if it holds with one of them, and says which."""
    first, counts = _audit_question(doc, q, idx, errors, table, seed, budget, number, {})
    if not counts:
        return first
    runs = [first] + [_audit_question(doc, q, idx, errors, table, seed, budget, number,
                                      {k: min(r, n - 1) for k, n in counts.items()})[0]
                      for r in range(1, max(counts.values()))]
    lines = {k: ", ".join(map(str, v)) for k, v in _definition_lines(doc, idx, runs[0]).items()}
    out = []
    for k, xs in enumerate(zip(*runs)):
        read = [x for x in xs if x.verdict != "UNREAD"] or list(xs)
        if len({x.verdict for x in read}) == 1:
            out.append(read[0])
            continue
        best = max(range(len(read)), key=lambda j: ORDER.get(read[j].verdict, -1))
        x = read[best]
        others = "; ".join(f"with definition {j + 1} it is {y.verdict}" for j, y in enumerate(read) if j != best)
        which = "; ".join(f"{name} has definitions at lines {at}" for name, at in sorted(lines.items()))
        out.append(LineVerdict(x.line, x.relation, x.verdict, f"{x.reason or ''} (read with definition {best + 1} "
                               f"of the names defined twice: {which}; {others})", x.counterexample))
    return out


def _definition_lines(doc: Document, idx: list[int], verdicts: list[LineVerdict]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for x in verdicts:
        m = re.match(r"(?:read as (?:the|one of the) definitions? of) (\S+)", x.reason or "")
        if m and x.verdict == "UNDECIDED":
            out.setdefault(m.group(1).rstrip(","), []).append(x.line.line)
    return {k: v for k, v in out.items() if len(v) > 1}


def _audit_question(doc: Document, q: str, idx: list[int], errors: dict, table: SymbolTable, seed: int,
                    budget: float, number: int, choice: dict[str, int]) -> tuple[list[LineVerdict], dict[str, int]]:
    """The verdicts of a question's lines, and how many definitions each name defined more than once has;
    ``choice`` says which of them (0 the first) is in force: the others are not substituted."""
    values: dict[str, list] = {}  # name -> the values of its definition lines so far, taken or not
    recurrences: dict[str, int] = {}  # the base of a name defined by a recurrence -> its line
    d = Derivation(f"q{number + 1}", source=Source(Path(doc.file).name, q, "submitted"), budget=budget)
    try:
        scope = table.scope(d)
    except StepcheckError as err:
        return [LineVerdict(doc.lines[i], None, "UNREAD", f"the context cannot be declared: {err}") for i in idx], {}
    plan: list[tuple[int, list[str], str | None]] = []  # line index, step labels, reason when not checked
    opaque: dict[int, set[str]] = {}  # line index -> the values f(x, y) of undeclared functions it holds
    partial: set[int] = set()  # lines some of whose relations are read but not checked
    conditions: set[int] = set()  # inline relations between parameters and a number: maybe a case of the text
    fdefs: dict[str, int] = {}  # functions a line defines (sigma(x) = ...), not substituted -> that line
    fused: dict[int, list[str]] = {}  # line index -> the functions so defined it uses
    unread: dict[int, str] = {}
    prev = None  # the last expression read: a continuing line relates to it
    seen: set[str] = set()
    gap = None
    premises = {idx[k] for k in antecedents([doc.lines[i] for i in idx])}
    for i in idx:
        ln = doc.lines[i]
        if re.fullmatch(r"\s*\\[vcl]?dots\s*[,.;]?\s*", ln.text):
            plan.append((i, [], "an ellipsis row (the pattern goes on): nothing to check"))
            continue
        if i in premises:  # "a = b and c = d implies ...": the premise of an implication stated in words
            plan.append((i, [], "the premise of an implication stated in words (\"... implies\"): not a claim"))
            continue
        if i in errors:
            unread[i] = _where(ln, errors[i])
            gap = gap or ln.line
            continue
        scope.notes.clear()
        try:
            chain = read_chain(ln.text, scope)
        except (ReadError, StepcheckError) as err:
            unread[i] = _where(ln, getattr(err, "message", str(err)))
            gap = gap or ln.line
            continue
        exprs, rels = list(chain.exprs), list(chain.relations)
        labels: list[str] = []
        note = "; ".join(scope.notes) or None  # how the text was read where it left a choice
        try:
            if chain.continues:
                if prev is None or gap is not None:  # its left side is an unread line's: never an earlier one's
                    unread[i] = _where(ln, f"continues an unread line (line {gap}): the chain is broken there"
                                       if gap is not None else "continues a chain, but no line before it in this "
                                       "question was read")
                    continue
                exprs = [prev] + exprs
            known = {sym for sym, _ in d.definitions}
            bad = [undefined_derivative([e], known, scope.unknown) for e in exprs]  # such a side is read, its relations not checked
            if not rels:
                plan.append((i, [], "an expression with no relation: nothing to check"))
                prev, gap = exprs[-1], None
                continue
            whole = [UNCHECKED[r] for r in rels if r in UNCHECKED and UNCHECKED[r].startswith(_WHOLE)]
            if whole:  # a => b, a \iff b, x \to 0: what follows is not an identity of its own
                plan.append((i, [], f"read: {whole[0]}, not checked"))
                prev, gap = exprs[-1], None
                continue
            if not chain.continues and rels[0] in ("=", ":=") and _defines_function(exprs[0], exprs[1], scope):
                if _head(exprs[0]) in fdefs:
                    plan.append((i, [], f"a claim on the function {_head(exprs[0])} line {fdefs[_head(exprs[0])]} "
                                        "defines (not substituted): not checked"))
                else:
                    fdefs[_head(exprs[0])] = ln.line
                    plan.append((i, [], f"read as the definition of the function {exprs[0]}: not checked, and not "
                                        "substituted (declare the function in the context file to use it)"))
                prev, gap = exprs[-1], None
                continue
            if not chain.continues and rels[0] == ":=" and isinstance(exprs[0], _BARE) \
                    and exprs[0] in getattr(exprs[1], "free_symbols", ()):  # theta := theta - a g: an update
                plan.append((i, [], f"read as an update of {exprs[0]} (on both sides of :=): a step of an "
                                    "algorithm, not a claim"))
                prev, gap = exprs[-1], None
                continue
            start = 0
            if not chain.continues and ln.label is None and condition(exprs, rels, table):
                plan.append((i, [], "an equation between parameters the context declares: read as a condition, "
                                    "not a claim (nothing derives one independent parameter from another)"))
                continue
            if not chain.continues and _hypothesis(exprs, rels) and not declared_already(d, exprs, rels, ln.line):
                plan.append((i, [], "read as a hypothesis: assumed in the lines that follow, not checked"))
                continue
            if not chain.continues and not ln.display and ln.label is None and _parametric(exprs, rels) \
                    and not {s for e in exprs for s in e.free_symbols} & {sym for sym, _ in d.definitions}:
                conditions.add(i)  # eta lambda > 2 in the text: a case it considers, or a claim? never refuted
            defined = {str(sym) for sym, _ in d.definitions}
            key = str(exprs[0]) if isinstance(exprs[0], _BARE) else None
            if bad[0]:  # d(f(x,y))/dx = ...: a claim on an unknown, never a definition
                defined.add(str(exprs[0]))
            again = key in values and redefines(values[key], exprs, rels, chain.continues, ln)
            if again or (not chain.continues and rels[0] in ("=", ":=")
                         and _definable(exprs[0], seen, table, defined, ln)):
                values.setdefault(key, []).append(exprs[1])
                if len(values[key]) - 1 != choice.get(key, 0):
                    plan.append((i, [], f"read as one of the definitions of {key}, not in force in this reading"))
                    continue
            if again:
                defined.discard(key)
                seen.discard(key)
            if not chain.continues and rels[0] in ("=", ":=") and _definable(exprs[0], seen, table, defined, ln) \
                    and bad[1]:  # J = dL/dW with L defined nowhere: J is unknown, no counterexample may use it
                scope.opaque.add(str(exprs[0]))
                start = 1
                note = join(f"read as the definition of {exprs[0]} by an unknown: {bad[1]}", note)
            elif not chain.continues and rels[0] in ("=", ":=") and _definable(exprs[0], seen, table, defined, ln):
                if (not hasattr(exprs[0], "shape") and hasattr(exprs[1], "shape") and exprs[0] not in exprs[1].free_symbols) \
                        or _written_out(exprs[0], exprs[1]):
                    exprs[0] = scope.reshape(exprs[0].name, exprs[1])  # h = W x + b: h takes the shape it is given
                try:
                    d.define(exprs[0], exprs[1])
                    if recurrent(str(exprs[0]), {str(x) for x in getattr(exprs[1], "free_symbols", ())}):
                        recurrences[str(exprs[0]).split("_")[0]] = ln.line
                    start = 1
                    note = join(f"read as the definition of {exprs[0]}, substituted in the lines that follow", note)
                except StepcheckError:
                    pass  # it refers to itself: a claim, checked as written
            elif (not chain.continues and len(rels) == 1 and rels[0] == "=" and _CUE.search(ln.intro)
                  and scope.reversed_definition(exprs[1], exprs[0], seen | defined) is not None):
                name, value = scope.reversed_definition(exprs[1], exprs[0], seen | defined)
                start = 1
                if bad[0]:  # c defined from an unknown: c is unknown too
                    scope.opaque.add(str(name))
                    note = join(f"read as the definition of {name} by an unknown: {bad[0]}", note)
                else:
                    d.define(name, value)  # "with ||a||^2 / ||b||^2 = c^2": c is the new name
                    note = join(f"read as the definition of {name} (the nonnegative root), substituted in the lines "
                                 "that follow", note)
            for k in range(start, len(rels)):
                if rels[k] in UNCHECKED:  # a \approx b = c: the = is checked, the \approx is not
                    note = "; ".join(x for x in (note, f"read: {UNCHECKED[rels[k]]} ({rels[k]}), not checked") if x)
                    partial.add(i)
                    continue
                if bad[k] or bad[k + 1]:  # dL/dW = A = B with L defined nowhere: A = B is checked, not dL/dW = A
                    why = f"not checked: {bad[k] or bad[k + 1]}"
                    note = "; ".join(x for x in (note, why) if x and why not in (note or ""))
                    partial.add(i)
                    continue
                label = f"{ln.line}.{ln.column}.{k + 1}"
                rel = "=" if rels[k] == ":=" else rels[k]
                if k == 0 and not chain.continues:
                    d.claim(exprs[0], rel, exprs[1], label)
                else:
                    d.start(exprs[k])
                    d.step(rel, exprs[k + 1], label)
                labels.append(label)
        except StepcheckError as err:
            unread[i] = _where(ln, err.message)
            continue
        seen |= {str(s) for e in exprs for s in getattr(e, "free_symbols", ())}
        if scope.opaque:
            opaque[i] = _opaque_in(exprs, d, scope.opaque)
        if fdefs:
            fused[i] = sorted({_head(a) for e in exprs if isinstance(e, sp.Basic) for a in sp.preorder_traversal(e)
                               if isinstance(a, sp.core.function.AppliedUndef) or type(a).__name__ == "Apply"}
                              & set(fdefs))
        plan.append((i, labels, note))
        prev, gap = exprs[-1], None
    try:
        res = check(d, seed=seed, cache=False) if d.steps else None
        failure = None
    except StepcheckError as err:
        res, failure = None, str(err)
    out = []
    by_index = {i: (labels, note) for i, labels, note in plan}
    for i in idx:
        ln = doc.lines[i]
        if i in unread:
            out.append(LineVerdict(ln, None, "UNREAD", unread[i]))
            continue
        labels, note = by_index[i]
        relation = " ".join(_rels(d, labels)) or None
        if not labels:
            out.append(LineVerdict(ln, relation, "UNDECIDED", note))
        elif res is None:
            out.append(LineVerdict(ln, relation, "UNDECIDED", f"the engine could not check it: {failure}"))
        else:
            steps = sorted((res.step(lab) for lab in labels), key=lambda s: ORDER[s.verdict.value])
            worst = steps[0]
            said = worst.reason or (worst.evidence.summary() if worst.evidence else None)
            reason = "; ".join(x for x in (said, note) if x) or None
            cex = worst.counterexample.to_json() if worst.counterexample is not None else None
            missing = premises_unread(cex["values"], _unread_names(doc, idx, unread, i)) if cex else []
            if missing:  # the counterexample may only break a premise stated in a line not read
                out.append(LineVerdict(ln, relation, "UNDECIDED", f"a counterexample was found, but line "
                                       f"{', '.join(map(str, missing))} (not read) may state a premise on its "
                                       f"names ({', '.join(sorted(cex['values']))}): not refuted", None))
                continue
            if cex and opaque.get(i):  # f(x, y) took values no function may take together
                out.append(LineVerdict(ln, relation, "UNDECIDED", "a counterexample was found, but it takes "
                                       f"{', '.join(sorted(opaque[i]))} (values of undeclared functions, or names "
                                       "defined from derivatives of undefined names) as independent numbers, which "
                                       "they need not be: not refuted (declare them in the context file)", None))
                continue
            rec = sorted({recurrences[n.split("_")[0]] for n in cex["values"] if "_" in n
                          and n.split("_")[0] in recurrences} if cex else set())
            if rec:  # v_t = a v_{t-1} + ...: substituted at v_t only, never at v_{t-1}
                out.append(LineVerdict(ln, relation, "UNDECIDED", f"a counterexample was found, but its names include "
                                       f"terms of a recurrence (line {', '.join(map(str, rec))}) that is substituted "
                                       "at its own index only: not refuted", None))
                continue
            verdict = worst.verdict.value
            if verdict == "REFUTED" and fused.get(i):
                out.append(LineVerdict(ln, relation, "UNDECIDED", f"a counterexample was found, but on a function "
                                       f"{', '.join(fused[i])} other than the one line {fdefs[fused[i][0]]} defines "
                                       "(not substituted): not refuted", None))
                continue
            if verdict == "REFUTED" and i in conditions:
                out.append(LineVerdict(ln, relation, "UNDECIDED", "a counterexample was found, but an inline relation "
                                       "between parameters and a number (\\eta \\lambda > 2) may be a case the text "
                                       "considers, not a claim: not refuted", None))
                continue
            if verdict in ("PROVED", "CONFIRMED") and i in partial:
                verdict, reason = "UNDECIDED", f"its checked steps are {verdict}, but {reason}"  # a \approx b = c
            out.append(LineVerdict(ln, relation, verdict, reason, cex))
    return out, {k: len(v) for k, v in values.items() if len(v) > 1}



def _unread_names(doc: Document, idx: list[int], unread: dict, upto: int) -> list[tuple[int, set]]:
    """The names each unread line of the question before line ``upto`` mentions (all its words when unparsed)."""
    out = []
    for j in idx:
        ln = doc.lines[j]
        if j >= upto or j not in unread or not (not ln.display or _CUE.search(ln.intro) or _DEFINING.match(ln.text)):
            continue  # only a line that may state a premise: inline, after "let"/"with", or "name = ..."
        text = ln.text
        if re.match(r"[^=]*:=", text):  # "||A|| := max ...": a premise on what it defines only
            text = text.split(":=")[0].strip()
        elif ln.display and not _CUE.search(ln.intro):  # a display "name = ...": a premise on that name only
            text = _DEFINING.match(text).group(0).rstrip(":=").strip()
        try:
            names = set(uses(parse_tree(text)))
        except (ReadError, StepcheckError):
            names = set(re.findall(r"[A-Za-z]+", text))
        names.add(canonical(re.sub(r"\\[A-Za-z]+|\s", "", text)))  # o^{s}: the labelled name itself
        out.append((doc.lines[j].line, names))
    return out


def _rels(d: Derivation, labels: list[str]) -> list[str]:
    return [s.relation for s in d.steps if s.label in labels]


def _definable(lhs: Any, seen: set[str], table: SymbolTable, defined: set[str], ln: Line) -> bool:
    """A bare name, not declared by the context, not defined yet, met for the first time or after "let", "on pose"..."""
    name = getattr(lhs, "name", None)
    if not isinstance(name, str) or name in defined or not isinstance(lhs, _BARE):
        return False
    if name in table.symbols:  # declared by the context: defined here only when the text says so ("with", "let")
        return bool(_CUE.search(ln.intro))
    return name not in seen or bool(_CUE.search(ln.intro))


def _opaque_in(exprs: list, d: Derivation, opaque: set[str]) -> set[str]:
    """The values of undeclared functions in ``exprs``, directly or through the definitions substituted in them."""
    names = {str(s) for e in exprs for s in getattr(e, "free_symbols", ())}
    for sym, value in d.definitions:
        if str(sym) in names:
            names |= {str(s) for s in getattr(value, "free_symbols", ())}
    return names & opaque


def _head(e: Any) -> str:
    """The function's name of an application: ``sigma`` of ``sigma(x)``, ``Apply(sigma, X)`` or ``sigma'(x)``."""
    if type(e).__name__ == "Apply":
        return str(e.args[0]).rstrip("'")
    return (type(e).__name__ if isinstance(e, sp.core.function.AppliedUndef) else str(e).split("(")[0]).rstrip("'")


def _defines_function(lhs: Any, rhs: Any, scope) -> bool:
    """``\\sigma(x) = 1/(1 + e^{-x})``, ``a'(\\eta) = \\eta``, ``f(x, y) = x y``: a function (an activation, a value of an
    undeclared one) applied to bare names, on the left of ``=``: its definition, never a claim on an arbitrary one."""
    if isinstance(lhs, sp.core.function.AppliedUndef):
        args = lhs.args
    elif isinstance(lhs, sp.Symbol) and str(lhs) in scope.opaque and "(" in str(lhs) and not str(lhs).startswith("d("):
        return lhs not in getattr(rhs, "free_symbols", ())
    else:
        return False
    return all(isinstance(a, _BARE) for a in args) and not getattr(rhs, "has", lambda *_: False)(lhs)


def _parametric(exprs: list, rels: list[str]) -> bool:
    """Every side a polynomial (or its absolute value) in scalar names, one side a number, and a relation of order
    or equality: ``\\eta \\lambda = 1``, ``|1 - \\eta \\lambda| < 1``; an identity has no number for a side."""
    ok = (sp.Symbol, sp.Number, sp.Add, sp.Mul, sp.Pow, sp.Abs)
    if not rels or any(r not in _REL for r in rels):
        return False
    if not all(isinstance(e, sp.Basic) and not isinstance(e, MatrixExpr) and
               all(isinstance(a, ok) for a in sp.preorder_traversal(e)) for e in exprs):
        return False
    return any(isinstance(e, sp.Number) for e in exprs) and any(e.free_symbols for e in exprs) and all(
        not isinstance(a, sp.Pow) or a.exp.is_Number for e in exprs for a in sp.preorder_traversal(e))


def _written_out(lhs: Any, rhs: Any) -> bool:
    """``v = [a; b]``: a vector or matrix met here first, given entry by entry, takes the size written."""
    return (isinstance(lhs, sp.MatrixSymbol) and isinstance(rhs, sp.ImmutableDenseMatrix)
            and tuple(lhs.shape) != tuple(rhs.shape))


def _hypothesis(exprs: list, rels: list[str]) -> bool:
    """``gamma > 0``, ``0 <= delta < 1``, ``t >= 1``: inequalities between bare scalar names and numbers."""
    return bool(rels) and all(r in _REL and r != "=" for r in rels) and all(
        isinstance(e, sp.Symbol) or (isinstance(e, sp.Number) and e.is_finite) for e in exprs) and any(
        isinstance(e, sp.Symbol) for e in exprs)


def _where(ln: Line, message: str) -> str:
    return f"line {ln.line}, column {ln.column}: {message}"


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
    from .audit_text import words

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
