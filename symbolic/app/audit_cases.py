r"""The cases of a text: a row that states a condition (``\text{for } x > 0:``, ``Pour $k \neq y$ :`` before a
display) and the rows that hold under it.

:mod:`symbolic.read.source` marks them (:mod:`symbolic.read.conditions`); :func:`local_case` makes the
condition row a local hypothesis (not a claim) and states each row under it as a claim with its case;
:func:`check_cases` checks those claims in a copy of the derivation that supposes the case
(``Derivation.suppose``): every instance drawn, every counterexample and its shrinking satisfy it, and a
CONFIRMED counts only instances of the case.

>>> local_case.__name__
'local_case'
"""

from __future__ import annotations

from ..algebra import sp
from .audit_kinds import _BARE
from ..model.derivation import Derivation
from ..exceptions import ReadError, StepcheckError
from ..read.build import UNCHECKED
from ..read.conditions import guard_of
from ..read.latex import read_chain
from ..read.notation import undefined_derivative
from ..read.source import Line

def local_case(d: Derivation, scope, ln: Line, exprs: list, rels: list[str], broken: bool,
               note: str | None, cased: dict | None = None) -> tuple[list[str], str | None, bool]:
    """The step labels, the reason or reading note, and whether some relation was left unchecked, of a
    condition row or of a row under a condition; ``cased`` gets the case of each label (step label ->
    (the condition, its line)), for :func:`check_cases`.

    >>> from symbolic.read.source import Line
    >>> from symbolic.read.context import SymbolTable
    >>> from symbolic.model.derivation import Derivation
    >>> d = Derivation("d"); scope = SymbolTable().scope(d); x = scope.symbol("x", False)
    >>> ln = Line("a.tex", 4, 1, "|x| = x", None, "", "|x| = x", under="x > 0", under_line=3)
    >>> local_case(d, scope, ln, [sp.Abs(x), x], ["="], False, None)[0]
    ['4.1.1']
    """
    if ln.condition:
        where = ("the rows that follow in this display, until the next one" if ln.display
                 else "the rows of the display that follows")
        try:
            guard = guard_of(exprs, rels, constant=True)
        except ReadError as err:
            return [], (f"read as a condition for the rows that follow in this display, but {err.message}: the rows "
                        "under it are not checked"), False
        if guard == sp.true:
            return [], (f"read as a condition for {where}, which always holds given the declarations: the rows "
                        "under it are checked as they are"), False
        if guard == sp.false:
            return [], (f"read as a condition for {where}, which never holds given the declarations: the rows "
                        "under it are not checked"), False
        return [], f"read as a condition (a case) for {where}: a local hypothesis, not a claim", False
    where = f"the condition of line {ln.under_line} ({ln.under})"
    try:
        chain = read_chain(ln.under, scope)
        guard = guard_of(list(chain.exprs), list(chain.relations), constant=True)
    except (ReadError, StepcheckError) as err:
        return [], f"holds under {where}, which is not read as a hypothesis ({getattr(err, 'message', err)}): not checked", False
    if guard == sp.false:
        return [], f"holds under {where}, which never holds given the declarations: not checked", False
    if broken:
        return [], "continues a chain, but no line before it in this question was read", False
    if not rels:
        return [], "an expression with no relation: nothing to check", False
    defined = {str(sym) for sym, _ in d.definitions}
    if rels[0] in ("=", ":=") and isinstance(exprs[0], _BARE) and str(exprs[0]) not in scope.table.symbols \
            and str(exprs[0]) not in defined:
        return [], (f"read as the value of {exprs[0]} under {where} (a case): not substituted, not checked"), False
    known = {sym for sym, _ in d.definitions}
    labels, why, skipped = [], [], False
    for k, rel in enumerate(rels):
        bad = undefined_derivative([exprs[k]], known, scope.unknown) or \
            undefined_derivative([exprs[k + 1]], known, scope.unknown)
        if rel in UNCHECKED or bad:
            why.append(f"read: {UNCHECKED[rel]} ({rel}), not checked" if rel in UNCHECKED else f"not checked: {bad}")
            skipped = True
            continue
        rel = "=" if rel == ":=" else rel
        label = f"{ln.line}.{ln.column}.{k + 1}"
        try:
            d.claim(exprs[k], rel, exprs[k + 1], label)
        except (ReadError, StepcheckError) as err:
            why.append(f"not checked: {err.message}")
            skipped = True
            continue
        labels.append(label)
        if cased is not None and guard != sp.true:  # an always-met condition adds nothing: a claim as written
            cased[label] = (guard, ln.under_line)
    said = None if not labels else (f"checked as written: {where} always holds given the declarations"
                                     if guard == sp.true else
                                     f"checked under {where}, a local hypothesis: every instance drawn satisfies it")
    return labels, "; ".join(x for x in [said, *dict.fromkeys(why), note] if x) or None, skipped and bool(labels)


def check_cases(d: Derivation, cased: dict, *, seed: int, memo=None):
    """Check ``d``: the steps of ``cased`` (label -> (condition, line)) in a copy of ``d`` supposing their
    condition (definitions substituted in it), the others as they are; one result with every step.

    >>> d = Derivation("d"); k, y = d.index("k", upper=3), d.index("y", upper=3)
    >>> _ = d.claim(sp.KroneckerDelta(k, y), "=", 0, "1")
    >>> check_cases(d, {"1": (sp.Ne(k, y), 2)}, seed=0).step("1").verdict.value in ("PROVED", "CONFIRMED")
    True
    """
    import copy

    from ..algebra.rewrite import substitute
    from ..verdicts.engine import check
    from ..model.results import DerivationResult

    plain = [s.label for s in d.steps if s.label not in cased]
    found = {r.label: r for r in (check(d, seed=seed, cache=False, memo=memo, only=plain).steps if plain else ())}
    groups: dict = {}
    for label, (guard, line) in cased.items():
        groups.setdefault((guard, line), []).append(label)
    for (guard, line), labels in groups.items():
        under = copy.copy(d)
        under.cases = [*d.cases, (f"line {line}", substitute(guard, list(d.definitions)))]
        found.update({r.label: r for r in check(under, seed=seed, cache=False, memo=memo, only=labels).steps})
    return DerivationResult(d.name, tuple(found[s.label] for s in d.steps if s.label in found), seed)
