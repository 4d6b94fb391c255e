"""Checks for each kind of step: relations and witnesses (inductions: :mod:`.induction`).

Each returns a :class:`~symbolic.model.results.StepResult`; the rules of verdicts
are enforced here and nowhere else:

* PROVED needs a symbolic method *and* no numeric disagreement;
* REFUTED needs a failing instance verified at 60 digits, then shrunk;
* CONFIRMED needs at least one numeric sample and reports how many;
* anything else is UNDECIDED with its reason.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from ..algebra import sp
from ..algebra.evaluate import EvalError, Instance, evaluate
from ..algebra.prove import prove_equal
from ..budget import budget, remaining
from ..exceptions import BudgetExceeded, StepcheckError
from ..model.results import Evidence, StepResult, Verdict
from .context import CheckContext
from .counterexample import make_counterexample
from .derivatives import DerivativeAttempt, symbolic_derivative, wrong_derivatives
from .optimality import minimizer_proof
from .numeric import CLEAR_GAP, NumericOutcome, has_derivative, hp_violated, materialize_sequences, sample_relation, tolerance, violation
from .search import search_violation
from .shrink import SHRINKING, _safe, parse_function_spec, shrink, shrink_report  # noqa: F401  (parse_function_spec, shrink: re-exported)

CROSS_CHECK_SAMPLES = 8
MIN_SAMPLES = 4  # CONFIRMED needs at least this many evaluated instances
CHEAP_CLAIM_SECONDS = 1.0  # the inexpensive rungs' look at an equality already refuted (a backend's false proof)


def _symbolic_share(total: float) -> float:
    return max(0.05, min(total * 0.5, remaining() * 0.5))


def refuted(ctx: CheckContext, step, lhs, relation, rhs, inst: Instance, method: str,
            disagreement: str | None = None, *, shrink_values: bool = True,
            one_sided: bool = False, witness=None) -> StepResult:
    """REFUTED at ``inst``, shrunk; ``one_sided``: one side is undefined there and no
    failure was found where both sides are defined (the result says so); ``witness``: the
    :class:`~.witness.WitnessClaim` whose finite laws ``lhs`` and ``rhs`` are summed under."""
    d = ctx.derivation

    def still_fails(i, clear=None):  # of the same kind: a both-defined failure never shrinks onto a pole
        bad, gap = hp_violated(relation, lhs, rhs, i, clear=clear)
        return bool(bad) and math.isinf(gap) == one_sided

    cut = None
    if shrink_values and SHRINKING.get():
        # candidates with a clear gap at 60 digits skip the 100-digit pass; the one kept gets both
        small, cut = shrink_report(d, inst, lambda i: still_fails(i, CLEAR_GAP), ctx.sampler, exprs=(lhs, rhs))
        if small is not inst and not _safe(still_fails, small, ctx.sampler):
            small, cut = shrink_report(d, inst, still_fails, ctx.sampler, exprs=(lhs, rhs))
    else:
        small = materialize_sequences(inst, d, (lhs, rhs))
    note = None
    if one_sided:
        note = "no point was found where both sides are defined and differ"
    if witness is not None:
        note = witness.note(small) + (f"; {note}" if note else "")
    ce = make_counterexample(d, step.label, lhs, relation, rhs, small, note=note,
                             extra_values=witness.values() if witness is not None else None)
    notes = ("re-verified at 60 digits", ("shrunk" if cut is None else cut) if shrink_values and SHRINKING.get()
             else "not shrunk")
    if witness is not None:
        notes += (witness.note(small),)
    if one_sided:
        side = "left" if ce.lhs == "undefined" else "right"
        notes += (f"{note}; at this point the {side} side is undefined",)
    return StepResult(step.label, step.relation, Verdict.REFUTED, Evidence(method, notes=notes),
                      counterexample=ce, disagreement=disagreement)


def check_relation(ctx: CheckContext, step, lhs, relation: str, rhs, total_budget: float) -> StepResult:
    """``lhs relation rhs`` for every admissible value of the declared symbols."""
    from .context import unroll_to_common

    d = ctx.derivation
    lhs, rhs = unroll_to_common(ctx.prepare(lhs), ctx.prepare(rhs), d)
    derivative = has_derivative(lhs, rhs)
    tol = tolerance(lhs, rhs)
    method = None
    disagreement = None
    symbolic_note = None
    (sym_lhs, closed_l), (sym_rhs, closed_r) = (lhs, None), (rhs, None)
    attempt = DerivativeAttempt()
    share = _symbolic_share(total_budget)
    # falsify first: the instances a proof would be cross-checked on come first, and a claim one of them
    # refutes is not worth a full proof attempt (a derivative still is: sympy's own answer is cross-checked)
    first, rest, seen, mark = None, None, min(CROSS_CHECK_SAMPLES, ctx.samples), None
    if relation == "=" and not derivative:
        first = sample_relation(d, lhs, relation, rhs, seed=ctx.seed, n=seen, sampler=ctx.sampler)
        rest, mark = first, ctx.sampler.state()
        if (first.failure is None or first.one_sided) and ctx.samples > seen:
            # and the instances after them, which an unproved claim is checked on: the sampler is set back when
            # a proof makes them unneeded
            rest = sample_relation(d, lhs, relation, rhs, seed=ctx.seed, n=ctx.samples - seen, sampler=ctx.sampler,
                                   start=seen, resume=_copy(first))
        if rest.failure is not None and not rest.one_sided:
            return refuted(ctx, step, lhs, relation, rhs, rest.failure, "random instance",
                           _cheap_proof_claim(ctx, lhs, rhs, min(share, CHEAP_CLAIM_SECONDS)))
    try:
        with budget(share):
            (sym_lhs, closed_l), (sym_rhs, closed_r) = ctx.closed_forms(lhs), ctx.closed_forms(rhs)  # E[m] solved
            if relation == "=":
                if derivative:
                    attempt = symbolic_derivative(lhs, rhs, ctx)
                    method, symbolic_note = attempt.method, attempt.note
                else:
                    method = prove_equal(sym_lhs, sym_rhs, ctx.canon, ctx.intervals)
            elif relation == "<=" and step.rule == "argmin":
                method, symbolic_note = minimizer_proof(ctx, rhs, step.option("argmin"), step.option("minimizer"))
            elif relation in ("<=", ">="):
                a, b = (sym_lhs, sym_rhs) if relation == "<=" else (sym_rhs, sym_lhs)
                used = ctx.prover.prove_le(a, b)
                if used is not None:
                    method = "lemma: " + ", ".join(dict.fromkeys(used)) if used else "equal sides"
            elif relation in ("<", ">"):
                a, b = (sym_lhs, sym_rhs) if relation == "<" else (sym_rhs, sym_lhs)
                used = ctx.prover.prove_lt(a, b)
                if used is not None:
                    method = "lemma: " + ", ".join(used)
    except BudgetExceeded:
        symbolic_note = "no symbolic proof within the time budget"
    except StepcheckError:
        raise
    except Exception as exc:  # noqa: BLE001 - sympy crashing (any exception) only means no symbolic proof
        symbolic_note = f"no symbolic proof: sympy raised {type(exc).__name__} while simplifying this step"

    if method is None and symbolic_note is None:  # tried, and nothing closed it: say what was tried
        symbolic_note = ("no symbolic proof: the difference of the sides did not simplify to zero" if relation == "="
                         else "no symbolic proof: no lemma or rule of the prover bounds this side by the other")
    if method and (closed_l or closed_r):
        method = f"{closed_l or closed_r}; {method}"
    n = CROSS_CHECK_SAMPLES if method else ctx.samples
    if first is None:
        out = sample_relation(d, lhs, relation, rhs, seed=ctx.seed, n=n, sampler=ctx.sampler)
    elif method:  # the cross-check's instances only, as if no other had been drawn
        ctx.sampler.restore(mark)
        out = first if n <= seen else sample_relation(d, lhs, relation, rhs, seed=ctx.seed, n=n - seen,
                                                      sampler=ctx.sampler, start=seen, resume=first)
    else:  # every instance, as one call over all of them sees them
        out = rest
    if (out.failure is None and method is None and relation != "=" or out.one_sided) and out.samples:
        # an inequality without proof, or only a pole of one side so far: look for a both-defined failure
        inst = search_violation(d, lhs, relation, rhs, seed=ctx.seed, sampler=ctx.sampler)
        if inst is not None:
            out.failure, out.one_sided = inst, False
    if out.failure is not None:
        if method:
            disagreement = f"symbolic method '{method}' claimed a proof, but a verified counterexample exists"
        disagreement = disagreement or _wrong_sympy(attempt, ctx)
        how = "random instance" if relation == "=" else "random instance / local search"
        return refuted(ctx, step, lhs, relation, rhs, out.failure, how, disagreement, one_sided=out.one_sided)
    if method is None:  # an expectation no law reduces: a concrete law the declaration allows may refute it
        found = _witness_refutation(ctx, step, lhs, relation, rhs)
        if found is not None:
            return found
    notes = [ctx.mean_note(lhs, rhs)]
    if out.samples and method:
        how = "by finite differences " if derivative else ""
        notes.append(f"cross-checked {how}on {out.samples} random instances")
    if out.float_only_failures:
        notes.append(f"{out.float_only_failures} float64 mismatches (up to {out.float_only_max_error:.1e}) "
                     "vanished at 60 digits (rounding): max error counts their high-precision residual, "
                     f"at most {out.float_only_residual:.1e}")
    if method and derivative and "sympy" in method and not out.samples:
        return StepResult(step.label, step.relation, Verdict.UNDECIDED,
                          reason=f"sympy's derivative matches the claim ({method}), but no finite-difference "
                                 "cross-check could be evaluated" + (f": {out.errors[0]}" if out.errors else ""))
    if method and attempt.sympy_results and "sympy" not in method:  # proved another way: is sympy's witness wrong?
        disagreement = disagreement or _wrong_sympy(attempt, ctx)
    if method:
        return StepResult(step.label, step.relation, Verdict.PROVED,
                          Evidence(method, out.samples, out.max_error if out.samples else None,
                                   tuple(x for x in notes if x), tol if out.samples else None),
                          disagreement=disagreement)
    if out.inconclusive:  # a mismatch the numbers can neither confirm nor dismiss: never CONFIRMED
        return StepResult(step.label, step.relation, Verdict.UNDECIDED,
                          reason=f"{out.inconclusive[0]} (on {len(out.inconclusive)} of {out.samples} instances)")
    if symbolic_note:
        notes.append(symbolic_note)
    if out.samples >= MIN_SAMPLES:
        disagreement = _wrong_sympy(attempt, ctx)
        if symbolic_note:
            what = "finite-difference" if derivative else "random"
            f64 = out.samples - out.float_only_failures
            agree = f"{tol:.0e}"
            notes.append(f"{out.samples} {what} checks agree to {agree}" if not out.float_only_failures else
                         f"{out.samples} {what} checks agree ({f64} to {agree} in float64, "
                         f"{out.float_only_failures} only at 60 digits)")
        return StepResult(step.label, step.relation, Verdict.CONFIRMED,
                          Evidence("numeric", out.samples, out.max_error, tuple(x for x in notes if x),
                                   tol),
                          disagreement=disagreement)
    reason = (f"only {out.samples} of {out.samples + out.skipped} random instances could be evaluated"
              if out.samples else "no random instance could be evaluated")
    if out.errors:
        reason += f": {out.errors[0]}"
    return StepResult(step.label, step.relation, Verdict.UNDECIDED, reason=reason)


def _copy(out: NumericOutcome) -> NumericOutcome:
    return replace(out, errors=list(out.errors), inconclusive=list(out.inconclusive))


def _cheap_proof_claim(ctx: CheckContext, lhs, rhs, seconds: float) -> str | None:
    """The disagreement when the inexpensive rungs of the prover "prove" an equality a verified instance
    refutes (a bug of a backend, reported with the refutation), else None."""
    try:
        with budget(seconds):
            (a, _), (b, _) = ctx.closed_forms(lhs), ctx.closed_forms(rhs)
            method = prove_equal(a, b, ctx.canon, ctx.intervals, cheap=True)
    except BudgetExceeded:
        return None
    except StepcheckError:
        raise
    except Exception:  # noqa: BLE001 - a time limit or sympy crashing: no claim of a proof
        return None
    return f"symbolic method '{method}' claimed a proof, but a verified counterexample exists" if method else None


def _witness_refutation(ctx: CheckContext, step, lhs, relation: str, rhs) -> StepResult | None:
    """REFUTED under a witness law (:mod:`.witness`) with both sides defined, else ``None``: a claim that
    holds under the witness law is left as it was (never CONFIRMED or PROVED by it)."""
    from .witness import witness_claim

    w = witness_claim(ctx, lhs, rhs)
    if w is None:
        return None
    d = ctx.derivation
    out = sample_relation(d, w.lhs, relation, w.rhs, seed=ctx.seed, n=ctx.samples, sampler=ctx.sampler)
    inst = out.failure if out.failure is not None and not out.one_sided else None
    if inst is None and relation != "=" and out.samples:
        inst = search_violation(d, w.lhs, relation, w.rhs, seed=ctx.seed, sampler=ctx.sampler)
    if inst is None:
        return None
    how = "witness law (exact finite sums)" + ("" if relation == "=" else " / local search")
    return refuted(ctx, step, w.lhs, relation, w.rhs, inst, how, witness=w)


def _wrong_sympy(attempt: DerivativeAttempt, ctx: CheckContext) -> str | None:
    """A disagreement when one of sympy's derivatives is contradicted by finite differences."""
    wrong = wrong_derivatives(attempt.sympy_results, ctx.sampler) if attempt.sympy_results else []
    if not wrong:
        return None
    names = ", ".join(str(nd)[:80] for nd in wrong)
    return (f"sympy's derivative of {names} is wrong: finite differences give a different value "
            "(verified at 60 and 100 digits)")


