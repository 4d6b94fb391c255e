"""Mutation operators: one small change to one step, the mistakes students make.

Each operator takes a step's written expression and yields mutated copies,
each shape-valid and structurally different from the original:

* ``sign``: flip the sign of one term;
* ``drop-term``: drop one term of a sum;
* ``transpose``: add a transpose to a square factor, or drop one;
* ``swap``: swap two neighbouring factors of a matrix product;
* ``outer-inner``: turn ``u u^T`` into ``(u^T u) I`` and back;
* ``factor``: multiply a term by 2 or 1/2, or drop a factor;
* ``exponent``: shift an integer exponent or a sum/product bound by one;
* ``relation``: tighten ``<=`` to ``=`` or reverse it;
* ``neighbour``: swap a function for a near neighbour (ReLU mask by a sign).

>>> import sympy as sp
>>> x, y = sp.symbols("x y")
>>> sorted(str(m.expr) for m in expression_mutants(x + 2*y) if m.operator == "sign")
['-x + 2*y', 'x - 2*y']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..algebra import Dot, MatrixExpr, sp
from ..algebra.ops import lookup
from ..algebra.shapes import ShapeProblem, check_shapes
from ..model.derivation import Step as DStep

MAX_PER_OPERATOR = 4


@dataclass(frozen=True)
class Mutant:
    """One mutation of one expression (or of a step's relation)."""

    operator: str
    description: str
    expr: object = None
    relation: str | None = None


def _replace_at(expr, target, new):
    """``expr`` with the subtree ``target`` replaced (None when sympy cannot build the result)."""
    if new is None:
        return None
    try:
        return expr.xreplace({target: new})
    except Exception:  # e.g. a matrix term put where a scalar belongs
        return None


def _valid(e) -> bool:
    try:
        check_shapes(e)
    except (ShapeProblem, TypeError, ValueError):
        return False
    return True


def _subtrees(expr, cls) -> list:
    return [a for a in sp.preorder_traversal(expr) if isinstance(a, cls)]


def _build(func, args):
    try:
        return func(*args)
    except Exception:  # sympy refuses some combinations (shape errors, ...)
        return None


def expression_mutants(expr) -> Iterator[Mutant]:
    """Every single-change mutant of ``expr`` (at most a few per operator)."""
    seen = {sp.srepr(expr)}

    def emit(op, desc, new):
        if new is None:
            return None
        try:
            key = sp.srepr(new)
        except Exception:
            return None
        if key in seen or not _valid(new):
            return None
        if isinstance(new, sp.Basic) and not new.atoms(sp.MatrixSymbol) <= expr.atoms(sp.MatrixSymbol):
            return None  # a changed shape inside a declared symbol: not a mistake one can write
        seen.add(key)
        return Mutant(op, desc, new)

    groups = [
        _sign(expr), _drop_term(expr), _transpose(expr), _swap(expr), _outer_inner(expr),
        _factor(expr), _exponent(expr), _registered(expr),
    ]
    for gen in groups:
        count = 0
        for op, desc, new in gen:
            m = emit(op, desc, new)
            if m is not None:
                yield m
                count += 1
                if count >= MAX_PER_OPERATOR:
                    break


def _sums(expr):
    return _subtrees(expr, (sp.Add, sp.MatAdd))


def _sign(expr):
    for node in _sums(expr):
        for i, a in enumerate(node.args):
            args = list(node.args)
            args[i] = -a if not isinstance(a, MatrixExpr) else sp.MatMul(-1, a)
            yield "sign", f"flip the sign of {a}", _replace_at(expr, node, _build(node.func, args))
    if not _sums(expr):
        neg = -expr if not isinstance(expr, MatrixExpr) else sp.MatMul(-1, expr)
        yield "sign", "flip the sign of the whole expression", neg


def _drop_term(expr):
    for node in _sums(expr):
        if len(node.args) < 2:
            continue
        for i, a in enumerate(node.args):
            args = [b for j, b in enumerate(node.args) if j != i]
            new = args[0] if len(args) == 1 else _build(node.func, args)
            yield "drop-term", f"drop the term {a}", _replace_at(expr, node, new)


def _transpose(expr):
    for node in _subtrees(expr, sp.Transpose):
        yield "transpose", f"drop the transpose of {node.arg}", _replace_at(expr, node, node.arg)
    for node in _subtrees(expr, sp.MatrixSymbol):
        if node.shape[0] == node.shape[1]:
            yield "transpose", f"transpose {node}", _replace_at(expr, node, sp.Transpose(node))


def _swap(expr):
    for node in _subtrees(expr, sp.MatMul):
        args = list(node.args)
        mats = [i for i, a in enumerate(args) if isinstance(a, MatrixExpr)]
        for i, j in zip(mats, mats[1:]):
            new_args = list(args)
            new_args[i], new_args[j] = args[j], args[i]
            yield "swap", f"swap {args[i]} and {args[j]}", _replace_at(expr, node, _build(sp.MatMul, new_args))


def _outer_inner(expr):
    for node in _subtrees(expr, sp.MatMul):
        mats = [a for a in node.args if isinstance(a, MatrixExpr)]
        if len(mats) == 2 and isinstance(mats[1], sp.Transpose) and mats[1].arg == mats[0] and mats[0].shape[1] == 1:
            u = mats[0]
            coef = sp.Mul(*[a for a in node.args if not isinstance(a, MatrixExpr)])
            yield "outer-inner", f"{u} {u}^T -> {u}^T {u}", _replace_at(
                expr, node, sp.MatMul(coef * Dot(sp.Transpose(u) * u), sp.Identity(u.shape[0])))
    for node in _subtrees(expr, Dot):
        X = node.args[0]
        if isinstance(X, sp.MatMul) and len(X.args) == 2 and isinstance(X.args[0], sp.Transpose) and X.args[0].arg == X.args[1]:
            u = X.args[1]
            yield "outer-inner", f"{u}^T {u} -> {u} {u}^T", None if u.shape[0] == 1 else _outer_in_scalar(expr, node, u)


def _outer_in_scalar(expr, node, u):
    # only where the scalar multiplies a matrix of the right size: u u^T needs an n x n slot
    for mm in _subtrees(expr, sp.MatMul):
        scal = [a for a in mm.args if not isinstance(a, MatrixExpr)]
        mats = [a for a in mm.args if isinstance(a, MatrixExpr)]
        if any(s.has(node) for s in scal) and mats and mats[0].shape[0] == u.shape[0]:
            new_scal = [s.xreplace({node: 1}) for s in scal]
            return _replace_at(expr, mm, _build(sp.MatMul, new_scal + [u * sp.Transpose(u)] + mats))
    return None


def _factor(expr):
    terms = _sums(expr)
    targets = [a for node in terms for a in node.args] or [expr]
    for a in targets:
        for k in (2, sp.Rational(1, 2)):
            new = k * a if not isinstance(a, MatrixExpr) else sp.MatMul(k, a)
            yield "factor", f"multiply {a} by {k}", _replace_at(expr, a, new) if a is not expr else new
    for node in _subtrees(expr, sp.Mul):
        for f in node.args:
            if f.is_Number and f in (1, -1):
                continue
            rest = [g for g in node.args if g is not f]
            if rest:
                yield "factor", f"drop the factor {f}", _replace_at(expr, node, sp.Mul(*rest))


def _exponent(expr):
    for node in _subtrees(expr, sp.Pow):
        if node.exp.is_Integer or (node.exp.free_symbols and node.exp.is_integer):
            yield "exponent", f"raise the exponent of {node.base} by one", _replace_at(
                expr, node, sp.Pow(node.base, node.exp + 1))
    for node in _subtrees(expr, (sp.Sum, sp.Product)):
        i, lo, hi = node.limits[0]
        yield "exponent", f"shift the upper bound {hi} by one", _replace_at(expr, node, node.func(node.args[0], (i, lo, hi - 1)))
        yield "exponent", f"shift the lower bound {lo} by one", _replace_at(expr, node, node.func(node.args[0], (i, lo + 1, hi)))


def _registered(expr):
    """The mistakes each operator of the vocabulary declares for itself (:mod:`symbolic.algebra.ops`)."""
    for node in sp.preorder_traversal(expr):
        op = lookup(node)
        if op is None or op.mutations is None:
            continue
        for name, desc, new in (op.mutations(node, expr) if op.mutation_context else op.mutations(node)):
            yield name, desc, _replace_at(expr, node, new)


_REL_MUTANTS = {"<=": ("=", ">="), ">=": ("=", "<="), "<": ("=", ">"), ">": ("=", "<")}


def step_mutants(step: DStep) -> Iterator[Mutant]:
    """Mutants of one step: of its written expression, and of its relation."""
    if step.kind in ("chain", "claim"):
        yield from expression_mutants(step.rhs)
        for rel in _REL_MUTANTS.get(step.relation, ()):
            yield Mutant("relation", f"{step.relation} -> {rel}", None, rel)
    elif step.kind == "induction":
        yield from expression_mutants(step.rhs)


def apply_mutant(d, label: str, m: Mutant):
    """Replace step ``label`` of derivation ``d`` (in place) by its mutant; returns ``d``."""
    for i, s in enumerate(d.steps):
        if s.label != label:
            continue
        if m.relation is not None:
            d.steps[i] = DStep(s.label, s.kind, m.relation, s.lhs, s.rhs, s.why, s.rule, s.options, s.budget)
            return d
        d.steps[i] = DStep(s.label, s.kind, s.relation, s.lhs, m.expr, s.why, s.rule, s.options, s.budget)
        if s.kind == "chain" and i + 1 < len(d.steps) and d.steps[i + 1].kind == "chain" and d.steps[i + 1].lhs == s.rhs:
            n = d.steps[i + 1]
            d.steps[i + 1] = DStep(n.label, n.kind, n.relation, m.expr, n.rhs, n.why, n.rule, n.options, n.budget)
        return d
    raise KeyError(label)
