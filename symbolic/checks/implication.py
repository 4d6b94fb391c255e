"""``E1 => E2`` between equations: every solution of E1 (in the unknown) solves E2.

Symbolically: the residual of E2 is a multiple of the residual of E1
(``r2 = M r1`` with ``M`` a scalar, an identity, or a declared invertible
matrix or its inverse).  Numerically: solve E1 for the unknown by
Gauss-Newton on random instances, then evaluate E2 there.

>>> from symbolic import Derivation
>>> d = Derivation("demo"); x = d.scalar("x"); a = d.scalar("a", positive=True)
>>> _ = d.equation(a*x, 1).implies(x, 1/a, "1", unknown=x)
>>> d.check(cache=False).step("1").verdict.value
'PROVED'
"""

from __future__ import annotations

import numpy as np

from ..algebra import MatrixExpr, sp
from ..algebra.evaluate import EvalError, Instance, evaluate
from ..algebra.prove import prove_equal
from ..budget import budget, cut_short, remaining
from ..model.declarations import MatrixDecl
from ..exceptions import BudgetExceeded
from ..model.results import Evidence, StepResult, Verdict
from .context import CheckContext
from .numeric import HP, hp_violated, term_scale
from .steps import _symbolic_share, refuted


def _residual(eq):
    lhs, rhs = eq
    if rhs == 0 or isinstance(rhs, sp.ZeroMatrix):
        return lhs
    if isinstance(lhs, MatrixExpr) or isinstance(rhs, MatrixExpr):
        return sp.MatAdd(lhs, sp.MatMul(-1, rhs))
    return lhs - rhs


def _multipliers(ctx: CheckContext, r1):
    yield "the same equation rearranged", sp.Integer(1)
    yield "both sides negated", sp.Integer(-1)
    for decl in ctx.derivation.decls.values():
        if isinstance(decl, MatrixDecl) and "invertible" in decl.kinds and r1.has(decl.symbol):
            yield f"left-multiplication by {decl.name}^-1 ({decl.name} invertible)", sp.Inverse(decl.symbol)
            yield f"left-multiplication by {decl.name}", decl.symbol


def check_implication(ctx: CheckContext, step, total_budget: float) -> StepResult:
    prev, new = step.lhs, step.rhs
    unknown = step.option("unknown")
    r1 = ctx.prepare(_residual(prev))
    r2 = ctx.prepare(_residual(new))
    L2, R2 = ctx.prepare(new[0]), ctx.prepare(new[1])
    if isinstance(L2, MatrixExpr) != isinstance(R2, MatrixExpr):
        L2, R2 = r2, (sp.ZeroMatrix(*r2.shape) if isinstance(r2, MatrixExpr) else sp.Integer(0))
    method = None
    try:
        with budget(_symbolic_share(total_budget)):
            if not isinstance(r1, MatrixExpr):
                from ..algebra.canon import normal_scalar
                from ..algebra.prove import atomize

                pair, mapping = atomize(sp.Tuple(normal_scalar(r1, ctx.canon), normal_scalar(r2, ctx.canon)))
                a1, a2 = pair
                ratio = sp.simplify(a2 / a1) if a1 != 0 else None
                if ratio is not None:
                    ratio = ratio.xreplace({v: k for k, v in mapping.items()})
                if ratio is not None and ratio != 0 and not ratio.has(unknown) and ratio.is_finite is not False:
                    if prove_equal(r2, ratio * r1, ctx.canon, ctx.intervals):
                        method = f"the previous equation multiplied by {ratio}"
            else:
                for name, M in _multipliers(ctx, r1):
                    if prove_equal(r2, M * r1, ctx.canon, ctx.intervals):
                        method = name
                        break
    except BudgetExceeded:
        pass
    solved = 0
    for k in range(ctx.samples if not method else 4):
        if remaining() < 0.1 * total_budget and solved:
            cut_short()
            break
        try:
            inst = ctx.sampler.instance(k)
            sol = _solve(r1, unknown, inst)
        except (EvalError, ArithmeticError, ValueError, np.linalg.LinAlgError):
            continue
        if sol is None:
            continue
        solved += 1
        try:  # the two sides of the new equation, compared relative to the size of their terms
            bad = hp_violated("=", L2, R2, sol, floor=term_scale(r2, sol))[0]
        except (EvalError, ArithmeticError, ValueError):
            continue
        if bad:  # instances come smallest dimensions first; values are a solution, so they are not rounded
            return refuted(ctx, step, L2, "=", R2, sol, "a solution of the previous equation that violates this one",
                           shrink_values=False)
    if method:
        return StepResult(step.label, "=>", Verdict.PROVED, Evidence(method, solved, None,
                                                                    (f"cross-checked on {solved} solved instances",)))
    if solved:
        return StepResult(step.label, "=>", Verdict.CONFIRMED,
                          Evidence("numeric: previous equation solved, this one evaluated", solved, None))
    return StepResult(step.label, "=>", Verdict.UNDECIDED,
                      reason=f"could not solve the previous equation for {unknown} numerically")


