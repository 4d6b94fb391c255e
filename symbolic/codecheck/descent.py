"""Code checks of procedures: gradient descent run on a small convex problem.

:func:`descent_check` builds the probes (it runs, it stops, it decreases the
loss, it reaches the minimizer); :func:`capped` stops a procedure that would
not stop by itself.  See :mod:`symbolic.codecheck`.

>>> half_square_gradient(3.0, 1.0)
2.0
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from ..model.derivation import Source
from .arrays import (
    CONVENTIONS, CodeCheck, Env, Input, Outcome, Probe, _raised, in_convention, literal,
)

REACH_TOL = 1e-6  # relative distance to the minimizer at which a descent has reached it


# -- procedures: gradient descent on a convex problem -------------------------------------
class CapReached(RuntimeError):
    """The procedure asked for more gradients than the cap allows: it did not stop."""


def half_square_gradient(theta, x):
    """Gradient in theta of ||theta - x||^2 / 2 for one example x (the problem of :func:`descent_check`)."""
    return theta - x


def capped(grad: Callable, cap: int = 5000) -> Callable:
    """``grad`` raising :class:`CapReached` after ``cap`` calls; ``.last`` is the last theta it saw.

    >>> g = capped(half_square_gradient, 1)
    >>> float(g(np.array([2.0]), np.array([0.0]))[0]), g.calls
    (2.0, 1)
    """
    def wrapper(theta, x):
        wrapper.calls += 1
        wrapper.last = np.array(theta, dtype=float, copy=True)
        if wrapper.calls > cap:
            raise CapReached(f"no stop after {cap} gradient evaluations")
        return grad(theta, x)

    wrapper.calls, wrapper.last = 0, None
    return wrapper


def descent_check(name: str, procedure: Callable, *, question: str, logic: Callable | None = None,
                  logic_note: str = "", reference: Callable | None = None, source: Source | None = None,
                  statement: str = "", review: bool | None = None, samples: int = 12, cap: int = 5000,
                  epsilon: float = 1e-8, conventions: Sequence[str] = CONVENTIONS) -> CodeCheck:
    """Run ``procedure(theta, dataset, gradient, learning_rate, epsilon)`` on R(theta) = sum_i ||theta - x_i||^2 / 2.

    The learning rate is 0.5 / N for N examples (exact descent halves the distance to the
    minimizer, the mean of the x_i, at each step).  Probes: it runs without error; it stops
    within ``cap`` gradient evaluations; the risk goes down (at the end, or where the cap
    stopped it); it ends at the minimizer.  The last three run ``logic`` (default
    ``procedure``), e.g. a transcription with a name slip repaired, said in ``logic_note``.

    >>> def gd(theta, data, grad, eta, eps):
    ...     g = sum(grad(theta, x) for x in data)
    ...     while np.linalg.norm(eta * g) >= eps:
    ...         theta = theta - eta * g
    ...         g = sum(grad(theta, x) for x in data)
    ...     return theta
    >>> descent_check("demo_gd", gd, question="gd").check().ok
    True
    """
    vec = Input("theta", ("p",))
    inputs = [Input("dataset", ("N", "p")), vec]
    logic = logic or procedure
    note = f" ({logic_note})" if logic_note else ""

    def run(fn: Callable, env: Env, conv: str):
        g = capped(half_square_gradient, cap)
        try:
            with np.errstate(all="ignore"):  # an ascent overflows before the cap
                out = fn(in_convention(env["theta"], vec, conv), [in_convention(r, vec, conv) for r in env["dataset"]],
                         g, 0.5 / len(env["dataset"]), epsilon)
            return np.asarray(out, dtype=float).ravel(), None
        except Exception as exc:  # observed, not propagated
            return (g.last.ravel() if g.last is not None else None), exc

    def judge(kind: str, conv: str) -> Callable[[Env], Outcome]:
        def judged(env: Env) -> Outcome:
            X = env["dataset"]
            th, exc = run(procedure if kind == "runs" else logic, env, conv)
            if kind in ("runs", "stops"):
                ok = exc is None or (kind == "runs" and isinstance(exc, CapReached))
                seen = None if ok else _raised(exc)
                return Outcome(ok, observed=seen, expected="returns", gap=seen or "")
            risk = lambda t: 0.5 * float(np.sum((X - t) ** 2)) if t is not None else float("nan")  # noqa: E731
            r0, r1, rmin = risk(env["theta"]), risk(th), risk(X.mean(axis=0))
            if kind == "decreases":
                strict = r0 - rmin > 1e-12 * max(1.0, r0)
                ok = bool(r1 < r0) if strict else bool(r1 <= r0 + 1e-12)
                return Outcome(ok, observed=r1, expected=f"{'<' if strict else '<='} {r0:.6g}",
                               gap="" if ok else f"risk {r1:.6g} at the end (or at the cap), {r0:.6g} at the start")
            best = X.mean(axis=0)
            dist = np.inf if th is None else float(np.linalg.norm(th - best)) / max(1.0, float(np.linalg.norm(best)))
            ok = exc is None and dist <= REACH_TOL
            gap = "" if ok else _raised(exc) if exc is not None else f"relative distance {dist:.3g} to the minimizer"
            return Outcome(ok, dist if ok else 0.0, observed=th, expected=best, gap=gap)
        return judged

    def code(fn: Callable, conv: str) -> Callable[[Env], str]:
        def build(env: Env) -> str:
            data = ", ".join(literal(in_convention(r, vec, conv)) for r in env["dataset"])
            return "\n".join([
                "import numpy as np", f"from {fn.__module__} import {fn.__name__}",
                "from symbolic.codecheck import capped, half_square_gradient",
                f"dataset = [{data}]", f"theta = {literal(in_convention(env['theta'], vec, conv))}",
                f"out = {fn.__name__}(theta, dataset, capped(half_square_gradient, {cap}), "
                f"{0.5 / len(env['dataset'])!r}, {epsilon!r})"])
        return build

    whats = {"runs": ("runs", "runs without an error"), "stops": ("stops", f"stops within {cap} gradient evaluations"),
             "decreases": ("loss goes down", "the risk decreases"),
             "reaches": ("reaches the minimizer", "ends at the minimizer")}
    probes = [Probe(f"{question} {whats[k][0]} ({conv})",
                    whats[k][1] + ("" if k == "runs" else note) + f", {conv} vectors",
                    judge(k, conv), code(procedure if k == "runs" else logic, conv), conv,
                    REACH_TOL if k == "reaches" else None)
              for conv in conventions for k in whats]
    return CodeCheck(name, probes, inputs, ("N", "p"), snippet=procedure, reference=reference, source=source,
                     statement=statement, review=review, samples=samples)
