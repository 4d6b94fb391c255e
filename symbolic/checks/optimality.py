"""Optimality claims ``argmin_w f(w) = w*``: a first-order condition and a second-order argument.

``d.argmin(f, w, w_star, label)`` claims that ``w*`` minimizes ``f`` over
``w`` for every admissible value of the other symbols; the step is checked
as the inequality ``f(w*) <= f(w)`` for every ``w``, so a point that does
better is a counterexample (found by the random and local search of every
inequality, verified at 60 digits and shrunk).  It is PROVED when

* the gradient of ``f`` at ``w*`` simplifies to zero (the first-order condition), and
* the Hessian of ``f`` is positive semidefinite for every ``w``: a sum, with
  coefficients of known sign, of Gram words ``U U^T``, sandwiches ``U^T P U``
  of a declared positive (semi)definite ``P``, and the identity (convexity);

both computed with sympy's matrix calculus and each cross-checked by
finite differences on random instances (sympy's derivative is never the
only witness).

>>> from symbolic import Derivation, Dot, check
>>> d = Derivation("ridge"); n = d.dim("n"); w, b = d.vector("w", n), d.vector("b", n)
>>> lam = d.scalar("lam", positive=True)
>>> _ = d.argmin(Dot((w - b).T * (w - b)) + lam * Dot(w.T * w), w, b / (1 + lam), "1")
>>> check(d, cache=False).step("1").verdict.value
'PROVED'
"""

from __future__ import annotations

import numpy as np

from ..algebra import Grad, MatrixExpr, sp
from ..algebra.evaluate import EvalError, evaluate
from ..algebra.canon import _transpose_word, normal_terms
from ..algebra.ops.calculus import Hessian
from ..algebra.prove import atomize, prove_equal
from ..model.declarations import MatrixDecl
from .numeric import FD_TOL, sample_relation

PSD_KINDS = frozenset({"spd", "psd", "pd", "identity"})
CROSS_CHECKS = 6


def minimizer_proof(ctx, f, w, w_star) -> tuple[str | None, str | None]:
    """``(method, note)``: the proof that ``w*`` minimizes ``f`` over ``w``, or why there is none."""
    from .derivatives import sympy_jacobian

    try:
        grad = sympy_jacobian(Grad(f, w))
        hess = sympy_jacobian(Hessian(f, w))
    except Exception:  # noqa: BLE001 - sympy's matrix calculus raises many kinds of errors
        return None, "no symbolic proof: sympy could not differentiate the objective twice"
    at_star = grad.xreplace({w: w_star}) if isinstance(grad, sp.Basic) else grad
    zero = sp.ZeroMatrix(*w.shape) if isinstance(w, MatrixExpr) else sp.Integer(0)
    if prove_equal(at_star, zero, ctx.canon, ctx.intervals) is None and not _normal_equations(ctx, grad, hess, w, w_star):
        return None, "no symbolic proof: the gradient at the claimed minimizer did not simplify to zero"
    why = _psd(hess, ctx)
    if why is None:
        return None, "no symbolic proof: the Hessian is not recognized as positive semidefinite"
    d = ctx.derivation
    out = sample_relation(d, Hessian(f, w), "=", hess, seed=ctx.seed, n=CROSS_CHECKS, sampler=ctx.sampler)
    if out.failure is not None or out.samples == 0 or not _gradient_vanishes(ctx, f, w, w_star):
        return None, "no symbolic proof: sympy's derivatives of the objective disagree with finite differences"
    return (f"first-order condition (the gradient vanishes at the minimizer) and convexity (the Hessian is "
            f"{why}), both cross-checked by finite differences"), None


def _normal_equations(ctx, grad, hess, w, w_star) -> bool:
    """``w* = M^{-1} v`` solves ``grad(w) = H w - c = 0`` when ``H = k M`` and ``c = k v`` for a scalar ``k``
    (the gradient is affine: ``H`` does not depend on ``w``), e.g. ridge regression's closed form."""
    if not (isinstance(w_star, sp.MatMul) and isinstance(hess, MatrixExpr)) or hess.has(w):
        return False
    mats = [a for a in w_star.args if isinstance(a, MatrixExpr)]
    scalar = sp.Mul(*[a for a in w_star.args if not isinstance(a, MatrixExpr)])
    if not mats or not isinstance(mats[0], sp.Inverse):
        return False
    M = mats[0].arg
    v = scalar * (sp.MatMul(*mats[1:]) if len(mats) > 2 else mats[1]) if len(mats) > 1 else None
    if v is None:
        return False
    c = -grad.xreplace({w: sp.ZeroMatrix(*w.shape)})
    h_terms = dict((sp.srepr(word), coeff) for coeff, word in normal_terms(hess, ctx.canon))
    m_terms = normal_terms(M, ctx.canon)
    if not m_terms or sp.srepr(m_terms[0][1]) not in h_terms:
        return False
    k = sp.simplify(h_terms[sp.srepr(m_terms[0][1])] / m_terms[0][0])
    try:
        return (prove_equal(hess, k * M, ctx.canon, ctx.intervals) is not None
                and prove_equal(c, k * v, ctx.canon, ctx.intervals) is not None and bool(sp.simplify(k) != 0))
    except (TypeError, ValueError, AttributeError):
        return False


def _gradient_vanishes(ctx, f, w, w_star) -> bool:
    """Finite differences of ``f`` at ``w = w*`` on random instances: the gradient is zero there,
    relative to its size at the instance's own random ``w``."""
    grad = Grad(f, w)
    seen = 0
    for k in range(CROSS_CHECKS):
        try:
            inst = ctx.sampler.instance(k)
            star = evaluate(w_star, inst)
            at_star = np.asarray(evaluate(grad, inst.with_values({w: star})), dtype=float)
            scale = np.asarray(evaluate(grad, inst), dtype=float)
        except (EvalError, ArithmeticError, ValueError, np.linalg.LinAlgError):
            continue
        seen += 1
        size = max(1.0, float(np.max(np.abs(scale))), float(np.max(np.abs(np.asarray(star, dtype=float)))))
        if not np.all(np.isfinite(at_star)) or float(np.max(np.abs(at_star))) > FD_TOL * size:
            return False
    return seen > 0


def _psd(H, ctx) -> str | None:
    """Why ``H`` is positive semidefinite for all values, or ``None``."""
    if not isinstance(H, MatrixExpr):
        at, _ = atomize(sp.expand(H))
        return "a non-negative scalar" if at.is_nonnegative else None
    psd_atoms = {x.symbol for x in ctx.derivation.decls.values()
                 if isinstance(x, MatrixDecl) and x.kinds & PSD_KINDS}
    kinds = []
    for coeff, word in normal_terms(H, ctx.canon):
        at, _ = atomize(sp.expand(coeff))
        if not at.is_nonnegative:
            return None
        k = len(word)
        if k == 0:
            kinds.append("a non-negative multiple of the identity")
        elif k % 2 == 0 and tuple(word[k // 2:]) == _transpose_word(tuple(word[:k // 2]), ctx.canon):
            kinds.append("a Gram matrix")
        elif (k % 2 == 1 and word[k // 2] in psd_atoms
              and tuple(word[k // 2 + 1:]) == _transpose_word(tuple(word[:k // 2]), ctx.canon)):
            kinds.append("a declared positive semidefinite matrix" if k == 1 else
                         "a congruence of a declared positive semidefinite matrix")
        else:
            return None
    if not kinds:
        return None
    return "a sum of " + ", ".join(dict.fromkeys(kinds)) if len(kinds) > 1 else kinds[0]