def check_exists(ctx: CheckContext, step) -> StepResult:
    """An existential claim is proved by a witness that satisfies it at 60 digits with margin."""
    from .sampling import to_backend
    from .numeric import HP

    d = ctx.derivation
    witness = dict(step.option("witness"))
    lhs, rhs = ctx.prepare(step.lhs), ctx.prepare(step.rhs)
    try:
        inst = witness_instance(d, witness, ctx)
        if not ctx.sampler.satisfies(inst):
            return StepResult(step.label, step.relation, Verdict.UNDECIDED,
                              reason="the witness does not satisfy the hypotheses")
        hp = to_backend(inst, HP)
        a, c = evaluate(lhs, hp), evaluate(rhs, hp)
        bad, err = violation(step.relation, a, c, 1e-30)
    except (EvalError, ArithmeticError, ValueError, KeyError) as exc:
        return StepResult(step.label, step.relation, Verdict.UNDECIDED, reason=f"witness could not be evaluated: {exc}")
    if bad:
        return StepResult(step.label, step.relation, Verdict.UNDECIDED,
                          reason="the witness given does not satisfy the claim")
    return StepResult(step.label, step.relation, Verdict.PROVED,
                      Evidence("witness (existential claim), evaluated at 60 digits", 1, float(err)))


def witness_instance(d, values: dict, ctx: CheckContext) -> Instance:
    """An instance built from plain values keyed by declared names (used by replay and witnesses)."""
    from ..model.declarations import DimDecl, FunctionDecl, MatrixDecl

    overrides = {}
    functions = {}
    describe = {}
    dims = {}
    for name, v in values.items():
        decl = d.decls.get(name)
        if isinstance(decl, MatrixDecl):
            arr = np.array(v, dtype=float).reshape(len(v), -1) if np.ndim(v) else np.array([[float(v)]])
            overrides[decl.symbol] = arr
            for dim, size in zip(decl.symbol.shape, arr.shape):
                if isinstance(dim, sp.Symbol):
                    dims[dim] = size
        elif isinstance(decl, DimDecl):
            dims[decl.symbol] = int(v)
        elif isinstance(decl, FunctionDecl):
            spec = parse_function_spec(str(v))
            functions[decl.name] = spec.__call__
            functions[decl.prime_name] = spec.prime
            describe[decl.name] = spec.describe()
        elif decl is not None:
            overrides[decl.symbol] = v
        elif "(" in name:
            fname, idx = name.rstrip(")").split("(")
            sdecl = d.decls.get(fname)
            if sdecl is None:
                raise KeyError(f"unknown name {name!r}")
            key = sdecl.term(int(idx))
            overrides[key] = np.array(v, dtype=float) if np.ndim(v) else v
        else:
            raise KeyError(f"unknown name {name!r}")
    base = ctx.sampler._draw(0, 0, 0, 1.0)  # any instance: the witness's values replace its own
    inst = base.with_values({**dims, **overrides})
    inst.functions = {**base.functions, **functions}
    inst.describe = {**base.describe, **describe}
    return inst
