r"""How one question of a submission is read line by line into a derivation and checked, under one reading.

:func:`symbolic.app.audit.audit` reads the file and runs :class:`symbolic.app.audit._Question` per question;
this module reads each line (a claim, a chain step, a definition, a hypothesis, a line not checked
and why), checks the derivation with the engine, and turns the steps' verdicts into a
:class:`LineVerdict` per line.  The predicates on what a line is live in :mod:`symbolic.app.audit_kinds`.

>>> from symbolic.read.source import Line
>>> LineVerdict(Line("a.md", 3, 1, "x", None, ""), None, "UNREAD", "why").verdict
'UNREAD'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..algebra import sp
from .audit_cases import check_cases, local_case
from .audit_shapes import dimension_verdict, settle, sizes_apart
from .audit_kinds import (
    _BARE,
    _CUE,
    _definable,
    _defines_function,
    _earlier_uses_apart,
    _head,
    _hypothesis,
    _opaque_in,
    _parametric,
    _unread_names,
    _written_out,
    restated,
)
from ..model.derivation import Derivation
from ..exceptions import StepcheckError
from ..model.steps import Source
from ..read.build import UNCHECKED
from ..read.coefficients import conclusions, from_premise
from ..read.dimensions import dimension_statement
from ..read.context import SymbolTable
from ..read.equations import Equation, equates, sets_to_zero, unknown_of
from ..read.implication import as_limit, in_force, split_implication
from ..read.latex import ReadError, parse_tree, read_chain, uses
from ..read.notation import undefined_derivative
from ..read.ranges import index_range, range_claims, sum_limits
from ..read.premises import antecedents, condition, declared_already, excluded_case, index_case, join, redefines
from ..read.roles import written_role
from ..read.rules import closed_form_of, initial_of, rule_counts, with_rules
from ..read.scope import premises_unread, recurrent
from ..read.source import Document, Line

_WHOLE = ("an implication", "an equivalence", "a limit", "a map", "an assignment")  # a line holding one is not checked at all
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


def _audit_question(doc: Document, q: str, idx: list[int], errors: dict, table: SymbolTable, seed: int,
                    budget: float, number: int, choice: dict,
                    memo=None) -> tuple[list[LineVerdict], dict[str, int]]:
    """The verdicts of a question's lines, and how many definitions each name defined more than once has (a
    tuple key: a reading a line left open, :mod:`symbolic.read.unlabelled`, in force when ``choice`` holds it);
    ``choice`` says which of them (0 the first) is in force: the others are not substituted; ``memo`` (a
    :class:`symbolic.verdicts.step_memo.StepMemo`) answers a step checked unchanged under another reading."""
    values: dict[str, list] = {}  # name -> the values of its definition lines so far, taken or not
    recurrences: dict[str, int] = {}  # the base of a name defined by a recurrence -> its line
    d = Derivation(f"q{number + 1}", source=Source(Path(doc.file).name, q, "submitted"), budget=budget)
    rules, table = rule_counts(table), with_rules(table, choice)  # v_t of two update rules: one in force
    try:
        scope = table.scope(d)
    except StepcheckError as err:
        return [LineVerdict(doc.lines[i], None, "UNREAD", f"the context cannot be declared: {err}") for i in idx], rules
    scope.choices = {k: v for k, v in choice.items() if isinstance(k, tuple)}  # readings in force (audit_readings.py)
    plan: list[tuple[int, list[str], str | None]] = []  # line index, step labels, reason when not checked
    opaque: dict[int, set[str]] = {}  # line index -> the values f(x, y) of undeclared functions it holds
    partial: set[int] = set()  # lines some of whose relations are read but not checked
    conditions: set[int] = set()  # inline relations between parameters and a number: maybe a case of the text
    cases: list[tuple[int, set]] = []  # inline k \neq y: the case k = y is set aside in words
    cased: dict[str, tuple] = {}  # step label -> the case it holds under (a condition row, "for $k \neq y$:")
    fdefs: dict[str, int] = {}  # functions a line defines (sigma(x) = ...), not substituted -> that line
    fused: dict[int, list[str]] = {}  # line index -> the functions so defined it uses
    unread: dict[int, str] = {}
    shaped: dict[int, tuple] = {}  # line index -> (verdict, reason, counterexample) by shape inference
    read_as: dict[int, tuple] = {}  # line index -> (its refutation by sizes, the reading of a size it is checked in)
    by_induction: dict[str, str] = {}  # a claim s_t = F(t) of a recurrence -> its induction step (PROVED: kept)
    prev = None  # the last expression read: a continuing line relates to it
    seen: set[str] = set()
    gap = None
    premises = {idx[k] for k in antecedents([doc.lines[i] for i in idx])}
    implied_by = {idx[c]: [idx[k] for k in ks] for c, ks in conclusions([doc.lines[i] for i in idx]).items()}
    factored: set[int] = set()  # conclusions checked as a factorisation of their premise: never refuted by it
    sums: list[tuple] = []  # (line, index, lower, upper) of the sums read in the question
    ranges: dict[int, tuple] = {}  # hypothesis lines lo <= i <= hi: maybe the range of a summation index
    active: Equation | None = None  # the equation the lines that follow are derived from (read/equations.py)
    for i in idx:
        ln = doc.lines[i]
        if re.fullmatch(r"\s*\\[vcl]?dots\s*[,.;]?\s*", ln.text):
            plan.append((i, [], "an ellipsis row (the pattern goes on): nothing to check"))
            continue
        if written_role(ln.text):  # {\tt ...} pseudo-code, \theta = \{W, b\}: not a claim
            plan.append((i, [], written_role(ln.text)))
            continue
        if i in premises:  # "a = b and c = d implies ...": the premise of an implication stated in words
            plan.append((i, [], "the premise of an implication stated in words (\"... implies\"): not a claim"))
            continue
        stated = None if ln.problem else dimension_statement(ln.text, frozenset(table.dims))
        if stated is not None:  # "dL/dW est d_h \times n": a claim on a shape, checked by shape inference
            shaped[i] = dimension_verdict(stated, scope, d, seen)
            plan.append((i, [], None))
            continue
        if i in errors:
            unread[i] = _where(ln, errors[i])
            gap, active = gap or ln.line, None
            continue
        scope.notes.clear()
        try:
            chain = read_chain(ln.text, scope)
        except (ReadError, StepcheckError) as err:
            unread[i] = _where(ln, getattr(err, "message", str(err)))
            gap, active = gap or ln.line, None
            continue
        except Exception as exc:  # noqa: BLE001 - a fault of the reader costs this line, never the file
            unread[i] = _where(ln, _fault("the reader", exc))
            gap, active = gap or ln.line, None
            continue
        exprs, rels = list(chain.exprs), list(chain.relations)
        sums += [(ln.line, *lim) for lim in sum_limits(exprs)]
        if not ln.display and rels == ["\\neq"] and all(isinstance(e, sp.Symbol) for e in exprs):
            cases.append((ln.line, {str(e) for e in exprs}))  # "for $k \neq y$": a case the text considers
        labels: list[str] = []
        note = "; ".join(scope.notes) or None  # how the text was read where it left a choice
        if ln.condition or ln.under:  # a case of the text: \text{for } x > 0: and the rows under it
            case_labels, case_note, part = local_case(d, scope, ln, [prev] + exprs if chain.continues and prev is not None
                                                      else exprs, rels, chain.continues and prev is None, note, cased)
            plan.append((i, case_labels, case_note))
            if part:
                partial.add(i)
            if not ln.condition:
                prev, gap = exprs[-1], None
            continue
        try:
            if chain.continues:
                if prev is None or gap is not None:  # its left side is an unread line's: never an earlier one's
                    unread[i] = _where(ln, f"continues an unread line (line {gap}): the chain is broken there"
                                       if gap is not None else "continues a chain, but no line before it in this "
                                       "question was read")
                    continue
                exprs = [prev] + exprs
            implied = active is not None and active.unknown is not None and ln.display and not chain.continues \
                and rels == ["="]
            solve = None  # (lhs, 0): the last relation, an equation to solve, taken off the checked ones
            if not implied and sets_to_zero(exprs, rels, ln, active is not None):
                solve, exprs, rels = (exprs[-2], exprs[-1]), exprs[:-1], rels[:-1]
                active = _equation(d, solve, doc, idx, i, ln)
                said = f"the relation to zero is read as an equation solved for {active.unknown} (not an identity): " \
                       "the lines that follow are checked as its consequences"
                if not rels:
                    plan.append((i, [], said))
                    prev, gap = solve[0], None
                    continue
                scope.notes.append(said)
            known = {sym for sym, _ in d.definitions}
            bad = [undefined_derivative([e], known, scope.unknown) for e in exprs]  # such a side is read, its relations not checked
            if not rels:
                plan.append((i, [], "an expression with no relation: nothing to check"))
                prev, gap = exprs[-1], None
                continue
            if not chain.continues and any(UNCHECKED.get(r) == "an implication" for r in rels):
                exprs, rels, said = _consequent(ln, scope, d, exprs, rels)  # P => Q: Q, when P is in force
                note = join(said, note) if said else note
            whole = [UNCHECKED[r] for r in rels if r in UNCHECKED and UNCHECKED[r].startswith(_WHOLE)]
            if whole:  # a => b, a \iff b, x \to 0: what follows is not an identity of its own
                plan.append((i, [], join(f"read: {whole[0]}, not checked", note)))
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
                step = from_premise(d, scope, [doc.lines[j] for j in implied_by.get(i, [])], exprs, f"{ln.line}.{ln.column}.1")
                if step is not None:  # a p = b p implies a = b: checked against the premise
                    factored.add(i)
                    plan.append((i, [step[0]], step[1]))
                    continue
                plan.append((i, [], "an equation between parameters the context declares: read as a condition, "
                                    "not a claim (nothing derives one independent parameter from another)"))
                continue
            if not chain.continues and index_case(exprs, rels, table):
                plan.append((i, [], f"a case of the index {exprs[0]} ({exprs[0]} = {exprs[1]}): the lines that "
                                    f"follow are checked for every {exprs[0]} as written, not at {exprs[1]}"))
                continue
            if not chain.continues and _hypothesis(exprs, rels) and not declared_already(d, exprs, rels, ln.line):
                plan.append((i, [], "read as a hypothesis: assumed in the lines that follow, not checked"))
                if index_range(exprs, rels):
                    ranges[i] = (index_range(exprs, rels), f"{ln.line}.{ln.column}")
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
                         and _definable(exprs[0], seen, table, defined, ln, exprs[1])):
                values.setdefault(key, []).append(exprs[1])
                if len(values[key]) - 1 != choice.get(key, 0):
                    plan.append((i, [], f"read as one of the definitions of {key}, not in force in this reading"))
                    continue
            if again:
                defined.discard(key)
                seen.discard(key)
            if not chain.continues and rels[0] in ("=", ":=") and _definable(exprs[0], seen, table, defined, ln, exprs[1]) \
                    and bad[1]:  # J = dL/dW with L defined nowhere: J is unknown, no counterexample may use it
                scope.opaque.add(str(exprs[0]))
                start = 1
                note = join(f"read as the definition of {exprs[0]} by an unknown: {bad[1]}", note)
            elif not chain.continues and rels[0] in ("=", ":=") and _definable(exprs[0], seen, table, defined, ln, exprs[1]):
                if (not hasattr(exprs[0], "shape") and hasattr(exprs[1], "shape") and exprs[0] not in exprs[1].free_symbols) \
                        or _written_out(exprs[0], exprs[1]):
                    exprs[0] = scope.reshape(exprs[0].name, exprs[1])  # h = W x + b: h takes the shape it is given
                try:
                    if str(exprs[0]) in seen and _earlier_uses_apart(d, exprs[0], ln.line):
                        note = join(f"the lines before this one speak of a free {exprs[0]}", note)
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
                    if str(name) in seen:
                        _earlier_uses_apart(d, name, ln.line)
                    d.define(name, value)  # "with ||a||^2 / ||b||^2 = c^2": c is the new name
                    note = join(f"read as the definition of {name} (the nonnegative root), substituted in the lines "
                                 "that follow", note)
            if start == 0 and not chain.continues and rels[0] in ("=", ":=") and restated(ln.text, table):
                note = join(restated(ln.text, table), note)
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
                if implied and start == 0 and not equates(ln, exprs, rels):
                    d.implies(exprs[0], exprs[1], label, unknown=active.unknown)
                    note = join(f"read as a consequence of the equation of line {active.line}, solved for "
                                f"{active.unknown}: checked as an implication", note)
                    active = Equation(ln.line, active.unknown)  # the equation now in force
                elif k == 0 and not chain.continues:
                    d.claim(exprs[0], rel, exprs[1], label)
                    seq = closed_form_of(exprs[0], exprs[1], scope) if rel == "=" else None
                    if seq is not None:  # also by induction from the start: only a proof replaces the claim's verdict
                        d.induction(*seq, f"{label}.induction")
                        by_induction[label] = f"{label}.induction"
                    first = initial_of(exprs[0], scope) if rel == "=" else None
                    if first is not None:  # g_0 = ...: the same claim on the initial term the context declares
                        d.claim(first, "=", exprs[1], f"{label}.initial")
                        by_induction[label] = f"{label}.initial"
                        note = join("its left side is the initial term of a sequence the context declares", note)
                else:
                    d.start(exprs[k])
                    d.step(rel, exprs[k + 1], label)
                labels.append(label)
            if not chain.continues and start == 0 and equates(ln, exprs, rels):
                active = _equation(d, (exprs[0], exprs[1]), doc, idx, i, ln)
                note = join(f"the equation (both sides equated) the lines that follow are derived from, solved for "
                            f"{active.unknown}", note)
            elif solve is None and start == 0 and not (implied and labels):
                active = None  # a claim of its own: the equation before it is no longer in force
        except StepcheckError as err:
            apart = sizes_apart(d, exprs, rels, table.dims, f"{ln.line}.{ln.column}", UNCHECKED) \
                if "incompatible objects" in err.message else None
            if apart is not None:  # o = (e^{o_1}, ..., e^{o_n}) with o of size m: never equal where m != n
                shaped.update({i: apart[0]} if apart[1] is None else {})  # else also read with n = m: checked
                read_as.update({} if apart[1] is None else {i: apart[0]})
                plan.append((i, [] if apart[1] is None else labels + apart[1], note))
            else:
                unread[i] = _where(ln, err.message)
            active = None
            continue
        except Exception as exc:  # noqa: BLE001 - a fault while stating the line costs this line only
            unread[i] = _where(ln, _fault("stating the line", exc))
            active = None
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
    for k, (i, labels, note) in enumerate(plan):  # 1 <= i <= t, the range of a sum of the question: restated
        stated = range_claims(d, ranges[i][0], sums, ranges[i][1]) if i in ranges else None
        plan[k] = (i, *stated) if stated else plan[k]
    try:
        res = check_cases(d, cased, seed=seed, memo=memo) if d.steps else None
        failure = None
    except StepcheckError as err:
        res, failure = None, str(err)
    except Exception as exc:  # noqa: BLE001 - never a pass: every step of the question is UNDECIDED with why
        res, failure = None, _fault("the engine", exc, "not checked")
    out = []
    by_index = {i: (labels, note) for i, labels, note in plan}
    for i in idx:
        ln = doc.lines[i]
        if i in unread:
            out.append(LineVerdict(ln, None, "UNREAD", unread[i]))
            continue
        if i in shaped:
            out.append(LineVerdict(ln, None, *shaped[i]))
            continue
        labels, note = by_index[i]
        relation = " ".join(_rels(d, labels)) or None
        if not labels:
            out.append(LineVerdict(ln, relation, "UNDECIDED", note))
        elif res is None:
            out.append(LineVerdict(ln, relation, "UNDECIDED", f"the engine could not check it: {failure}"))
        else:
            steps = sorted((_proved(res, lab, by_induction) for lab in labels), key=lambda s: ORDER[s.verdict.value])
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
            if verdict == "REFUTED" and i in factored:
                out.append(LineVerdict(ln, relation, "UNDECIDED", "its premise's sides do not differ by its "
                                       "difference times one vector (the engine found values where they differ): not "
                                       f"proved by it, and not refuted; {note}", None))
                continue
            if verdict == "REFUTED" and fused.get(i):
                out.append(LineVerdict(ln, relation, "UNDECIDED", f"a counterexample was found, but on a function "
                                       f"{', '.join(fused[i])} other than the one line {fdefs[fused[i][0]]} defines "
                                       "(not substituted): not refuted", None))
                continue
            excluded = excluded_case(cases, cex["values"] if cex else None, ln.line)
            if verdict == "REFUTED" and excluded:
                out.append(LineVerdict(ln, relation, "UNDECIDED", f"a counterexample was found, but it takes "
                                       f"{excluded}: not refuted", None))
                continue
            if verdict == "REFUTED" and i in conditions:
                out.append(LineVerdict(ln, relation, "UNDECIDED", "a counterexample was found, but an inline relation "
                                       "between parameters and a number (\\eta \\lambda > 2) may be a case the text "
                                       "considers, not a claim: not refuted", None))
                continue
            if verdict in ("PROVED", "CONFIRMED") and i in partial:
                verdict, reason = "UNDECIDED", f"its checked steps are {verdict}, but {reason}"  # a \approx b = c
            out.append(LineVerdict(ln, relation, verdict, reason, cex))
    out = [replace(v, **dict(zip(("verdict", "reason", "counterexample"), settle(
        *read_as[i], v.verdict, v.reason, v.counterexample)))) if i in read_as else v for i, v in zip(idx, out)]
    return out, {**{k: len(v) for k, v in values.items() if len(v) > 1}, **rules, **{k: 2 for k in scope.open}}


def _proved(res, label: str, by_induction: dict[str, str]):
    """The step ``label``, or its induction when that is PROVED (the claim's own check never refutes less)."""
    alt = res.step(by_induction[label]) if label in by_induction else None
    return alt if alt is not None and alt.verdict.value == "PROVED" else res.step(label)


def _equation(d: Derivation, eq: tuple, doc: Document, idx: list[int], i: int, ln: Line) -> Equation:
    """Put the equation ``eq`` of line ``ln`` in force in ``d``, with the unknown it is solved for."""
    try:
        written = list(uses(parse_tree(ln.text)))
    except ReadError:
        written = []
    later = [doc.lines[j].text for j in idx if j > i and doc.lines[j].question == ln.question and doc.lines[j].display]
    d.equation(*eq)
    return Equation(ln.line, unknown_of(eq, written, later))


def _consequent(ln: Line, scope, d: Derivation, exprs: list, rels: list) -> tuple[list, list, str | None]:
    """``P \\implies Q`` (read/implication.py): the sides and relations of ``Q`` and a note when ``P`` is a
    hypothesis in force; else the line as read (not checked, an implication) and why."""
    parts = split_implication(ln.text)
    if parts is None:
        return exprs, rels, None
    try:
        premise = read_chain(parts[0], scope)
        then = read_chain(as_limit(parts[1]), scope)
    except (ReadError, StepcheckError) as err:
        return exprs, rels, f"its consequent is not read ({getattr(err, 'message', err)})"
    if not in_force(premise.exprs, premise.relations, d.hypotheses):
        return exprs, rels, ("its premise is not a hypothesis in force (a premise for this line only is not "
                             "supported: it would be assumed for every line)")
    return list(then.exprs), list(then.relations), ("an implication whose premise is a hypothesis in force: "
                                                    "its consequent is checked under it")


def _fault(where: str, exc: BaseException, what: str = "not read") -> str:
    """One line for an internal fault (never a traceback): what failed, the exception's class and message.

    >>> _fault("the reader", NameError("name 'x' is not defined"))
    "an internal fault of the reader (NameError: name 'x' is not defined): not read"
    """
    text = " ".join(str(exc).split())
    text = text if len(text) <= 160 else text[:157] + "..."
    return f"an internal fault of {where} ({type(exc).__name__}: {text}): {what}"


def _rels(d: Derivation, labels: list[str]) -> list[str]:
    return [s.relation for s in d.steps if s.label in labels]


def _where(ln: Line, message: str) -> str:
    return f"line {ln.line}, column {ln.column}: {message}"
