"""Checks for each kind of step: relations, inductions, witnesses.

Each returns a :class:`~symbolic.verdicts.StepResult`; the rules of verdicts
are enforced here and nowhere else:

* PROVED needs a symbolic method *and* no numeric disagreement;
* REFUTED needs a failing instance verified at 60 digits, then shrunk;
* CONFIRMED needs at least one numeric sample and reports how many;
* anything else is UNDECIDED with its reason.
"""

from __future__ import annotations

import numpy as np

from ..algebra import Grad, Jac, MatrixExpr, sp
from ..algebra.evaluate import EvalError, Instance, evaluate
from ..algebra.prove import prove_equal, prove_zero
from ..budget import budget, remaining
from ..exceptions import BudgetExceeded
from ..verdicts import Evidence, StepResult, Verdict
from .context import CheckContext
from .counterexample import make_counterexample
from .derivatives import symbolic_derivative
from .numeric import hp_violated, sample_relation, search_violation, tolerance, violation
from .shrink import shrink

CROSS_CHECK_SAMPLES = 8
MIN_SAMPLES = 4  # CONFIRMED needs at least this many evaluated instances


def _symbolic_share(total: float) -> float:
    return max(0.05, min(total * 0.5, remaining() * 0.5))


def refuted(ctx: CheckContext, step, lhs, relation, rhs, inst: Instance, method: str,
            disagreement: str | None = None, *, shrink_values: bool = True) -> StepResult:
    d = ctx.derivation

    def still_fails(i):
        return hp_violated(relation, lhs, rhs, i)[0]

    if shrink_values:
        small = shrink(d, inst, still_fails, ctx.sampler, exprs=(lhs, rhs))
    else:
        from .shrink import materialize_sequences

        small = materialize_sequences(inst, d, (lhs, rhs))
    ce = make_counterexample(d, step.label, lhs, relation, rhs, small)
    return StepResult(step.label, step.relation, Verdict.REFUTED,
                      Evidence(method, notes=("re-verified at 60 digits", "shrunk")),
                      counterexample=ce, disagreement=disagreement)


def check_relation(ctx: CheckContext, step, lhs, relation: str, rhs, total_budget: float) -> StepResult:
    """``lhs relation rhs`` for every admissible value of the declared symbols."""
    from .context import unroll_to_common

    d = ctx.derivation
    lhs, rhs = unroll_to_common(ctx.prepare(lhs), ctx.prepare(rhs), d)
    has_derivative = any(isinstance(e, sp.Basic) and (e.has(Jac) or e.has(Grad)) for e in (lhs, rhs))
    method = None
    disagreement = None
    symbolic_note = None
    try:
        with budget(_symbolic_share(total_budget)):
            if relation == "=":
                if has_derivative:
                    method, symbolic_note = symbolic_derivative(lhs, rhs, ctx)
                else:
                    method = prove_equal(lhs, rhs, ctx.canon, ctx.intervals)
            elif relation in ("<=", ">="):
                a, b = (lhs, rhs) if relation == "<=" else (rhs, lhs)
                used = ctx.prover.prove_le(a, b)
                if used is not None:
                    method = "lemma: " + ", ".join(dict.fromkeys(used)) if used else "equal sides"
            elif relation in ("<", ">"):
                a, b = (lhs, rhs) if relation == "<" else (rhs, lhs)
                used = ctx.prover.prove_lt(a, b)
                if used is not None:
                    method = "lemma: " + ", ".join(used)
    except BudgetExceeded:
        symbolic_note = "symbolic attempt timed out"
    except (TypeError, ValueError, AttributeError, NotImplementedError, RecursionError) as exc:
        symbolic_note = f"symbolic attempt failed ({type(exc).__name__})"

    n = CROSS_CHECK_SAMPLES if method else ctx.samples
    out = sample_relation(d, lhs, relation, rhs, seed=ctx.seed, n=n, sampler=ctx.sampler)
    if out.failure is None and method is None and relation != "=" and out.samples:
        inst = search_violation(d, lhs, relation, rhs, seed=ctx.seed, sampler=ctx.sampler)
        if inst is not None:
            out.failure = inst
    if out.failure is not None:
        if method:
            disagreement = f"symbolic method '{method}' claimed a proof, but a verified counterexample exists"
        if symbolic_note and has_derivative:
            disagreement = symbolic_note
        how = "random instance" if relation == "=" else "random instance / local search"
        return refuted(ctx, step, lhs, relation, rhs, out.failure, how, disagreement)
    notes = []
    if out.samples:
        notes.append(f"cross-checked on {out.samples} random instances" if method else "")
    if out.float_only_failures:
        notes.append(f"{out.float_only_failures} float64 mismatches vanished at 60 digits (rounding)")
    if symbolic_note:
        notes.append(symbolic_note)
    notes = tuple(x for x in notes if x)
    if method:
        return StepResult(step.label, step.relation, Verdict.PROVED,
                          Evidence(method, out.samples, out.max_error if out.samples else None, notes,
                                   tolerance(lhs, rhs) if out.samples else None),
                          disagreement=disagreement or (symbolic_note if has_derivative and "disagree" in (symbolic_note or "") else None))
    if out.samples >= MIN_SAMPLES:
        return StepResult(step.label, step.relation, Verdict.CONFIRMED,
                          Evidence("numeric", out.samples, out.max_error, notes, tolerance(lhs, rhs)),
                          disagreement=symbolic_note if symbolic_note and "disagree" in symbolic_note else None)
    reason = (f"only {out.samples} of {out.samples + out.skipped} random instances could be evaluated"
              if out.samples else "no random instance could be evaluated")
    if out.errors:
        reason += f": {out.errors[0]}"
    return StepResult(step.label, step.relation, Verdict.UNDECIDED, reason=reason)


