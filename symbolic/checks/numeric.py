"""Numeric spot checks: random instances in float64, suspects re-verified at 60 digits.

>>> from symbolic import Derivation
>>> d = Derivation("demo"); x = d.scalar("x")
>>> out = sample_relation(d, x**2, "=", x*x, seed=0, n=5)
>>> (out.samples, out.failure is None)
(5, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..algebra import Grad, Jac, sp
from ..algebra.backend import _scalar
from ..algebra.exact import exactly_undefined
from ..algebra.evaluate import Backend, DomainError, EvalError, Instance, close, evaluate
from ..algebra.limits import limit_traces
from ..algebra.ops import operators
from ..budget import check_time
from ..model.declarations import SequenceDecl
from .sampling import Sampler, to_backend

HP = Backend("mp", dps=60)
HP2 = Backend("mp", dps=100)  # a second, higher precision: rounding noise shrinks, a real gap does not
F64_TOL = 1e-9
FD_TOL = 2e-5
HP_TOL = 1e-25
HP_FLOOR = 1e-30


@dataclass
class NumericOutcome:
    """What the random checks saw."""

    samples: int = 0
    max_error: float = 0.0
    failure: Instance | None = None
    failure_gap: float = 0.0
    skipped: int = 0
    errors: list = field(default_factory=list)
    float_only_failures: int = 0
    one_sided: bool = False  # the failure is at a point where one side is undefined (none where both are)
    inconclusive: list = field(default_factory=list)  # instances where the numbers cannot decide
    float_only_max_error: float = 0.0  # the largest float64 error among those mismatches
    float_only_residual: float = 0.0  # their largest error at high precision (also counted in max_error)


DERIVATIVES = (Jac, Grad, sp.Derivative)  # evaluated by finite differences


def has_derivative(*exprs) -> bool:
    """Whether any of ``exprs`` holds a derivative node (evaluated by finite differences).

    >>> x = sp.Symbol("x")
    >>> has_derivative(x**2, sp.Derivative(x**3, x)), has_derivative(x)
    (True, False)
    """
    kinds = DERIVATIVES + tuple(op.node for op in operators() if op.differentiates)  # and the vocabulary's
    return any(isinstance(e, sp.Basic) and e.has(*kinds) for e in exprs)


def tolerance(*exprs) -> float:
    """Looser tolerance when finite differences or limits are involved."""
    limits = any(isinstance(e, sp.Basic) and e.has(sp.Limit) for e in exprs)
    return FD_TOL if limits or has_derivative(*exprs) else F64_TOL


def violation(relation: str, a, c, tol: float, floor: float = 1e-6) -> tuple[bool, float]:
    """``(violated, error)`` for ``a relation c`` evaluated to numbers or arrays."""
    if relation == "=":
        ok, err = close(a, c, tol, floor)
        return (not ok), err
    a_f, c_f = _scalarize(a), _scalarize(c)
    scale = max(floor, abs(a_f), abs(c_f))
    gap = (a_f - c_f) / scale if scale else 0 * a_f  # > 0 means a exceeds c
    if relation in ("<=", "<"):
        bad = gap > tol if relation == "<=" else gap > -tol
        return bad, float(max(gap, 0))
    if relation in (">=", ">"):
        bad = -gap > tol if relation == ">=" else -gap > -tol
        return bad, float(max(-gap, 0))
    raise ValueError(relation)


def _scalarize(v):
    return _scalar(v, "an inequality between matrices")


def term_scale(expr, inst: Instance) -> float:
    """Largest magnitude among the terms of a sum: the scale against which ``sum = 0`` is judged."""
    terms, todo = [], [expr]
    while todo:  # flatten nested sums
        e = todo.pop()
        if isinstance(e, (sp.Add, sp.MatAdd)):
            todo.extend(e.args)
        else:
            terms.append(e)
    best = 0.0
    for t in terms:
        v = evaluate(t, inst)
        best = max(best, float(max(abs(x) for x in np.asarray(v, dtype=object).ravel())) if np.size(v) else 0.0)
    return best


def _hp_gap(relation: str, lhs, rhs, inst: Instance, backend: Backend, floor: float | None, values=None):
    hp = to_backend(inst, backend)
    a, c = evaluate_sides(lhs, rhs, hp)
    if values is not None:
        values.append((a, c))
    if a is UNDEFINED or c is UNDEFINED:  # one side undefined where the other is defined: is it, exactly?
        side = lhs if a is UNDEFINED else rhs
        if exactly_undefined(side, inst.values) is False:  # None: sympy cannot settle it, the evaluator's word stands
            raise NotAPole(f"the {'left' if a is UNDEFINED else 'right'} side is undefined here only at "
                           f"{backend.dps} digits (exact evaluation finds a value): not a counterexample")
        return True, math.inf
    if not _limit_gap_clear(hp, a, c):
        raise LimitTooClose("the terms of the sequence up to index 4096 are not close enough to sympy's "
                            "exact limit to tell it from the claimed value")
    if floor is not None:
        return violation(relation, a, c, HP_TOL, floor=max(floor, HP_FLOOR))
    if tolerance(lhs, rhs) == FD_TOL:  # finite differences at high precision: far below any real mistake
        return violation(relation, a, c, 1e-12, floor=1e-15)
    if relation in ("<", ">"):  # strict: fails on equality to 40 digits, however small the values
        return violation(relation, a, c, 1e-40, floor=0.0)
    return violation(relation, a, c, HP_TOL, floor=HP_FLOOR)


class NotAPole(EvalError):
    """A side undefined at finite precision that exact evaluation finds defined (e.g. log(1 - sigmoid(451)))."""


class LimitTooClose(EvalError):
    """The two sides differ by less than the terms confirming an exact limit are from it: no verdict."""


def _limit_gap_clear(inst: Instance, a, c) -> bool:
    """A limit sympy computed counts only if its terms are far closer to it than the two sides are
    to each other: the numbers then tell the exact limit from the claimed value."""
    traces = limit_traces(inst)
    if not traces:
        return True
    try:
        gap = abs(float(_scalarize(a) - _scalarize(c)))
    except (TypeError, ValueError, EvalError):
        return False
    return all(100 * t.last_error < gap for t in traces)


CLEAR_GAP = 1e-6  # a 60-digit gap this large is no rounding noise (that would take 50 digits cancelling)


def hp_violated(relation: str, lhs, rhs, inst: Instance, *, floor: float | None = None,
                clear: float | None = None) -> tuple[bool, float]:
    """Re-evaluate at 60 digits, and a failure again at 100 digits.

    A real gap stays the same at both precisions; rounding noise (or a
    finite-difference error) shrinks by many orders of magnitude, and is not a
    failure.  Strict relations fail on equality to 40 digits.  ``floor``: a
    magnitude below which differences count absolutely (e.g. the size of the
    terms of a sum that is claimed to vanish).  ``clear``: a 60-digit gap above
    it is a failure without the 100-digit pass, except for finite differences
    (a shrink's candidates use it; the counterexample it keeps is re-verified
    in full).

    >>> from symbolic import Derivation
    >>> d = Derivation("demo"); x = d.scalar("x"); i = Instance({x: 1.5})
    >>> hp_violated("=", x + x, 3*x, i)[0], hp_violated("=", x + x, 3*x, i, clear=CLEAR_GAP)[0]
    (True, True)
    """
    seen: list = []
    bad, gap = _hp_gap(relation, lhs, rhs, inst, HP, floor, seen)
    if not bad or math.isinf(gap) or gap == 0:
        return bad, gap
    if clear is not None and gap > clear and tolerance(lhs, rhs) != FD_TOL:
        return True, gap
    bad2, gap2 = _hp_gap(relation, lhs, rhs, inst, HP2, floor, seen)
    if not bad2 or gap2 < gap * 1e-10:
        return False, gap2
    if tolerance(lhs, rhs) == FD_TOL and len(seen) == 2:
        # finite differences must have converged: two step sizes, the same derivative
        for x60, x100 in zip(seen[0], seen[1]):
            ok, _ = close(x60, x100, 1e-12, floor=1e-15)
            if not ok:
                return False, gap2  # inconclusive: the difference quotient has not settled here
    return True, gap2


UNDEFINED = object()  # marks the side of a step that is undefined at an instance


def evaluate_sides(lhs, rhs, inst: Instance):
    """Both sides; a side undefined there (domain error) is ``UNDEFINED``; both undefined raises."""
    out = []
    errors = []
    for e in (lhs, rhs):
        try:
            v = evaluate(e, inst)
            if not inst.backend.mp and np.any(~np.isfinite(np.asarray(v, dtype=float))):
                raise DomainError("a non-finite value in float64")
            out.append(v)
        except (DomainError, ZeroDivisionError) as exc:
            out.append(UNDEFINED)
            errors.append(exc)
    if len(errors) == 2:
        raise EvalError(f"both sides undefined here ({errors[0]})")
    return out[0], out[1]


def evaluate_pair(lhs, rhs, inst: Instance):
    return evaluate(lhs, inst), evaluate(rhs, inst)


def materialize_sequences(inst: Instance, d, exprs=()) -> Instance:
    """Turn the free sequence terms that evaluating ``exprs`` uses into explicit values."""
    inst = inst.with_values({})
    for e in exprs:
        try:
            with np.errstate(all="ignore"):
                evaluate(e, inst)
        except (EvalError, ArithmeticError, ValueError, TypeError):
            pass
    extra = {}
    for key, val in list(inst.memo.items()):
        if len(key) != 3 or key[0] != "seq":
            continue
        _, name, idx = key
        decl = d.decls.get(name)
        if not isinstance(decl, SequenceDecl) or decl.step is not None and idx != decl.start:
            continue
        if decl.step is not None and decl.initial is not None:
            continue
        key = decl.term(idx)
        extra[key] = val
    return inst.with_values(extra) if extra else inst


def sample_relation(derivation, lhs, relation: str, rhs, *, seed: int, n: int,
                    sampler: Sampler | None = None, start: int = 0,
                    resume: NumericOutcome | None = None) -> NumericOutcome:
    """Check ``lhs relation rhs`` on ``n`` random instances; stop at the first verified failure.

    A failure where both sides are defined is preferred: an instance where only one
    side is undefined (a pole of one formula) is kept as a fallback while the
    sampling goes on, and returned (``one_sided``) only when no other failure is found.
    ``resume`` (the outcome of instances ``0 .. start - 1`` that found no both-defined failure) goes on
    from it: the two calls together see what one call over all the instances would.

    >>> from symbolic import Derivation
    >>> d = Derivation("demo"); x = d.scalar("x")
    >>> first = sample_relation(d, x + x, "=", 2*x, seed=0, n=3)
    >>> both = sample_relation(d, x + x, "=", 2*x, seed=0, n=5, start=3, resume=first)
    >>> both is first, both.samples, sample_relation(d, x + x, "=", 2*x, seed=0, n=8).samples
    (True, 8, 8)
    """
    sampler = sampler or Sampler(derivation, seed)
    out = NumericOutcome() if resume is None else resume
    tol = tolerance(lhs, rhs)
    fallback = None
    if resume is not None and resume.one_sided:  # its pole is kept while the sampling goes on
        fallback = (resume.failure, resume.failure_gap)
        resume.failure, resume.one_sided = None, False
    for k in range(start, start + n):
        check_time()
        try:
            inst = sampler.instance(k)
            with np.errstate(all="ignore"):
                a, c = evaluate_sides(lhs, rhs, inst)
                if a is UNDEFINED or c is UNDEFINED:
                    bad, err = True, math.inf
                else:
                    bad, err = violation(relation, a, c, tol)
        except (EvalError, ArithmeticError, ValueError, np.linalg.LinAlgError) as exc:
            out.skipped += 1
            out.errors.append(str(exc))
            continue
        if math.isnan(err):
            out.skipped += 1
            out.errors.append("non-finite value in float64")
            continue
        out.samples += 1
        if math.isinf(err) and fallback is not None:
            continue  # another pole: the fallback is already kept
        if bad:
            try:
                verified, gap = hp_violated(relation, lhs, rhs, inst)
            except LimitTooClose as exc:
                out.inconclusive.append(str(exc))
                continue
            except NotAPole as exc:  # rounding made a side undefined: the instance tells nothing
                out.samples -= 1
                out.skipped += 1
                out.errors.append(str(exc))
                continue
            except (EvalError, ArithmeticError, ValueError, ZeroDivisionError) as exc:
                out.errors.append(f"high-precision re-check failed: {exc}")
                verified = False
                gap = err
            if verified and math.isinf(gap):
                fallback = fallback or (inst, gap)
                continue
            if verified:
                out.failure = inst
                out.failure_gap = gap
                return out
            out.float_only_failures += 1
            out.float_only_max_error = max(out.float_only_max_error, err)
            out.float_only_residual = max(out.float_only_residual, float(gap))
            out.max_error = max(out.max_error, float(gap))  # what remains at high precision
        else:
            out.max_error = max(out.max_error, err)
    if fallback is not None:
        out.failure, out.failure_gap = fallback
        out.one_sided = True
    return out
