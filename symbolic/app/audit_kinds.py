r"""What a line of a submission is, for :mod:`symbolic.app.audit_question`: a definition of a new name, of a
function, a hypothesis, an inline condition on parameters; and the names an unread line may state a premise on.

>>> from symbolic.algebra import sp
>>> _hypothesis([sp.Symbol("gamma"), sp.Integer(0)], [">"])
True
"""

from __future__ import annotations

import re
from typing import Any

from ..algebra import MatrixExpr, sp
from ..model.derivation import Derivation
from ..exceptions import StepcheckError
from ..read.context import SymbolTable, canonical
from ..read.latex import ReadError, parse_tree, uses
from ..read.premises import CUE, REL
from ..read.source import Document, Line

_BARE = (sp.Symbol, sp.MatrixSymbol)
_REL, _CUE = REL, CUE
_DERIVATIVE = re.compile(r"\s*&?\s*(?:\\[dt]?frac\s*\{\s*[^{}=]*\\partial|\\nabla|\\partial)")
_DEFINING = re.compile(r"\s*(?:\\[a-zA-Z]+\s*)?\{?\\?[A-Za-z]+\}?(?:[_^]\{[^{}=]*\}|[_^]\\?[A-Za-z0-9]+){0,2}\s*(?::=|=)")

_LHS = re.compile(r"\s*&?\s*((?:\\[a-zA-Z]+\s*\{[^{}=]*\}|\\?[A-Za-z]+)(?:'+|[_^]\{[^{}=]*\}|[_^]\\?[A-Za-z0-9*]+)*)"
                  r"\s*:?=(?!=)")


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


def _definable(lhs: Any, seen: set[str], table: SymbolTable, defined: set[str], ln: Line, rhs: Any = None) -> bool:
    """A bare name, not declared by the context, not defined yet, met for the first time or after "let", "on pose"...,
    or given a constant in the text ("since the mean is zero, $\\mu = 0$": a free name equal to a number is a value
    stated, never a claim one could check)."""
    constant = isinstance(rhs, (sp.ZeroMatrix, sp.Number)) or (isinstance(rhs, sp.Basic) and not isinstance(
        rhs, MatrixExpr) and not rhs.free_symbols)
    name = getattr(lhs, "name", None)
    if not isinstance(name, str) or name in defined or not isinstance(lhs, _BARE):
        return False
    if _DERIVATIVE.match(ln.text):  # d(..)/dW_kj = x_j: a derivative computed to a name, never its definition
        return False
    if table.defined(name) is not None:  # the context defines it: "with g = ..." restates the statement, a claim
        return False
    if name in table.symbols:  # declared by the context: defined here only when the text says so ("with", "let")
        return bool(_CUE.search(ln.intro))
    at = re.search(r"\b(?:at|en|au|à)\W*$", ln.intro, re.I)  # "at w = 1": a point of evaluation, not w's value
    return name not in seen or bool(_CUE.search(ln.intro)) or (not ln.display and constant and not at)


def restated(text: str, table: SymbolTable) -> str | None:
    r"""Why a line ``name = ...`` is a claim when the context defines ``name`` (its left side is then the context's
    value, :meth:`SymbolTable.defined`): the note its verdict carries; None for a name the context leaves free.

    >>> from symbolic.read.context import context_from_dict
    >>> t = context_from_dict({"symbols": {"a": {}}, "definitions": {"u'": {"value": "2*a"}}})
    >>> restated("u' = 2 a", t)
    "checked against the context's definition of u' (u' = 2*a): a restatement of the assignment, not a new name"
    >>> restated(r"\mathbf{s} = a", t) is None
    True
    """
    m = _LHS.match(text)
    if m is None:
        return None
    raw = re.sub(r"\\(?:mathbf|boldsymbol|bm|vec|mathrm)\s*\{([^{}]*)\}", r"\1", m.group(1))
    name = canonical(re.sub(r"\\([A-Za-z]+)", r"\1", raw).replace(" ", ""))
    said = table.defined(name)
    if said is None:
        return None
    return f"checked against the context's definition of {name} ({said}): a restatement of the assignment, not a new name"


def _opaque_in(exprs: list, d: Derivation, opaque: set[str]) -> set[str]:
    """The values of undeclared functions in ``exprs``, directly or through the definitions substituted in them."""
    def named(e) -> set[str]:  # its symbols, and the families of its terms (p(x_@|y)_seq(i): symbolic/read/given.py)
        return {str(s) for s in getattr(e, "free_symbols", ())} | \
            {type(a).__name__ for a in (sp.preorder_traversal(e) if isinstance(e, sp.Basic) else ())
             if isinstance(a, sp.core.function.AppliedUndef)}

    names = {n for e in exprs for n in named(e)}
    for sym, value in d.definitions:
        if str(sym) in names:
            names |= named(value)
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


def _earlier_uses_apart(d: Derivation, sym: Any, line: int) -> bool:
    """Before ``sym`` is defined at ``line``, the lines already read that use it spoke of a free ``sym``: give them
    a twin of their own (same declaration, a new name), so the definition never changes what they claim.

    Substituting the later value in them would prove ``a + b = b`` written before "let a = 0".  Returns whether any
    step, hypothesis or definition recorded so far used ``sym``.

    >>> from symbolic import Derivation
    >>> d = Derivation("d"); a, b = d.scalar("a"), d.scalar("b"); _ = d.claim(a + b, "=", b, "1")
    >>> _earlier_uses_apart(d, a, 5), str(d.steps[0].lhs), "a (before line 5)" in d.decls
    (True, 'a (before line 5) + b', True)
    """
    from dataclasses import fields, replace

    name = str(sym)
    decl = d.decls.get(name)
    if decl is None or getattr(decl, "symbol", None) != sym:
        return False
    holds = [st for st in d.steps if any(isinstance(e, sp.Basic) and e.has(sym) for e in (st.lhs, st.rhs))]
    holds_def = [k for k, (_, e) in enumerate(d.definitions) if isinstance(e, sp.Basic) and e.has(sym)]
    holds_hyp = [k for k, h in enumerate(d.hypotheses) if isinstance(h[1], sp.Basic) and h[1].has(sym)]
    if not (holds or holds_def or holds_hyp):
        return False
    twin_name = f"{name} (before line {line})"
    if isinstance(sym, sp.MatrixSymbol):
        twin = sp.MatrixSymbol(twin_name, *sym.shape)
    else:
        twin = sp.Symbol(twin_name, **sym.assumptions0)
    kw = {"name": twin_name, "symbol": twin} if {"name", "symbol"} <= {f.name for f in fields(decl)} else None
    if kw is None:
        return False
    d.decls[twin_name] = replace(decl, **kw)
    swap = {sym: twin}
    d.steps[:] = [replace(st, lhs=st.lhs.xreplace(swap) if isinstance(st.lhs, sp.Basic) else st.lhs,
                          rhs=st.rhs.xreplace(swap) if isinstance(st.rhs, sp.Basic) else st.rhs) for st in d.steps]
    d.definitions[:] = [(s, e.xreplace(swap) if isinstance(e, sp.Basic) else e) for s, e in d.definitions]
    d.hypotheses[:] = [(h[0], h[1].xreplace(swap), *h[2:]) if isinstance(h[1], sp.Basic) else h for h in d.hypotheses]
    return True