def _solve(r1, unknown, inst: Instance) -> Instance | None:
    """Gauss-Newton in float64, then refined at 60 digits; ``None`` if it does not converge."""
    from .sampling import to_backend

    x = evaluate(unknown, inst)
    vec = isinstance(x, np.ndarray)
    cur = inst
    for _ in range(30):
        r = np.asarray(evaluate(r1, cur), dtype=float).reshape(-1)
        if np.max(np.abs(r)) < 1e-13:
            break
        J = _fd(r1, unknown, cur)
        step = np.linalg.lstsq(J, -r, rcond=None)[0]
        xv = np.asarray(evaluate(unknown, cur), dtype=float).reshape(-1) + step
        cur = cur.with_values({unknown: xv.reshape(-1, 1) if vec else float(xv[0])})
    r = np.asarray(evaluate(r1, cur), dtype=float).reshape(-1)
    if np.max(np.abs(r)) > 1e-9 * max(1.0, float(np.max(np.abs(np.asarray(evaluate(unknown, cur), dtype=float))))):
        return None
    import mpmath

    hp = to_backend(cur, HP)
    with mpmath.workdps(HP.dps):
        return _refine(r1, unknown, hp, vec)


def _refine(r1, unknown, hp: Instance, vec: bool) -> Instance:
    import mpmath

    for _ in range(4):  # Newton at high precision
        rv = [v for v in np.asarray(evaluate(r1, hp), dtype=object).reshape(-1)]
        J = _fd(r1, unknown, hp)
        Jm = mpmath.matrix(J.tolist())
        rhs = mpmath.matrix([-v for v in rv])
        try:
            if Jm.rows == Jm.cols:
                dx = mpmath.lu_solve(Jm, rhs)
            elif Jm.rows < Jm.cols:  # under-determined: the least-norm step
                dx = Jm.T * mpmath.lu_solve(Jm * Jm.T, rhs)
            else:  # over-determined: least squares
                dx = mpmath.lu_solve(Jm.T * Jm, Jm.T * rhs)
        except ZeroDivisionError:
            dx = None
        if dx is None:
            break
        xv = np.asarray(evaluate(unknown, hp), dtype=object).reshape(-1)
        new = np.array([xv[i] + dx[i] for i in range(len(xv))], dtype=object)
        hp = hp.with_values({unknown: new.reshape(-1, 1) if vec else new[0]})
    return hp


def _fd(r, unknown, inst: Instance):
    b = inst.backend
    x0 = evaluate(unknown, inst)
    flat = np.asarray(x0, dtype=object if b.mp else float).reshape(-1)
    cols = []
    h = (10 ** -(b.dps // 3)) if b.mp else 1e-6
    for j in range(len(flat)):
        p, m = flat.copy(), flat.copy()
        p[j] = p[j] + h
        m[j] = m[j] - h
        shape = (lambda v: v.reshape(-1, 1)) if isinstance(x0, np.ndarray) else (lambda v: v[0])
        rp = np.asarray(evaluate(r, inst.with_values({unknown: shape(p)}))).reshape(-1)
        rm = np.asarray(evaluate(r, inst.with_values({unknown: shape(m)}))).reshape(-1)
        cols.append((rp - rm) / (2 * h))
    return np.column_stack(cols)