def check_induction(ctx: CheckContext, step, total_budget: float) -> StepResult:
    """``s(t) = F(t)`` for all t >= start: base case and inductive step, then unrolling."""
    d = ctx.derivation
    decl = d.decls[step.option("sequence")]
    t = decl.index
    F = ctx.prepare(step.rhs)
    seq_t = step.lhs
    method = None
    notes = []
    try:
        with budget(_symbolic_share(total_budget)):
            base_rhs = decl.initial if decl.initial is not None else seq_t.xreplace({t: decl.start})
            F0 = F.xreplace({t: decl.start})
            F0 = F0.doit() if not isinstance(F0, MatrixExpr) else F0
            base = prove_equal(F0, ctx.prepare(base_rhs), ctx.canon, ctx.intervals)
            stepped = ctx.prepare(decl.step.xreplace({decl.prev: F.xreplace({t: t - 1})}))
            lhs_t, stepped = _unroll_others(F, d, decl, t), _unroll_others(stepped, d, decl, t)
            if isinstance(lhs_t, MatrixExpr):
                ind = prove_equal(lhs_t, stepped, ctx.canon, ctx.intervals) if base else None
            else:
                ind = prove_zero(lhs_t - stepped, ctx.canon, ctx.intervals) if base else None
            if base and ind:
                method = f"induction on {t}: base case ({base}), inductive step ({ind})"
            else:
                notes.append("base case not proved" if not base else "inductive step not proved")
    except BudgetExceeded:
        notes.append("symbolic induction timed out")
    except (TypeError, ValueError, AttributeError, NotImplementedError) as exc:
        notes.append(f"symbolic induction failed ({type(exc).__name__})")
    # numeric unrolling
    top = int(step.option("check_up_to", 200))
    ts = list(range(decl.start, min(top, decl.start + 20) + 1)) + list(range(decl.start + 30, top + 1, 10))
    checked = 0
    max_err = 0.0
    for k in range(2):
        inst = ctx.sampler.instance(k)
        for tv in ts:
            if remaining() < 0.2 * total_budget and checked:
                break
            inst_t = inst.with_values({t: tv}, share_memo=True)
            try:
                with np.errstate(all="ignore"):
                    a, c = evaluate(seq_t, inst_t), evaluate(F, inst_t)
            except (EvalError, ArithmeticError, ValueError):
                continue
            bad, err = violation("=", a, c, tolerance(F))
            checked += 1
            if bad and hp_violated("=", seq_t, F, inst_t)[0]:
                dis = f"symbolic induction claimed a proof ({method}) but unrolling disagrees" if method else None
                return refuted(ctx, step, seq_t, "=", F, inst_t, f"unrolling the recurrence (first failure at {t} = {tv})", dis)
            max_err = max(max_err, err)
    notes.append(f"unrolled up to {t} = {ts[-1]}")
    if method:
        return StepResult(step.label, step.relation, Verdict.PROVED, Evidence(method, checked, max_err, tuple(notes), tolerance(F)))
    if checked:
        return StepResult(step.label, step.relation, Verdict.CONFIRMED, Evidence("numeric unrolling", checked, max_err, tuple(notes), tolerance(F)))
    return StepResult(step.label, step.relation, Verdict.UNDECIDED, reason="the recurrence could not be evaluated")


def _unroll_others(e, d, decl, t):
    """Apply, once, the recurrence of every *other* sequence at index ``t``."""
    from ..declarations import SequenceDecl

    for other in d.decls.values():
        if not isinstance(other, SequenceDecl) or other is decl or other.step is None:
            continue
        term_prev = other.term(t - 1)
        body = other.step.xreplace({other.prev: term_prev, other.index: t})
        key = other.term(t)
        e = e.xreplace({key: body})
    return e


def check_exists(ctx: CheckContext, step) -> StepResult:
    """An existential claim is proved by a witness that satisfies it at 60 digits with margin."""
    from ..sampling import to_backend
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
    from ..declarations import DimDecl, FunctionDecl, MatrixDecl

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


def parse_function_spec(text: str):
    """Parse ``"0.5*tanh(x)"``, ``"2*x"``, ``"max(x, 0)"`` into a function family member."""
    from ..sampling import FunctionSpec

    t = text.replace(" ", "")
    if t == "max(x,0)":
        return FunctionSpec("relu", 1.0)
    if t == "exp(x)":
        return FunctionSpec("exp", 1.0)
    for base in ("tanh", "sin", "atan"):
        if t.endswith(f"{base}(x)"):
            k = t[: -len(f"{base}(x)")].rstrip("*")
            return FunctionSpec(base, float(k) if k else 1.0)
    if t.endswith("x"):
        k = t[:-1].rstrip("*")
        return FunctionSpec("linear", float(k) if k else 1.0)
    raise ValueError(f'Unknown function "{text}"; expected e.g. "0.5*tanh(x)", "2*x" or "max(x, 0)"')
