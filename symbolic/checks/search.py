"""Looking for a violation of an inequality: random starts, then a greedy local search (and the points at the
ends of intervals, zeros and ones, where strict claims fail); a point found is re-verified at 60 digits.

>>> from symbolic import Derivation
>>> d = Derivation("demo"); x = d.scalar("x")
>>> search_violation(d, x**2, ">", 0, seed=0) is not None  # fails at x = 0
True
"""

from __future__ import annotations

import math

import numpy as np

from ..algebra import sp
from ..algebra.evaluate import EvalError, Instance
from ..budget import check_time
from ..model.entrywise import admissible
from .numeric import F64_TOL, _scalarize, evaluate_pair, hp_violated, materialize_sequences, violation
from .sampling import Sampler

__all__ = ["search_violation"]


def search_violation(derivation, lhs, relation: str, rhs, *, seed: int, starts: int = 6,
                     steps: int = 40, sampler: Sampler | None = None) -> Instance | None:
    """Random starts plus a greedy local search maximizing the violation of a relation.

    Only instances where both sides are defined are returned (for ``=``, the
    search maximizes the relative gap ``|lhs - rhs|``).
    """
    sampler = sampler or Sampler(derivation, seed)
    rng = np.random.default_rng(seed + 7919)
    sign = 1.0 if relation in ("<=", "<") else -1.0
    threshold = F64_TOL if relation in ("<=", ">=", "=") else -F64_TOL

    def score(inst):
        a, c = evaluate_pair(lhs, rhs, inst)
        if relation == "=":
            return violation("=", a, c, F64_TOL, floor=1.0)[1]
        a, c = _scalarize(a), _scalarize(c)
        return sign * float(a - c) / max(1.0, abs(float(a)), abs(float(c)))

    def verified(inst) -> bool:
        bad, gap = hp_violated(relation, lhs, rhs, inst)
        return bool(bad) and not math.isinf(gap)  # a pole of one side is not what is searched for

    for s in range(starts):
        try:
            # free sequence terms become explicit values, so the local search can move them too
            inst = materialize_sequences(sampler.instance(1000 + s), sampler.d, (lhs, rhs))
            best = score(inst)
        except (EvalError, ArithmeticError, ValueError, np.linalg.LinAlgError):
            continue
        for cand in _boundary(inst, sampler):  # zeros and ones: where strict claims fail
            try:
                with np.errstate(all="ignore"):
                    if score(cand) > (threshold if relation == "=" else -F64_TOL) and verified(cand):
                        return cand
            except (EvalError, ArithmeticError, ValueError, ZeroDivisionError, np.linalg.LinAlgError):
                continue
        for _ in range(steps):
            check_time()
            cand = _perturb(inst, rng, sampler)
            if cand is None:
                continue
            try:
                with np.errstate(all="ignore"):
                    sc = score(cand)
            except (EvalError, ArithmeticError, ValueError, np.linalg.LinAlgError):
                continue
            if sc > best:
                inst, best = cand, sc
            if best > threshold:
                try:
                    ok = verified(inst)
                except (EvalError, ArithmeticError, ValueError, ZeroDivisionError):
                    ok = False
                if ok:
                    return inst
    return None


def _perturb(inst: Instance, rng, sampler: Sampler) -> Instance | None:
    from ..model.declarations import MatrixDecl, ScalarDecl

    from ..algebra import SeqTerm

    decls = [d for d in sampler.d.decls.values() if isinstance(d, (ScalarDecl, MatrixDecl))]
    terms = [k for k in inst.values if isinstance(k, SeqTerm) or isinstance(k, sp.core.function.AppliedUndef)]
    if not decls and not terms:
        return None
    pick = int(rng.integers(0, len(decls) + len(terms)))
    if pick >= len(decls):  # a free sequence term
        key = terms[pick - len(decls)]
        v = inst.values[key]
        new = (np.asarray(v, dtype=float) * (1 + 0.3 * rng.normal()) + 0.3 * rng.normal(size=np.shape(v))
               if isinstance(v, np.ndarray) else float(v) + float(rng.normal()))
        cand = inst.with_values({key: new})
        return cand if sampler.satisfies(cand) else None
    d = decls[pick]
    v = inst.values[d.symbol]
    if isinstance(d, ScalarDecl):
        new = v + float(rng.normal()) * max(0.1, abs(float(v))) * 0.5
        if d.integer:
            new = int(round(new))
        if not d.contains(new):
            return None
    else:
        if d.kinds & {"identity"}:
            return None
        new = np.array(v, dtype=float) * (1 + 0.3 * rng.normal()) + 0.3 * rng.normal(size=np.shape(v))
        if "symmetric" in d.kinds:
            new = (new + new.T) / 2
        if "diagonal" in d.kinds:
            new = np.diag(np.diag(new))
        new = admissible(d, new, v, sampler.d, inst.values)  # declared and hypothesised entry bounds
    cand = inst.with_values({d.symbol: new})
    return cand if sampler.satisfies(cand) else None


def _boundary(inst: Instance, sampler: Sampler):
    """The instance with one declared value at a time set to 0 (or 1): boundary cases."""
    from ..model.declarations import MatrixDecl, ScalarDecl

    for d in sampler.d.decls.values():
        if isinstance(d, MatrixDecl) and not d.kinds & {"identity", "invertible", "orthogonal", "spd"}:
            cands = [np.zeros_like(np.asarray(inst.values[d.symbol], dtype=float))]
        elif isinstance(d, ScalarDecl):
            cands = [c for c in (0, 1) if d.contains(c)]
        else:
            continue
        for c in cands:
            cand = inst.with_values({d.symbol: c})
            if sampler.satisfies(cand):
                yield cand
